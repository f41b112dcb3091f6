"""`troubleshoot-bot ask` and `incidents ...`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser("ask", help="what the bot does for a paste: match, record, answer")
    ask.add_argument("text", nargs="?", default=None, metavar="TEXT")
    ask.add_argument("--lang", choices=("ko", "en"), default=None)
    ask.set_defaults(func=lazy("bot.incidents.cli_ask:run_ask"))

    incidents = subparsers.add_parser("incidents", help="list, show and resolve incidents")
    commands = incidents.add_subparsers(dest="incidents_command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", choices=("open", "resolved", "dismissed", "all"),
                         default="open")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=lazy("bot.incidents.cli_incidents:run_list"))
    show = commands.add_parser("show")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=lazy("bot.incidents.cli_incidents:run_show"))
    resolve = commands.add_parser("resolve")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--note", required=True)
    resolve.set_defaults(func=lazy("bot.incidents.cli_incidents:run_resolve"))
    purge = commands.add_parser("purge", help="forget occurrence texts older than the retention")
    purge.add_argument("--days", type=int, default=None,
                       help="retention in days (default: RETENTION_DAYS or 90)")
    purge.set_defaults(func=lazy("bot.incidents.cli_incidents:run_purge"))
