"""`troubleshoot-bot match`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("match", help="match a pasted error against the knowledge base")
    parser.add_argument("text", nargs="?", default=None, metavar="TEXT",
                        help="the pasted error; '-' or nothing reads standard input")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--top", type=int, default=3, metavar="N", help="candidates to show")
    parser.add_argument("--lang", choices=("ko", "en"), default=None,
                        help="language of titles and answers (default: BOT_LANGUAGE or ko)")
    parser.add_argument("--batch", metavar="FILE.jsonl",
                        help='read {"id", "text"} lines, write one JSON result per line')
    parser.set_defaults(func=lazy("bot.matching.cli_match:run_match"))
