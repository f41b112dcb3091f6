"""`troubleshoot-bot serve`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the Slack app (HTTP or Socket Mode)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")
    serve.add_argument("--socket-mode", action="store_true",
                       help="connect out through Socket Mode with SLACK_APP_TOKEN")
    serve.set_defaults(func=lazy("bot.slack.server:run_serve"))
