"""The WSGI routing around Bolt: health for load balancers, 404 elsewhere; gunicorn's settings."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack.config import Settings
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
    assert "unable to open database file" in report["reason"]


def test_health_says_an_empty_database_needs_db_upgrade(fake: FakeSlackAPI,
                                                        tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'bot.db'}"
    status, body = call(make_wsgi_app(settings_for(fake, empty)), "GET", "/healthz")
    report = json.loads(body)
    assert status == "503 Service Unavailable" and report["database"] == "not migrated"
    assert "troubleshoot-bot db upgrade" in report["reason"]


def test_gunicorn_runs_threaded_workers_sized_by_the_platform(
        fake: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    options = gunicorn_options(settings_for(fake, "sqlite://"))
    assert options["worker_class"] == "gthread" and options["workers"] == 3
    assert options["bind"] == "0.0.0.0:3000" and options["preload_app"] is False


@pytest.mark.parametrize("name", ["WEB_CONCURRENCY", "WEB_THREADS"])
@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5", "99999", "٣"])
def test_bad_worker_settings_stop_serve_with_one_line(name: str, value: str,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env from the working directory
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv(name, value)
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"troubleshoot-bot serve: {name} must be a whole number from 1 to 256, "
                   f"got {value!r}")
