"""The Slack app's settings: the bot's settings (bot.settings) that `serve` needs, checked at
start-up for the mode it runs in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot.i18n import Catalog, KeyedMessage
from bot.settings import Settings as BotSettings
from bot.settings import SettingsError
from bot.settings import settings as bot_settings
from bot.storage import normalize_database_url

DEFAULT_PORT = 3000


# Why `serve` does not start, in BOT_LANGUAGE: a Korean team's first run of the bot.
STRINGS = {
    "missing_one": {"en": "{missing} is not set ({mode} needs {required}). Set it in the "
                          "environment or in a .env file; see docs/slack.md.",
                    "ko": "설정되지 않은 변수: {missing} ({mode}에 필요한 변수: {required}). 환경 "
                          "변수나 .env 파일에 넣으세요(docs/slack.md 참고)."},
    "missing_many": {"en": "{missing} are not set ({mode} needs {required}). Set them in the "
                           "environment or in a .env file; see docs/slack.md.",
                     "ko": "설정되지 않은 변수: {missing} ({mode}에 필요한 변수: {required}). "
                           "환경 변수나 .env 파일에 넣으세요(docs/slack.md 참고)."},
    "http_mode": {"en": "HTTP mode", "ko": "HTTP 모드"},
    "socket_mode": {"en": "Socket Mode", "ko": "소켓 모드"},
    "and": {"en": " and ", "ko": ", "},
    "not_bot_token": {"en": "SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-).",
                      "ko": "`SLACK_BOT_TOKEN`에는 봇 토큰(xoxb-로 시작)을 넣어야 합니다."},
    "not_app_token": {"en": "SLACK_APP_TOKEN must be an app-level token (it starts with xapp-).",
                      "ko": "`SLACK_APP_TOKEN`에는 앱 수준 토큰(xapp-로 시작)을 넣어야 합니다."},
    "unparseable_database_url": {
        "en": "DATABASE_URL cannot be parsed (in its user name and password, write @ as %40, : "
              "as %3A and / as %2F).",
        "ko": "`DATABASE_URL`을 해석할 수 없습니다 (사용자 이름과 비밀번호의 @는 %40, :는 %3A, "
              "/는 %2F로 적으세요)."},
}

say = Catalog(STRINGS)


class ConfigError(KeyedMessage, SystemExit):
    """A setting is missing or wrong; the message names the variable and how to fix it.

    `str()` is the English line; `said_in(lang)` the same line in the team's language."""

    catalog = say

    def __init__(self, key: str, *, command: str = "troubleshoot-bot serve",
                 cause: SettingsError | None = None, **values: str) -> None:
        self.key, self.command, self.cause, self.values = key, command, cause, values
        super().__init__(self.said_in("en"))

    def said_in(self, lang: str) -> str:
        if self.cause is not None:  # a variable the bot's settings refused: it says why
            return f"{self.command}: {self.cause.said_in(lang)}"
        return f"{self.command}: {super().said_in(lang)}"

    def values_in(self, lang: str) -> Mapping[str, object]:
        values = dict(self.values)
        if "mode" in values:  # "HTTP mode needs A and B", in the reader's words
            values["mode"] = say(values["mode"], lang)
            values["required"] = say("and", lang).join(values["required"].split(","))
        return values


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


UNPARSEABLE_DATABASE_URL = say("unparseable_database_url", "en").rstrip(".")


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
        raise ConfigError("settings", cause=error) from None
    given = {"SLACK_BOT_TOKEN": config.slack_bot_token,
             "SLACK_SIGNING_SECRET": config.slack_signing_secret,
             "SLACK_APP_TOKEN": config.slack_app_token}
    required = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"] if socket_mode else [
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    missing = [name for name in required if not given[name]]
    if missing:
        raise ConfigError("missing_one" if len(missing) == 1 else "missing_many",
                          missing=", ".join(missing), required=",".join(required),
                          mode="socket_mode" if socket_mode else "http_mode")
    # Token checks never echo the value: it is a secret.
    if not config.slack_bot_token.startswith("xoxb-"):
        raise ConfigError("not_bot_token")
    if socket_mode and not config.slack_app_token.startswith("xapp-"):
        raise ConfigError("not_app_token", command="troubleshoot-bot serve --socket-mode")
    database_url = normalize_database_url(config.database_url)
    if not database_url_parses(database_url):  # named, never quoted: it holds the password
        raise ConfigError("unparseable_database_url")
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
