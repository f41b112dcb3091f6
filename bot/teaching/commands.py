"""The team-knowledge commands under `kb`: only argparse here, so `troubleshoot-bot` starts fast
(the work is in bot.teaching.cli_kb, imported when a command runs)."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(commands: argparse._SubParsersAction) -> None:
    """Adds the team-knowledge commands under `kb` (called by bot.knowledge.commands)."""
    drafts = commands.add_parser("drafts", help="drafts the team proposed; approve or reject "
                                                "them (KB maintainers)")
    drafts.add_argument("--json", action="store_true")
    drafts.add_argument("--status", choices=("proposed", "approved", "rejected"))
    drafts.set_defaults(func=lazy("bot.teaching.cli_kb:run_drafts"))
    decisions = drafts.add_subparsers(dest="drafts_command", metavar="ACTION")
    approve = decisions.add_parser("approve", help="add a draft to the knowledge base")
    approve.add_argument("id", type=int)
    approve.add_argument("--by", required=True, metavar="USER")
    approve.add_argument("--entry-id", metavar="NEW_ID")
    approve.add_argument("--title", metavar="TEXT")
    approve.set_defaults(func=lazy("bot.teaching.cli_kb:run_approve"))
    reject = decisions.add_parser("reject", help="discard a draft")
    reject.add_argument("id", type=int)
    reject.add_argument("--by", required=True, metavar="USER")
    reject.set_defaults(func=lazy("bot.teaching.cli_kb:run_reject"))

    teach = commands.add_parser("teach", help="propose an incident's error line as a "
                                              "signature of an entry")
    teach.add_argument("incident_id", type=int, metavar="INCIDENT_ID")
    teach.add_argument("entry_id", metavar="ENTRY_ID")
    teach.add_argument("--by", required=True, metavar="USER")
    teach.set_defaults(func=lazy("bot.teaching.cli_kb:run_teach"))

    export = commands.add_parser("export", help="write the team's entries as Markdown files")
    export.add_argument("--out", required=True, metavar="DIR")
    export.set_defaults(func=lazy("bot.teaching.cli_kb:run_export"))

    disable = commands.add_parser("disable", help="stop answering a team entry or the team's "
                                                  "signatures of an entry")
    disable.add_argument("entry_id", metavar="ENTRY_ID")
    disable.add_argument("--by", required=True, metavar="USER")
    disable.set_defaults(func=lazy("bot.teaching.cli_kb:run_disable"))
