"""`troubleshoot-bot digest` and `worker`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    digest = subparsers.add_parser("digest", help="the weekly digest (preview or post)")
    digest.add_argument("--dry-run", action="store_true", help="print, do not post")
    digest.add_argument("--json", action="store_true", help="print the figures as JSON")
    digest.add_argument("--channel", metavar="C",
                        help="Slack channel id to post to (or, with --dry-run, to preview for)")
    digest.add_argument("--week", metavar="YYYY-Www",
                        help="ISO week (default: the last completed week)")
    digest.set_defaults(func=lazy("bot.digest.cli_digest:run_digest"))

    worker = subparsers.add_parser(
        "worker", help="run scheduled work (weekly digests, the deployments watch)")
    worker.set_defaults(func=lazy("bot.digest.worker:run_worker"))
