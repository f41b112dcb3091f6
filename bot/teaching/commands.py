"""The team-knowledge commands under `kb`: only argparse here, so `troubleshoot-bot` starts fast
(the work is in bot.teaching.cli_kb, imported when a command runs)."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(commands: argparse._SubParsersAction) -> None:
    """Adds the team-knowledge commands under `kb` (called by bot.knowledge.commands)."""
    drafts = commands.add_parser("drafts", help="drafts the team proposed; approve or reject "
                                                "them (KB maintainers)")
    drafts.add_argument("--json", action="store_true", help="print a JSON list")
    drafts.add_argument("--status", choices=("proposed", "approved", "rejected"),
                        help="only drafts in this state")
    drafts.set_defaults(func=lazy("bot.teaching.cli_kb:run_drafts"))
    decisions = drafts.add_subparsers(dest="drafts_command", metavar="ACTION")
    approve = decisions.add_parser("approve", help="add a draft to the knowledge base")
    approve.add_argument("id", type=int, metavar="ID", help="draft number")
    approve.add_argument("--by", required=True, metavar="USER",
                         help="Slack user id of the KB maintainer deciding")
    approve.add_argument("--entry-id", metavar="NEW_ID", help="id for a new entry")
    approve.add_argument("--title", metavar="TEXT", help="title for a new entry")
    approve.set_defaults(func=lazy("bot.teaching.cli_kb:run_approve"))
    reject = decisions.add_parser("reject", help="discard a draft")
    reject.add_argument("id", type=int, metavar="ID", help="draft number")
    reject.add_argument("--by", required=True, metavar="USER",
                        help="Slack user id of the KB maintainer deciding")
    reject.set_defaults(func=lazy("bot.teaching.cli_kb:run_reject"))

    teach = commands.add_parser("teach", help="propose an incident's error line as a "
                                              "signature of an entry")
    teach.add_argument("incident_id", type=int, metavar="INCIDENT_ID",
                       help="the incident whose error line is taught")
    teach.add_argument("entry_id", metavar="ENTRY_ID", help="the entry it belongs to")
    teach.add_argument("--by", required=True, metavar="USER", help="who proposes it")
    teach.set_defaults(func=lazy("bot.teaching.cli_kb:run_teach"))

    export = commands.add_parser("export", help="write the team's entries as Markdown files")
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    export.set_defaults(func=lazy("bot.teaching.cli_kb:run_export"))

    disable = commands.add_parser("disable", help="stop answering a team entry or the team's "
                                                  "signatures of an entry")
    disable.add_argument("entry_id", metavar="ENTRY_ID", help="the entry to stop answering")
    disable.add_argument("--by", required=True, metavar="USER",
                         help="Slack user id of the KB maintainer deciding")
    disable.set_defaults(func=lazy("bot.teaching.cli_kb:run_disable"))
