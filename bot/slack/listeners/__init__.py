"""Bolt listeners, one module per kind of request. Each `ack()`s first and hands slow work to a
lazy listener that calls into the domain services.

`build_subcommands` is the one list of `/troubleshoot` sub-commands; `register_all` attaches every
listener. Both run inside `build_app`, so nothing depends on what was imported first.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.config import Settings
from bot.slack.listeners import (
    actions,
    commands,
    deployments,
    digest,
    home,
    logs,
    mentions,
    shortcuts,
    teaching,
    views,
)
from bot.slack.subcommands import SubcommandRegistry


def build_subcommands() -> SubcommandRegistry:
    """Every `/troubleshoot <word>` the app answers to, in the order help lists them.
    A new sub-command is its handler plus one line here."""
    return SubcommandRegistry([
        *commands.built_in_subcommands(),
        logs.SUBCOMMAND,
        digest.SUBCOMMAND,
        deployments.SUBCOMMAND,
        teaching.SUBCOMMAND,
    ])


def register_all(app: App, settings: Settings,
                 subcommands: SubcommandRegistry | None = None) -> None:
    registry = subcommands or build_subcommands()
    commands.register(app, settings, registry)
    mentions.register(app, settings, registry)  # `@bot help` answers as the command does
    for module in (shortcuts, actions, views, home, logs, teaching):
        module.register(app, settings)
