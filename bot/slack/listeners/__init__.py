"""Bolt listeners, one module per kind of request. Each `ack()`s first and hands slow work to a
lazy listener that calls into `bot.slack.flows`."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.config import Settings
from bot.slack.listeners import actions, commands, home, mentions, views


def register_all(app: App, settings: Settings) -> None:
    for module in (commands, mentions, actions, views, home):
        module.register(app, settings)

