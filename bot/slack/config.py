"""The Slack app's settings: read once from the environment (and `.env`), checked at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.config import bot_language
from bot.slack.web_api import slack_api_url
from bot.storage import database_url

DEFAULT_PORT = 3000


class ConfigError(SystemExit):
    """A setting is missing or wrong; the message names the variable and how to fix it."""


@dataclass(frozen=True)
class Settings:
    bot_token: str
    signing_secret: str  # empty in Socket Mode, where requests come over our own websocket
    app_token: str  # Socket Mode only
    api_url: str | None  # SLACK_API_URL: None means Slack's own
    language: str  # workspace default, BOT_LANGUAGE
    database_url: str
    knowledge_path: str | None
    port: int = DEFAULT_PORT
    socket_mode: bool = False
    admins: frozenset[str] = frozenset()  # BOT_ADMINS: may act on any channel's incidents


def load_settings(*, socket_mode: bool = False, port: int | None = None) -> Settings:
    """Settings from the environment; a clear ConfigError naming what is missing."""
    required = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"] if socket_mode else [
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    missing = [name for name in required if not os.environ.get(name, "").strip()]
    if missing:
        mode = "Socket Mode" if socket_mode else "HTTP mode"
        raise ConfigError(
            f"troubleshoot-bot serve: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set ({mode} needs "
            f"{' and '.join(required)}). Set {'it' if len(missing) == 1 else 'them'} in the "
            "environment or in a .env file; see docs/slack.md.")
    bot_token = os.environ["SLACK_BOT_TOKEN"].strip()
    if not bot_token.startswith("xoxb-"):
        raise ConfigError("troubleshoot-bot serve: SLACK_BOT_TOKEN must be a bot token "
                          "(it starts with xoxb-).")
    app_token = os.environ.get("SLACK_APP_TOKEN", "").strip()
    if socket_mode and not app_token.startswith("xapp-"):
        raise ConfigError("troubleshoot-bot serve --socket-mode: SLACK_APP_TOKEN must be an "
                          "app-level token (it starts with xapp-).")
    if port is None:
        raw_port = os.environ.get("PORT", "").strip()
        if raw_port and not raw_port.isdigit():
            raise ConfigError(f"troubleshoot-bot serve: PORT must be a number, got {raw_port!r}")
        port = int(raw_port) if raw_port else DEFAULT_PORT
    api_url = slack_api_url()
    return Settings(
        bot_token=bot_token,
        signing_secret=os.environ.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=app_token,
        api_url=api_url,
        language=bot_language(),
        database_url=database_url(),
        knowledge_path=os.environ.get("KNOWLEDGE_PATH") or None,
        port=port,
        socket_mode=socket_mode,
        admins=bot_admins(),
    )


def bot_admins() -> frozenset[str]:
    """BOT_ADMINS: Slack user ids, comma-separated (spaces and empty items ignored)."""
    return frozenset(part.strip() for part in os.environ.get("BOT_ADMINS", "").split(",")
                     if part.strip())
