"""The Slack app's settings: the bot's settings (bot.settings) that `serve` needs, checked at
start-up for the mode it runs in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings as BotSettings
from bot.settings import SettingsError
from bot.settings import settings as bot_settings
from bot.storage import normalize_database_url

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


UNPARSEABLE_DATABASE_URL = (
    "DATABASE_URL cannot be parsed (in its user name and password, write @ as %40, : as %3A "
    "and / as %2F)")


def database_url_parses(url: str) -> bool:
    """Whether SQLAlchemy can read `url`. A password with an unescaped `@` and `:` cannot be,
    and the parser's error then quotes part of it as the port ('w0rd@db'): such an error
    must be named, never shown (in a start-up traceback, a log line, or /healthz)."""
    try:
        make_url(url).port  # noqa: B018 (the port is parsed when read)
    except (ValueError, ArgumentError):
        return False
    return True


def load_settings(*, socket_mode: bool = False, port: int | None = None,
                  config: BotSettings | None = None) -> Settings:
    """The Slack app's settings from the bot's (`config`, else the environment's); a clear
    ConfigError naming what is missing or wrong."""
    try:
        config = config or bot_settings()
    except SettingsError as error:
        raise ConfigError(f"troubleshoot-bot serve: {error}") from None
    given = {"SLACK_BOT_TOKEN": config.slack_bot_token,
             "SLACK_SIGNING_SECRET": config.slack_signing_secret,
             "SLACK_APP_TOKEN": config.slack_app_token}
    required = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"] if socket_mode else [
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    missing = [name for name in required if not given[name]]
    if missing:
        mode = "Socket Mode" if socket_mode else "HTTP mode"
        raise ConfigError(
            f"troubleshoot-bot serve: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set ({mode} needs "
            f"{' and '.join(required)}). Set {'it' if len(missing) == 1 else 'them'} in the "
            "environment or in a .env file; see docs/slack.md.")
    # Token checks never echo the value: it is a secret.
    if not config.slack_bot_token.startswith("xoxb-"):
        raise ConfigError("troubleshoot-bot serve: SLACK_BOT_TOKEN must be a bot token "
                          "(it starts with xoxb-).")
    if socket_mode and not config.slack_app_token.startswith("xapp-"):
        raise ConfigError("troubleshoot-bot serve --socket-mode: SLACK_APP_TOKEN must be an "
                          "app-level token (it starts with xapp-).")
    database_url = normalize_database_url(config.database_url)
    if not database_url_parses(database_url):  # named, never quoted: it holds the password
        raise ConfigError(f"troubleshoot-bot serve: {UNPARSEABLE_DATABASE_URL}.")
    return Settings(
        bot_token=config.slack_bot_token,
        signing_secret=config.slack_signing_secret,
        app_token=config.slack_app_token,
        api_url=config.slack_api_url,
        language=config.bot_language,
        database_url=database_url,
        knowledge_path=config.knowledge_path,
        port=config.port if port is None else port,
        socket_mode=socket_mode,
        admins=config.bot_admins,
    )
