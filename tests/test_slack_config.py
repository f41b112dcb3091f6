"""Start-up settings: a missing or wrong variable is named, before anything starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.slack.config import ConfigError, load_settings

SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
                   "PORT", "BOT_LANGUAGE")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_http_mode_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        load_settings()


def test_socket_mode_needs_the_app_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN is not set"):
        load_settings(socket_mode=True)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-wrong-kind")
    with pytest.raises(ConfigError, match="starts with xapp-"):
        load_settings(socket_mode=True)


def test_a_user_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN must be a bot token"):
        load_settings()


def test_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    settings = load_settings()
    assert (settings.port, settings.language, settings.api_url) == (3000, "ko", None)
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("BOT_LANGUAGE", "en")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    settings = load_settings()
    assert (settings.port, settings.language, settings.api_url) == (
        8080, "en", "http://127.0.0.1:9/api/")
    assert load_settings(port=5000).port == 5000


def test_dotenv_file_is_read_by_serve(tmp_path: Path) -> None:
    # A wrong token in .env is reported as wrong (not as missing): serve read the file. (Loaded
    # once by the CLI for every command: tests/test_cli_dotenv.py.)
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=from-dotenv\nSLACK_SIGNING_SECRET=s\n")
    executable = Path(sys.executable).parent / "troubleshoot-bot"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BOT_LANGUAGE": "en"}
    result = subprocess.run([str(executable), "serve"], env=env, capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN must be a bot token" in result.stderr


def test_serve_without_credentials_exits_with_the_variable_name(tmp_path: Path) -> None:
    executable = Path(sys.executable).parent / "troubleshoot-bot"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BOT_LANGUAGE": "en"}
    result = subprocess.run([str(executable), "serve"], env=env, capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET are not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("variables", "argv", "said"), [
    ({}, ["serve"], "troubleshoot-bot serve: 설정되지 않은 변수: SLACK_BOT_TOKEN, "
                    "SLACK_SIGNING_SECRET (HTTP 모드에 필요한 변수: SLACK_BOT_TOKEN, "
                    "SLACK_SIGNING_SECRET)"),
    ({"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"}, ["serve"],
     "`SLACK_BOT_TOKEN`에는 봇 토큰(xoxb-로 시작)을 넣어야 합니다."),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, ["serve", "--socket-mode"],
     "`SLACK_APP_TOKEN`에는 앱 수준 토큰(xapp-로 시작)을 넣어야 합니다."),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
      "DATABASE_URL": "postgresql://bot:p@ss:w0rd@db/x"}, ["serve"],
     "`DATABASE_URL`을 해석할 수 없습니다"),
])
def test_a_korean_team_is_told_why_serve_does_not_start_in_korean(
        tmp_path: Path, variables: dict[str, str], argv: list[str], said: str) -> None:
    # BOT_LANGUAGE unset: Korean is the default, and the first thing a team runs is `serve`.
    executable = Path(sys.executable).parent / "troubleshoot-bot"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **variables}
    result = subprocess.run([str(executable), *argv], env=env, capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert said in result.stderr
    assert "not set" not in result.stderr and "must be" not in result.stderr
    assert "w0rd" not in result.stderr and "Traceback" not in result.stderr
