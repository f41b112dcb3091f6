"""`troubleshoot-bot deployments watch / unwatch / list / check`."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    deployments = subparsers.add_parser(
        "deployments", help="watch deployments: failed ones are diagnosed and posted once")
    commands = deployments.add_subparsers(dest="deployments_command", metavar="COMMAND",
                                          required=True)
    watch = commands.add_parser("watch", help="a channel watches deployments (a glob)")
    watch.add_argument("--channel", metavar="C", required=True, help="Slack channel id")
    watch.add_argument("--match", metavar="GLOB", default="*",
                       help="endpoint/deployment or service names, e.g. 'credit-*' (default *)")
    watch.add_argument("--lang", choices=("ko", "en"), help="the card's language "
                       "(default BOT_LANGUAGE)")
    watch.set_defaults(func=lazy("bot.deployments.cli:run_watch"))

    unwatch = commands.add_parser("unwatch", help="a channel stops watching deployments")
    unwatch.add_argument("--channel", metavar="C", required=True, help="Slack channel id")
    unwatch.set_defaults(func=lazy("bot.deployments.cli:run_unwatch"))

    listing = commands.add_parser("list", help="the channels watching deployments")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(func=lazy("bot.deployments.cli:run_list"))

    check = commands.add_parser(
        "check", help="one watch cycle now: failed deployments diagnosed and posted once each")
    check.add_argument("--json", action="store_true", help="print the outcomes as JSON lines")
    check.set_defaults(func=lazy("bot.deployments.cli:run_check"))
