"""Every setting the bot reads from its environment, in one typed, frozen object.

The environment (plus a local `.env`, loaded first by `bot.cli.main`) is read here and nowhere
else, with one error style: a value we cannot use raises SettingsError naming the variable,
what it holds and what it should hold. The CLI prints that line and exits 2; `serve` refuses to
start with it. Field names are the variables' names in lower case (`LOGS_TIMEOUT_S` is
`logs_timeout_s`), and docs/configuration.md documents each one (tests/test_docs.py checks).

Not here, on purpose: Azure's credential variables (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
`AZURE_CLIENT_SECRET`, managed-identity endpoints), which the Azure SDKs themselves read and
`bot.logs.workspace.credentials` only inspects, so secrets never sit in an object that may be
printed or logged.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from bot.i18n import LANGUAGES, Catalog, normalize_language

LOG_FORMATS = ("text", "json")
DEFAULT_LOG_SOURCES = ("azureml-v2", "azureml-v1")
MAX_PORT = 65_535
MAX_WORKERS_OR_THREADS = 256


# What a variable should hold, for the line that refuses it. English is a noun phrase
# ("PORT must be ..."); Korean is the whole predicate, so no particle follows a placeholder.
STRINGS = {
    "bad_value": {"en": "{name} must be {expected}, got {value}",
                  "ko": "{name}에 쓸 수 없는 값입니다: {value}. {expected}"},
    "whole_between": {"en": "a whole number from {minimum} to {maximum}",
                      "ko": "{minimum}부터 {maximum}까지의 정수여야 합니다"},
    "whole_at_least": {"en": "a whole number of {minimum} or more",
                       "ko": "{minimum} 이상의 정수여야 합니다"},
    "seconds": {"en": "a number of seconds above 0", "ko": "0보다 큰 초 단위 숫자여야 합니다"},
    "choice": {"en": "{choices}", "ko": "{choices} 중 하나여야 합니다"},
    "names": {"en": "comma-separated names", "ko": "쉼표로 구분한 이름이어야 합니다"},
    "log_sources": {"en": "known log sources, comma-separated ({known})",
                    "ko": "알려진 로그 소스({known})를 쉼표로 구분해 적어야 합니다"},
    "url": {"en": "an http:// or https:// URL",
            "ko": "`http://` 또는 `https://`로 시작하는 URL이어야 합니다"},
    "timezone": {"en": "an IANA time zone like Asia/Seoul",
                 "ko": "`Asia/Seoul` 같은 시간대 이름이어야 합니다"},
}

say = Catalog(STRINGS)


class SettingsError(ValueError):
    """A variable holds a value the bot cannot use. The message is one line for a person:
    the variable, its value (never for secrets) and what it should be. `str()` is English;
    `said_in(lang)` is the same line in the team's language."""

    def __init__(self, message: str, *, name: str = "", value: str = "", expected: str = "",
                 details: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.name, self.value, self.expected = name, value, expected
        self.details = dict(details or {})

    @classmethod
    def bad_value(cls, name: str, value: str, expected: str, **details: object) -> SettingsError:
        """`expected` is a key of STRINGS, filled with `details` (`choices`: a tuple)."""
        error = cls("", name=name, value=value, expected=expected, details=details)
        error.args = (error.said_in("en"),)
        return error

    def said_in(self, lang: str) -> str:
        if not self.expected:  # raised with a finished sentence (an English one)
            return str(self)
        details = dict(self.details)
        if "choices" in details:
            choices = tuple(details["choices"])  # type: ignore[call-overload]
            details["choices"] = (" or " if lang == "en" else ", ").join(choices)
        return say("bad_value", lang, name=self.name, value=repr(self.value),
                   expected=say(self.expected, lang, **details))


def load_dotenv_file() -> None:
    """Read `.env` in the working directory for local runs; real environment variables win.

    Named explicitly: python-dotenv's own search starts from the calling module's folder (the
    installed package), not from where the command was started.
    """
    from dotenv import load_dotenv

    path = Path.cwd() / ".env"
    if path.is_file():
        load_dotenv(path, override=False)


def _setting(default: object = None, *, secret: bool = False) -> object:
    return field(default=default, metadata={"secret": secret})


@dataclass(frozen=True)
class Settings:
    """What the environment says, parsed and checked. Defaults are design §3's."""

    # ----- storage
    database_url: str | None = _setting()  # as given; bot.storage maps it (None: SQLite)
    # A database that is down or hung must cost a request seconds, not minutes: libpq's connect
    # attempt, a statement on the server (and SQLite's wait for the write lock) and a wait for a
    # pooled connection are each bounded. Raised for unusual set-ups (a far-away database).
    database_connect_timeout_s: int = _setting(3)
    database_statement_timeout_s: int = _setting(20)
    database_pool_timeout_s: int = _setting(3)
    outbox_path: str | None = _setting()
    outbox_max_rows: int = _setting(5_000)
    outbox_max_bytes: int = _setting(50 * 1024 * 1024)
    retention_days: int = _setting(90)
    # ----- Slack
    slack_bot_token: str = _setting("", secret=True)
    slack_signing_secret: str = _setting("", secret=True)
    slack_app_token: str = _setting("", secret=True)
    slack_api_url: str | None = _setting()  # with a trailing slash; None: Slack's own
    # Slack answers in well under a second; a call that takes longer is stuck, and holding a
    # thread for 30 s (slack_sdk's default) starves the others.
    slack_api_timeout_s: int = _setting(10)
    # How long the Home tab trusts a users.info answer (is this person a member?): opening the
    # tab again within it asks Slack nothing.
    home_member_ttl_s: float = _setting(300.0)
    bot_language: str = _setting("ko")
    bot_admins: frozenset[str] = _setting(frozenset())
    kb_maintainers: frozenset[str] = _setting(frozenset())
    # ----- the web server
    port: int = _setting(3000)
    web_concurrency: int = _setting(2)
    web_threads: int = _setting(16)  # gthread: requests in flight per worker, each until ack()
    access_log: str | None = _setting()
    log_format: str = _setting("text")
    prometheus_multiproc_dir: str | None = _setting()
    metrics_token: str = _setting("", secret=True)  # "": GET /metrics answers anyone
    # ----- knowledge
    knowledge_path: str | None = _setting()
    # ----- logs
    logs_allowed_channels: frozenset[str] = _setting(frozenset())  # {"*"}: every channel
    logs_policy_file: str | None = _setting()
    logs_timeout_s: float = _setting(30.0)
    logs_max_concurrent: int = _setting(4)
    logs_rate_per_minute: int = _setting(3)
    log_sources: tuple[str, ...] = _setting(DEFAULT_LOG_SOURCES)
    azure_subscription_id: str = _setting("")
    azure_resource_group: str = _setting("")
    azureml_workspace_name: str = _setting("")
    azureml_config_path: str | None = _setting()
    azureml_current_cloud: str | None = _setting()
    arm_cloud_metadata_url: str | None = _setting()
    # ----- digest
    digest_timezone: str = _setting("Asia/Seoul")
    digest_worker_interval_s: int = _setting(30)
    # ----- alerts and deployment watching
    alert_webhook_token: str = _setting("", secret=True)
    alert_default_channel: str | None = _setting()
    deploy_watch_interval_s: int = _setting(300)

    @property
    def logs_enabled(self) -> bool:
        """Logs may be fetched somewhere: a channel list or a policy file is configured."""
        return bool(self.logs_allowed_channels or self.logs_policy_file)

    def __repr__(self) -> str:  # a settings object may be logged: never its secrets
        return f"Settings({', '.join(_shown(self, item.name) for item in fields(self))})"


def _shown(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    secret = Settings.__dataclass_fields__[name].metadata["secret"]
    return f"{name}={'***' if secret and value else repr(value)}"


VARIABLES = tuple(item.name.upper() for item in fields(Settings))  # what the object reads


# ----- parsing: one function per kind of value, one error style

def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _whole(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1,
           maximum: int | None = None) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() else None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise SettingsError.bad_value(name, raw, "whole_at_least", minimum=minimum)
        raise SettingsError.bad_value(name, raw, "whole_between", minimum=minimum,
                                      maximum=maximum)
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise SettingsError.bad_value(name, raw, "seconds")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() not in choices:
        raise SettingsError.bad_value(name, raw, "choice", choices=choices)
    return raw.lower()


def _ids(env: Mapping[str, str], name: str) -> frozenset[str]:
    """Comma-separated ids; spaces and empty items ignored."""
    return frozenset(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _names(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated names, in order, each once."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    names = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    if not names:
        raise SettingsError.bad_value(name, raw, "names")
    return names


def _url(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(("http://", "https://")):
        raise SettingsError.bad_value(name, raw, "url")
    return raw if raw.endswith("/") else raw + "/"  # WebClient joins method names onto it


def _timezone(env: Mapping[str, str], name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError.bad_value(name, raw, "timezone") from None
    return raw


def from_environment(env: Mapping[str, str]) -> Settings:
    """Settings from `env`; SettingsError on the first value that cannot be used."""
    defaults = Settings()
    logs_channels = _ids(env, "LOGS_ALLOWED_CHANNELS")
    return Settings(
        database_url=_text(env, "DATABASE_URL"),
        database_connect_timeout_s=_whole(env, "DATABASE_CONNECT_TIMEOUT_S",
                                          defaults.database_connect_timeout_s),
        database_statement_timeout_s=_whole(env, "DATABASE_STATEMENT_TIMEOUT_S",
                                            defaults.database_statement_timeout_s),
        database_pool_timeout_s=_whole(env, "DATABASE_POOL_TIMEOUT_S",
                                       defaults.database_pool_timeout_s),
        outbox_path=_text(env, "OUTBOX_PATH"),
        outbox_max_rows=_whole(env, "OUTBOX_MAX_ROWS", defaults.outbox_max_rows),
        outbox_max_bytes=_whole(env, "OUTBOX_MAX_BYTES", defaults.outbox_max_bytes),
        retention_days=_whole(env, "RETENTION_DAYS", defaults.retention_days, minimum=0),
        slack_bot_token=_text(env, "SLACK_BOT_TOKEN") or "",
        slack_signing_secret=_text(env, "SLACK_SIGNING_SECRET") or "",
        slack_app_token=_text(env, "SLACK_APP_TOKEN") or "",
        slack_api_url=_url(env, "SLACK_API_URL"),
        slack_api_timeout_s=_whole(env, "SLACK_API_TIMEOUT_S", defaults.slack_api_timeout_s),
        home_member_ttl_s=_seconds(env, "HOME_MEMBER_TTL_S", defaults.home_member_ttl_s),
        bot_language=_choice(env, "BOT_LANGUAGE", LANGUAGES, defaults.bot_language),
        bot_admins=_ids(env, "BOT_ADMINS"),
        kb_maintainers=_ids(env, "KB_MAINTAINERS"),
        port=_whole(env, "PORT", defaults.port, maximum=MAX_PORT),
        web_concurrency=_whole(env, "WEB_CONCURRENCY", defaults.web_concurrency,
                               maximum=MAX_WORKERS_OR_THREADS),
        web_threads=_whole(env, "WEB_THREADS", defaults.web_threads,
                           maximum=MAX_WORKERS_OR_THREADS),
        access_log=_text(env, "ACCESS_LOG"),
        log_format=_choice(env, "LOG_FORMAT", LOG_FORMATS, defaults.log_format),
        prometheus_multiproc_dir=_text(env, "PROMETHEUS_MULTIPROC_DIR"),
        metrics_token=_text(env, "METRICS_TOKEN") or "",
        # Not stripped: os.pathsep-separated folders, as the platform gives them.
        knowledge_path=env.get("KNOWLEDGE_PATH") or None,
        logs_allowed_channels=frozenset({"*"}) if "*" in logs_channels else logs_channels,
        logs_policy_file=_text(env, "LOGS_POLICY_FILE"),
        logs_timeout_s=_seconds(env, "LOGS_TIMEOUT_S", defaults.logs_timeout_s),
        logs_max_concurrent=_whole(env, "LOGS_MAX_CONCURRENT", defaults.logs_max_concurrent),
        logs_rate_per_minute=_whole(env, "LOGS_RATE_PER_MINUTE", defaults.logs_rate_per_minute),
        log_sources=_names(env, "LOG_SOURCES", defaults.log_sources),
        azure_subscription_id=_text(env, "AZURE_SUBSCRIPTION_ID") or "",
        azure_resource_group=_text(env, "AZURE_RESOURCE_GROUP") or "",
        azureml_workspace_name=_text(env, "AZUREML_WORKSPACE_NAME") or "",
        azureml_config_path=_text(env, "AZUREML_CONFIG_PATH"),
        azureml_current_cloud=_text(env, "AZUREML_CURRENT_CLOUD"),
        arm_cloud_metadata_url=_text(env, "ARM_CLOUD_METADATA_URL"),
        digest_timezone=_timezone(env, "DIGEST_TIMEZONE", defaults.digest_timezone),
        digest_worker_interval_s=_whole(env, "DIGEST_WORKER_INTERVAL_S",
                                        defaults.digest_worker_interval_s),
        alert_webhook_token=_text(env, "ALERT_WEBHOOK_TOKEN") or "",
        alert_default_channel=_text(env, "ALERT_DEFAULT_CHANNEL"),
        deploy_watch_interval_s=_whole(env, "DEPLOY_WATCH_INTERVAL_S",
                                       defaults.deploy_watch_interval_s),
    )


def configured_language() -> str:
    """BOT_LANGUAGE alone, for saying that another variable is wrong (or for argparse's errors,
    read before the settings): PORT=abc must not turn an English team's terminal Korean. A
    value that is not a language gives the default, like every unset setting."""
    return normalize_language(os.environ.get("BOT_LANGUAGE"), Settings().bot_language)


_lock = threading.Lock()
_cached: tuple[tuple[str | None, ...], Settings] | None = None


def settings() -> Settings:
    """This process's settings, parsed once.

    Parsed again only when one of the variables changed since (a test's monkeypatch, `.env`
    loaded after a first look), so a long-running process pays for parsing once.
    """
    global _cached
    snapshot = tuple(os.environ.get(name) for name in VARIABLES)
    with _lock:
        if _cached is None or _cached[0] != snapshot:
            _cached = (snapshot, from_environment(os.environ))
        return _cached[1]


def forget() -> None:
    """Drop the parsed settings, so the next `settings()` reads the environment again.

    `settings()` already re-reads when a variable changed; this is for callers that run several
    commands in one process and want each to start as a new process would (the tests' in-process
    CLI runner, `tests/support/cli.py`).
    """
    global _cached
    with _lock:
        _cached = None
