"""The app as Slack names it, for hints that ask people to invite it (bot.chat.identity has
the auth.test look-up itself)."""

from __future__ import annotations

from typing import Any

from bot.chat.identity import AppIdentity, app_identity
from bot.slack.i18n import t

__all__ = ["AppIdentity", "app_identity", "app_name"]


def app_name(client: Any, lang: str) -> str:
    """The app as a message should name it: a mention Slack renders as its current name, or
    "this app" while Slack cannot say who it is."""
    return app_identity(client).mention or t("this_app", lang)
