"""The WSGI routing around Bolt: health for load balancers, 404 elsewhere; gunicorn's settings."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import SettingsError, from_environment
from bot.slack.config import Settings
from bot.slack.health import probe_database
from bot.slack.server import gunicorn_options, make_wsgi_app
from tests.support.slack_api import FakeSlackAPI


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


def settings_for(fake: FakeSlackAPI, database_url: str) -> Settings:
    return Settings(bot_token="xoxb-test", signing_secret="secret", app_token="",
                    api_url=fake.api_url, language="en", database_url=database_url,
                    knowledge_path=None, port=3000)


def call(app: Any, method: str, path: str) -> tuple[str, bytes]:
    seen: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(b""),
               "CONTENT_LENGTH": "0"}
    body = b"".join(app(environ, start_response))
    return seen["status"], body


def test_health_reports_the_database(fake: FakeSlackAPI, migrated_database_url: str,
                                     tmp_path: Path) -> None:
    app = make_wsgi_app(settings_for(fake, migrated_database_url))
    status, body = call(app, "GET", "/healthz")
    assert status == "200 OK" and json.loads(body)["database"] == "ok"
    assert call(app, "GET", "/slack/events")[0] == "404 Not Found"  # Slack only POSTs
    assert call(app, "POST", "/other")[0] == "404 Not Found"

    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'bot.db'}"
    status, body = call(make_wsgi_app(settings_for(fake, unreachable)), "GET", "/healthz")
    assert status == "503 Service Unavailable"
    report = json.loads(body)
    assert report["status"] == "unavailable" and report["database"] == "unreachable"
    # The body says what is wrong in general terms (anyone may read it); the log, the
    # driver's words.
    assert report["reason"] == "the database cannot be reached (the server log says why)"
    assert "unable to open database file" in probe_database(unreachable).detail


def test_health_says_an_empty_database_needs_db_upgrade(fake: FakeSlackAPI,
                                                        tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'bot.db'}"
    status, body = call(make_wsgi_app(settings_for(fake, empty)), "GET", "/healthz")
    report = json.loads(body)
    assert status == "503 Service Unavailable" and report["database"] == "not migrated"
    assert "troubleshoot-bot db upgrade" in report["reason"]


def test_health_never_quotes_the_database_password() -> None:
    """/healthz answers anyone who can reach the events URL. A password with an unescaped `@`
    and `:` made the URL parser's error quote it ('w0rdSecret9@127.0.0.1' taken for the port);
    the probe names the problem instead."""
    check = probe_database("postgresql+psycopg://bot:p@ss:w0rdSecret9@127.0.0.1/bot")
    assert not check.ok and check.state == "unreachable"
    assert "DATABASE_URL cannot be parsed" in check.detail
    assert "w0rdSecret9" not in check.detail and "w0rdSecret9" not in check.reason


def test_gunicorn_runs_threaded_workers_sized_by_the_platform(
        fake: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    options = gunicorn_options(settings_for(fake, "sqlite://"))
    assert options["worker_class"] == "gthread" and options["workers"] == 3
    assert options["bind"] == "0.0.0.0:3000" and options["preload_app"] is False


@pytest.mark.parametrize("name", ["WEB_CONCURRENCY", "WEB_THREADS"])
@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5", "99999", "٣"])
def test_bad_worker_settings_are_a_settings_error(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as refused:
        from_environment({name: value})
    assert str(refused.value) == f"{name} must be a whole number from 1 to 256, got {value!r}"


def serve_refused(tmp_path: Path, settings: dict[str, str]) -> tuple[int, str, str]:
    """`troubleshoot-bot serve` with Slack set and `settings`: its exit code, stdout, stderr.
    A subprocess in its own session: if a start-up check ever regressed, gunicorn would start
    there (not inside pytest) and be killed with its workers."""
    env = {key: val for key, val in os.environ.items()
           if not key.startswith(("SLACK_", "DATABASE_", "WEB_", "BOT_"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", **settings})
    executable = Path(sys.executable).parent / "troubleshoot-bot"
    process = subprocess.Popen([str(executable), "serve", "--port", "0"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, out, err


@pytest.mark.parametrize(("name", "value"), [("WEB_CONCURRENCY", "two"), ("WEB_THREADS", "0")])
def test_serve_with_a_bad_worker_setting_says_one_line_and_starts_nothing(
        name: str, value: str, tmp_path: Path) -> None:
    returncode, _out, err = serve_refused(tmp_path, {
        name: value, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "BOT_LANGUAGE": "en"})
    assert returncode == 2, err
    assert err.strip().splitlines() == [
        f"troubleshoot-bot serve: {name} must be a whole number from 1 to 256, got {value!r}"]


def test_serve_with_an_unparseable_database_url_names_it_and_quotes_no_password(
        tmp_path: Path) -> None:
    """The URL parser's own error quoted the password's tail as the port, in a start-up
    traceback bound for the server log; `serve` now says one line and starts nothing."""
    returncode, out, err = serve_refused(tmp_path, {
        "DATABASE_URL": "postgres://bot:p@ss:w0rdSecret9@127.0.0.1:5432/bot", "BOT_LANGUAGE": "en"})
    assert returncode == 2, err
    assert err.strip().splitlines() == [
        "troubleshoot-bot serve: DATABASE_URL cannot be parsed (in its user name and password, "
        "write @ as %40, : as %3A and / as %2F)."]
    assert "w0rdSecret9" not in out + err
