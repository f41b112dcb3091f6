"""`troubleshoot-bot db upgrade|downgrade|current`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply every migration (idempotent)")
    upgrade.set_defaults(func=lazy("bot.storage.cli_db:run_upgrade"))
    downgrade = db_commands.add_parser("downgrade", help="go back to revision REV (drops data)")
    downgrade.add_argument("revision", metavar="REV", help="revision id, or base for none")
    downgrade.add_argument("--yes", action="store_true",
                           help="do not ask: downgrading drops tables and columns with their data")
    downgrade.set_defaults(func=lazy("bot.storage.cli_db:run_downgrade"))
    current = db_commands.add_parser("current", help="the database's revision")
    current.set_defaults(func=lazy("bot.storage.cli_db:run_current"))
