"""`troubleshoot-bot serve` when things around it are not ready (issue 9): Slack down at start,
a database never migrated, a database that hangs; and LOG_FORMAT=json. Each test starts its
own server, because each needs a different world around it.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import new_channel, running_server
from tests.support.slack_api import FakeSlackAPI

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


def health(base_url: str) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=15) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


def wait_for_health(base_url: str, status: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        seen, body, _ = health(base_url)
        if seen == status:
            return body
        assert time.monotonic() < deadline, f"/healthz still {seen}: {body}"
        time.sleep(0.3)  # the poll interval of this wait


def wait_for_log(server: Any, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while text not in server.log():
        assert time.monotonic() < deadline, f"{text!r} never appeared in the server log"
        time.sleep(0.2)  # the poll interval of this wait


def test_serve_starts_while_slack_is_down_and_is_ready_once_it_is_back(tmp_path: Path) -> None:
    from bot.storage.migrations import upgrade

    database_url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(database_url)
    fake = FakeSlackAPI().start()
    fake.fail_next("auth.test", status=503, body={"ok": False, "error": "service_unavailable"},
                   times=10**6)
    with running_server(tmp_path, database_url, "sqlite", fake=fake, healthy=False) as server:
        status, body, _ = health(server.url)
        assert status == 503
        assert body["slack"] == "not connected" and body["database"] == "ok"
        assert "auth.test" in body["reason"]
        # The first auth.test fails only after the Web API client's own 5xx retries (with
        # backoff), so the line comes a few seconds after the server answers.
        wait_for_log(server, "Slack is not reachable at start", timeout=30)

        fake.recover("auth.test")
        assert wait_for_health(server.url, 200, timeout=45)["slack"] == "ok"
        channel = new_channel()
        assert server.slack.command(GPU_ERROR, channel=channel).status == 200
        server.wait_in(channel, "chat.postMessage")


def test_an_unmigrated_database_is_reported_until_db_upgrade_and_logs_are_json(
        tmp_path: Path) -> None:
    from bot.storage.migrations import upgrade

    database_url = f"sqlite:///{tmp_path / 'bot.db'}"  # never migrated
    with running_server(tmp_path, database_url, "sqlite", healthy=False,
                        extra_env={"LOG_FORMAT": "json"}) as server:
        status, body, _ = health(server.url)
        assert status == 503 and body["database"] == "not migrated"
        assert "troubleshoot-bot db upgrade" in body["reason"]
        lines = [json.loads(line) for line in server.log().splitlines()
                 if line.startswith("{")]
        assert any("troubleshoot-bot db upgrade" in line["message"]
                   and line["level"] == "ERROR" for line in lines), server.log()

        upgrade(database_url)  # what the start-up line told the operator to do
        wait_for_health(server.url, 200, timeout=15)

        # An apology's reference id is a field of the JSON log line that holds the trace.
        channel = new_channel()
        server.fake.fail_next("chat.postMessage", body={"ok": False, "error": "invalid_blocks"},
                              times=5)
        server.slack.command(GPU_ERROR, channel=channel)
        apology = server.fake.wait_for("response_url",
                                       predicate=lambda call: call.path.endswith(channel))[0]
        reference = apology.args["text"].split("Reference `")[1].split("`")[0]
        wait_for_log(server, reference, timeout=10)
        entries = [json.loads(line) for line in server.log().splitlines()
                   if line.startswith("{") and reference in line]
        assert any(entry.get("reference") == reference and "Traceback" in entry.get("trace", "")
                   for entry in entries), server.log()[-3000:]


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word, like a hung database."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


def test_healthz_answers_at_once_when_the_database_hangs(tmp_path: Path,
                                                         black_hole: int) -> None:
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:{black_hole}/hung"
    with running_server(tmp_path, database_url, "postgresql", healthy=False) as server:
        for _ in range(3):  # and again: stuck probes do not pile up
            status, body, seconds = health(server.url)
            assert status == 503 and body["database"] in ("not answering", "unreachable")
            assert seconds < 4, f"/healthz took {seconds:.1f} s"


def test_healthz_tells_the_internet_the_state_not_the_database_servers_words(
        tmp_path: Path) -> None:
    """/healthz answers anyone who can reach the events URL. It quoted the driver's error:
    `connection to server at "10.0.3.4", port 5432 failed: FATAL: database "payments_prod"
    does not exist`, the database's address, port and names. The body now says what is wrong
    in general terms; the operator's log keeps the driver's words (never the password)."""
    database_url = ("postgresql://troubleshoot_probe:Wint3rPassw0rd@127.0.0.1:5432/"
                    "payments_prod_ledger")
    with running_server(tmp_path, database_url, "postgresql", healthy=False) as server:
        status, body, _ = health(server.url)
        assert status == 503 and body["database"] == "unreachable"
        assert "server log" in body["reason"]
        shown = json.dumps(body)
        for internal in ("127.0.0.1", "5432", "payments_prod_ledger", "troubleshoot_probe",
                         "Wint3rPassw0rd", "FATAL"):
            assert internal not in shown, shown
        wait_for_log(server, "health check: ", timeout=15)
        logged = server.log()
        assert "5432" in logged and "Wint3rPassw0rd" not in logged
