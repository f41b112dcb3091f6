"""`troubleshoot-bot ask` and `incidents ...`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser("ask", help="what the bot does for a paste: match, record, answer")
    ask.add_argument("text", nargs="?", default=None, metavar="TEXT",
                     help="the pasted error; '-' or nothing reads standard input")
    ask.add_argument("--lang", choices=("ko", "en"), default=None,
                     help="language of the answer (default: BOT_LANGUAGE or ko)")
    ask.set_defaults(func=lazy("bot.incidents.cli_ask:run_ask"))

    incidents = subparsers.add_parser("incidents", help="list, show and resolve incidents")
    commands = incidents.add_subparsers(dest="incidents_command", required=True)
    listing = commands.add_parser("list", help="incidents, newest first")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument("--status", choices=("open", "resolved", "dismissed", "all"),
                         default="open", help="which incidents (default: open)")
    listing.add_argument("--limit", type=int, default=50, help="at most N (default: 50)")
    listing.set_defaults(func=lazy("bot.incidents.cli_incidents:run_list"))
    show = commands.add_parser("show", help="one incident with its occurrences and feedback")
    show.add_argument("id", type=int, metavar="ID", help="incident number")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=lazy("bot.incidents.cli_incidents:run_show"))
    resolve = commands.add_parser("resolve", help="mark an incident resolved, with how")
    resolve.add_argument("id", type=int, metavar="ID", help="incident number")
    resolve.add_argument("--note", required=True, metavar="TEXT",
                         help="what fixed it (shown the next time the error comes back)")
    resolve.set_defaults(func=lazy("bot.incidents.cli_incidents:run_resolve"))
    purge = commands.add_parser("purge", help="forget occurrence texts older than the retention")
    purge.add_argument("--days", type=int, default=None,
                       help="retention in days (default: RETENTION_DAYS or 90)")
    purge.set_defaults(func=lazy("bot.incidents.cli_incidents:run_purge"))
