"""The settings object: defaults of design §3, one error style for bad values, read in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import VARIABLES, Settings, SettingsError, from_environment, settings
from tests.support.cli import run_cli

BOT = Path(__file__).resolve().parent.parent / "bot"


def test_defaults_are_the_fixed_contract() -> None:
    defaults = from_environment({})
    assert defaults.database_url is None  # bot.db: a SQLite file in the working directory
    assert (defaults.port, defaults.bot_language, defaults.logs_timeout_s) == (3000, "ko", 30.0)
    assert defaults.log_sources == ("azureml-v2", "azureml-v1")
    assert defaults.deploy_watch_interval_s == 300
    assert defaults.logs_allowed_channels == frozenset() and not defaults.logs_enabled
    assert defaults.slack_api_url is None and defaults.knowledge_path is None


def test_values_are_parsed_into_their_types() -> None:
    config = from_environment({
        "PORT": "8080", "BOT_LANGUAGE": " EN ", "LOGS_TIMEOUT_S": "2.5",
        "BOT_ADMINS": "U1, U2,,", "KB_MAINTAINERS": "S0MAINT", "LOG_SOURCES": "azureml-v1, k8s",
        "LOGS_ALLOWED_CHANNELS": "C1, *", "SLACK_API_URL": "http://127.0.0.1:9/api",
        "ALERT_DEFAULT_CHANNEL": "COPS", "DEPLOY_WATCH_INTERVAL_S": "60"})
    assert (config.port, config.bot_language, config.logs_timeout_s) == (8080, "en", 2.5)
    assert config.bot_admins == {"U1", "U2"} and config.kb_maintainers == {"S0MAINT"}
    assert config.log_sources == ("azureml-v1", "k8s")
    assert config.logs_allowed_channels == {"*"} and config.logs_enabled
    assert config.slack_api_url == "http://127.0.0.1:9/api/"
    assert (config.alert_default_channel, config.deploy_watch_interval_s) == ("COPS", 60)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("PORT", "abc", "PORT must be a whole number from 1 to 65535, got 'abc'"),
    ("PORT", "70000", "PORT must be a whole number from 1 to 65535, got '70000'"),
    ("BOT_LANGUAGE", "fr", "BOT_LANGUAGE must be ko or en, got 'fr'"),
    ("LOGS_TIMEOUT_S", "0", "LOGS_TIMEOUT_S must be a number of seconds above 0, got '0'"),
    ("LOGS_TIMEOUT_S", "nan", "LOGS_TIMEOUT_S must be a number of seconds above 0, got 'nan'"),
    ("LOGS_RATE_PER_MINUTE", "three",
     "LOGS_RATE_PER_MINUTE must be a whole number of 1 or more, got 'three'"),
    ("RETENTION_DAYS", "-1", "RETENTION_DAYS must be a whole number of 0 or more, got '-1'"),
    ("DEPLOY_WATCH_INTERVAL_S", "5m",
     "DEPLOY_WATCH_INTERVAL_S must be a whole number of 1 or more, got '5m'"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, got 'xml'"),
    ("DIGEST_TIMEZONE", "Mars/Base",
     "DIGEST_TIMEZONE must be an IANA time zone like Asia/Seoul, got 'Mars/Base'"),
    ("SLACK_API_URL", "127.0.0.1:9", "SLACK_API_URL must be an http:// or https:// URL, "
                                     "got '127.0.0.1:9'"),
    ("LOG_SOURCES", ",", "LOG_SOURCES must be comma-separated names, got ','"),
])
def test_a_bad_value_is_one_line_naming_variable_value_and_expectation(
        name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as refused:
        from_environment({name: value})
    assert str(refused.value) == expected


def test_secrets_never_show_when_the_settings_are_printed() -> None:
    config = from_environment({"SLACK_BOT_TOKEN": "xoxb-very-secret",
                               "SLACK_SIGNING_SECRET": "signing-secret",
                               "ALERT_WEBHOOK_TOKEN": "hook-secret",
                               "METRICS_TOKEN": "scrape-secret"})
    shown = repr(config)
    assert "very-secret" not in shown and "signing-secret" not in shown
    assert "hook-secret" not in shown and "slack_bot_token=***" in shown
    assert "scrape-secret" not in shown and "metrics_token=***" in shown


def test_parsed_again_only_when_the_environment_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "4000")
    first = settings()
    assert settings() is first and first.port == 4000
    monkeypatch.setenv("PORT", "4001")
    assert settings().port == 4001


def test_every_variable_has_a_field_named_after_it() -> None:
    assert all(name == name.upper() and name.lower() in Settings.__dataclass_fields__
               for name in VARIABLES)
    assert len(VARIABLES) == len(set(VARIABLES))


# Reads of the process environment outside bot/settings.py, each with its reason.
ALLOWED_ENVIRONMENT_READS = {
    # Azure's own credential variables: the SDKs read them; we only look which are set.
    "bot/logs/workspace.py": 1,
    # XDG_CACHE_HOME, the standard cache folder of every program, not a setting of the bot.
    "bot/disk_cache.py": 1,
}


def test_the_environment_is_read_in_one_place() -> None:
    reads: dict[str, int] = {}
    for path in BOT.rglob("*.py"):
        relative = path.relative_to(BOT.parent).as_posix()
        if relative == "bot/settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        # Writes (`os.environ[X] = ...`, for a library that reads it) are not reads.
        found = len(re.findall(r"os\.environ(?!\[[^\]]+\]\s*=)|os\.getenv|getenv\(", text))
        if found:
            reads[relative] = found
    assert reads == ALLOWED_ENVIRONMENT_READS


@pytest.mark.parametrize("command", [["match", "CrashLoopBackOff"], ["serve"],
                                     ["incidents", "list"]])
def test_every_command_refuses_a_bad_value_with_one_line_and_exit_2(
        command: list[str], tmp_path: Path) -> None:
    env: dict[str, str | None] = dict.fromkeys(VARIABLES)
    env.update({"LOGS_TIMEOUT_S": "soon", "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": "s", "BOT_LANGUAGE": "en"})
    result = run_cli(command, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"troubleshoot-bot {command[0]}: LOGS_TIMEOUT_S must be a number of seconds above 0, "
        "got 'soon'"]
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "value", "korean"), [
    ("LOGS_TIMEOUT_S", "soon", "LOGS_TIMEOUT_S에 쓸 수 없는 값입니다: 'soon'. 0보다 큰 초 단위 "
                               "숫자여야 합니다"),
    ("PORT", "abc", "PORT에 쓸 수 없는 값입니다: 'abc'. 1부터 65535까지의 정수여야 합니다"),
    ("RETENTION_DAYS", "-1", "RETENTION_DAYS에 쓸 수 없는 값입니다: '-1'. 0 이상의 정수여야 "
                             "합니다"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT에 쓸 수 없는 값입니다: 'xml'. text, json 중 하나여야 합니다"),
    ("DIGEST_TIMEZONE", "Mars/Base", "DIGEST_TIMEZONE에 쓸 수 없는 값입니다: 'Mars/Base'. "
                                     "`Asia/Seoul` 같은 시간대 이름이어야 합니다"),
])
def test_a_korean_team_is_told_in_korean_which_value_is_wrong(
        name: str, value: str, korean: str, tmp_path: Path) -> None:
    """BOT_LANGUAGE=ko: every other message of the command is Korean, so this one is too."""
    env: dict[str, str | None] = dict.fromkeys(VARIABLES)
    env.update({name: value, "BOT_LANGUAGE": "ko"})
    result = run_cli(["incidents", "list"], env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"troubleshoot-bot incidents: {korean}"]


def test_a_wrong_language_is_refused_in_the_default_language(tmp_path: Path) -> None:
    env: dict[str, str | None] = dict.fromkeys(VARIABLES)
    env["BOT_LANGUAGE"] = "fr"
    result = run_cli(["incidents", "list"], env=env, cwd=tmp_path)
    assert result.stderr.strip() == ("troubleshoot-bot incidents: BOT_LANGUAGE에 쓸 수 없는 "
                                     "값입니다: 'fr'. ko, en 중 하나여야 합니다")
    english = run_cli(["match", "--lang", "en", "x"], env=env, cwd=tmp_path)
    assert english.stderr.strip() == ("troubleshoot-bot match: BOT_LANGUAGE must be ko or en, "
                                      "got 'fr'")


def test_another_wrong_value_does_not_change_the_language_of_argument_errors(
        tmp_path: Path) -> None:
    """An English team with PORT=abc used to get argparse's errors in Korean (the default),
    because BOT_LANGUAGE was read through the settings that PORT made fail."""
    result = run_cli(["incidents", "show", "seven"],
                     env={"BOT_LANGUAGE": "en", "PORT": "abc"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "error: argument ID: invalid int value: 'seven'" in result.stderr


def test_help_works_whatever_the_settings(tmp_path: Path) -> None:
    result = run_cli(["serve", "--help"], env={"PORT": "abc"}, cwd=tmp_path)
    assert result.returncode == 0 and "--socket-mode" in result.stdout
