"""`POST /alerts/azure-monitor` end to end: the real server (gunicorn, two workers) over HTTP,
the real Azure SDKs against the Azure stand-in, the Slack Web API stand-in, and the real
`troubleshoot-bot deployments check` on the same database."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployments.conftest import (
    INIT_FAILURE_LOG,
    PLANTED_SECRETS,
    Bot,
    activity_log_alert,
    bot_env,
    everything_sent,
    metric_alert,
    resource_id,
    top_level_posts,
)
from tests.e2e.conftest import Server, running_server
from tests.support.azure_standin import AzureStandin, V2Deployment
from tests.support.trickle import trickle

pytestmark = pytest.mark.slow

TOKEN = "alert-token-0123456789abcdef"
DEFAULT_CHANNEL = "CALERTDEF1"
WATCHING = "CALERTWAT1"
ACK_BUDGET_S = 3.0


@pytest.fixture(scope="module")
def azure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureStandin]:
    with AzureStandin(tmp_path_factory.mktemp("azure")) as standin:
        standin.add_endpoint("pay-ep", {
            "v1": V2Deployment("v1", logs="INFO serving\n"),
            "v2": V2Deployment("v2", logs=INIT_FAILURE_LOG, state="Failed")},
            traffic={"v1": 100})
        standin.add_endpoint("search-ep", {
            "main": V2Deployment("main", logs=INIT_FAILURE_LOG)}, traffic={"main": 100})
        yield standin


@pytest.fixture(scope="module")
def server(azure: AzureStandin, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from bot.storage.migrations import upgrade

    folder = tmp_path_factory.mktemp("serve-alerts")
    database_url = f"sqlite:///{folder / 'bot.db'}"
    upgrade(database_url)
    env = bot_env(azure, _unused_fake(), folder, database_url)
    with running_server(folder, database_url, "sqlite", env=env, extra_env={
            "ALERT_WEBHOOK_TOKEN": TOKEN, "ALERT_DEFAULT_CHANNEL": DEFAULT_CHANNEL,
            "LOGS_ALLOWED_CHANNELS": f"{DEFAULT_CHANNEL},{WATCHING}",
            "LOGS_TIMEOUT_S": "20"}) as running:
        yield running


def _unused_fake():  # bot_env wants a Slack stand-in; running_server brings its own
    class NoSlack:
        api_url = "http://127.0.0.1:9/api/"

    return NoSlack()


def post_alert(server: Server, body: bytes | dict, *, query: str = f"?token={TOKEN}",
               headers: dict[str, str] | None = None) -> tuple[int, dict, float]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        server.url + "/alerts/azure-monitor" + query, data=data, method="POST",
        headers={"Content-Type": "application/json", **(headers or {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), time.monotonic() - started


def wait_for_row(server: Server, query: str, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while not (rows := server.sql(query)) and time.monotonic() < deadline:
        time.sleep(0.1)  # another process writes it: there is no event to wait on
    return rows


def test_wrong_or_missing_token_is_refused_and_nothing_is_posted(server: Server) -> None:
    alert = activity_log_alert(resource_id("pay-ep", "v2"), alert_guid="wrong-token-1")
    for query, headers in (("?token=not-the-token", None), ("", None),
                           ("", {"X-Alert-Token": "nope"}), ("?token=", None)):
        status, _body, _seconds = post_alert(server, alert, query=query, headers=headers)
        assert status == 401
    assert server.sql("SELECT count(*) FROM deployment_alerts") == [(0,)]  # no work queued
    assert top_level_posts(server.fake, DEFAULT_CHANNEL) == []


def test_oversized_malformed_and_resolved_alerts_are_answered_without_work(
        server: Server) -> None:
    huge = b'{"schemaId": "azureMonitorCommonAlertSchema", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    assert post_alert(server, huge)[0] == 413
    status, body, _ = post_alert(server, b"{not json")
    assert status == 400 and "not JSON" in body["error"]
    # Nested deeper than the JSON parser recurses: RecursionError, once a 500 and a traceback.
    status, body, _ = post_alert(server, b"[" * 100_000)
    assert status == 400 and "not JSON" in body["error"]
    status, body, _ = post_alert(server, {"schemaId": "something-else"})
    assert status == 400 and "common alert schema" in body["error"]
    resolved = activity_log_alert(resource_id("pay-ep", "v2"), alert_guid="resolved-1",
                                  condition="Resolved")
    status, body, _ = post_alert(server, resolved)
    assert (status, body["status"]) == (202, "ignored")
    assert server.sql("SELECT count(*) FROM deployment_alerts") == [(0,)]


def test_a_trickled_alert_is_cut_off_and_real_alerts_still_get_in(server: Server) -> None:
    def another_alert_answered() -> None:  # an ignored one: no work
        resolved = activity_log_alert(resource_id("pay-ep", "v2"), alert_guid="while-slow-1",
                                      condition="Resolved")
        assert post_alert(server, resolved)[0] == 202

    answer, waited = trickle(server.url, f"POST /alerts/azure-monitor?token={TOKEN} HTTP/1.1\r\n"
                             "Host: x\r\nContent-Type: application/json\r\n"
                             "Content-Length: 5000\r\n\r\n{".encode(),
                             meanwhile=another_alert_answered)
    assert answer.startswith(b"HTTP/1.1 408") or answer == b"", answer
    assert 9 <= waited < 16, f"cut off after {waited:.1f} s"
    assert server.sql("SELECT count(*) FROM deployment_alerts") == [(0,)]


def test_an_alert_then_a_check_for_the_same_failure_posts_once(
        server: Server, azure: AzureStandin, tmp_path: Path) -> None:
    bot = Bot(bot_env(azure, server.fake, tmp_path, server.database_url))
    bot.run("deployments", "watch", "--channel", WATCHING, "--match", "pay-*")

    alert = activity_log_alert(resource_id("pay-ep", "v2"), alert_guid="failed-write-1")
    status, body, seconds = post_alert(server, alert, query="",
                                       headers={"X-Alert-Token": TOKEN})
    assert (status, body["status"]) == (202, "accepted")
    assert seconds < ACK_BUDGET_S  # acknowledged at once; Azure and Slack come after

    card = server.wait_in(WATCHING, "chat.postMessage", timeout=60)[0]
    shown = json.dumps(card.args, ensure_ascii=False)
    assert "pay-ep/v2" in shown and "function-fails-get_model_path" in shown
    assert "ml-deployment-failed" in shown  # says which alert reported it
    server.fake.wait_for("files.completeUploadExternal")
    assert top_level_posts(server.fake, DEFAULT_CHANNEL) == []  # the watchers got it
    # The card again with its incident, whose number links to the card's own thread.
    update = server.wait_in(WATCHING, "chat.update")[-1]
    [(incident_id, thread_ts)] = server.sql(
        "SELECT id, thread_ts FROM incidents WHERE channel = :c", c=WATCHING)
    assert (f"<https://test.slack.com/archives/{WATCHING}/p{thread_ts.replace('.', '')}"
            f"|#{incident_id}>") in json.dumps(update.args, ensure_ascii=False)

    outcomes = bot.check_json()
    assert [(o["name"], o["status"]) for o in outcomes] == [("pay-ep/v2", "already reported")]
    status, body, _ = post_alert(server, alert)  # Azure retrying the same notification
    assert (status, body["status"]) == (202, "already received")
    assert len(top_level_posts(server.fake, WATCHING)) == 1

    sent = everything_sent(server.fake)
    for secret in (*PLANTED_SECRETS, TOKEN, "test-sp-secret-value", "alice@example.com"):
        assert secret not in sent
    assert server.sql("SELECT service FROM incidents WHERE channel = :c", c=WATCHING) == [
        ("pay-ep/v2",)]


def test_an_alert_nobody_watches_goes_to_the_default_channel(server: Server) -> None:
    # A metric alert on a serving endpoint: Azure does not call it failed, so the alert is
    # its own episode, and the logs are those of the deployment taking the traffic.
    alert = metric_alert(resource_id("search-ep"), alert_guid="five-xx-1")
    assert post_alert(server, alert)[0] == 202
    card = server.wait_in(DEFAULT_CHANNEL, "chat.postMessage", timeout=60)[0]
    shown = json.dumps(card.args, ensure_ascii=False)
    assert "search-ep" in shown and "ml-endpoint-5xx" in shown
    assert "function-fails-get_model_path" in shown
    # The alert's row is closed once every target is handled (just after the post).
    assert wait_for_row(server, "SELECT status, detail FROM deployment_alerts WHERE alert_id "
                        "LIKE '%five-xx-1%' AND status = 'done'") == [("done", "search-ep: posted")]


def test_an_alert_on_a_deployment_that_does_not_exist_is_closed_without_a_post(
        server: Server) -> None:
    before = len(server.fake.calls_to("chat.postMessage"))
    alert = activity_log_alert(resource_id("ghost-ep", "gone"), alert_guid="ghost-1")
    assert post_alert(server, alert)[0] == 202
    assert wait_for_row(server, "SELECT status, detail FROM deployment_alerts WHERE alert_id "
                        "LIKE '%ghost-1%' AND status = 'done'") == [
        ("done", "no such deployment")]
    assert len(server.fake.calls_to("chat.postMessage")) == before


def test_a_channel_watches_and_stops_watching_from_slack(server: Server) -> None:
    channel = "CSUBWATCH1"

    def say(text: str, count: int) -> str:
        assert server.slack.command(text, channel=channel).status == 200
        replies = server.fake.wait_for("response_url", count,
                                       predicate=lambda call: channel in call.path)
        return str(replies[-1].args.get("text"))

    assert "fraud-*" in say("deployments watch on fraud-*", 1)
    assert server.sql("SELECT channel, pattern, workspace, language, created_by FROM "
                      "deployment_watches WHERE channel = :c", c=channel) == [
        (channel, "fraud-*", "T0000TEST", "en", "U0000ALICE")]
    assert "`fraud-*`" in say("deployments watch list", 2)
    assert "`fraud-*`" in say("배포 감시 목록", 3)  # the Korean words
    assert "not a usable pattern" in say("deployments watch on <!channel>", 4)
    # A bracket that opens no set, or closes none, matches no Azure name: it was taken as a
    # watch that could never fire ("now watches deployments matching `credit-[blue`").
    assert "not a usable pattern" in say("deployments watch on credit-[blue", 5)
    assert "not a usable pattern" in say("deployments watch on credit-blue]", 6)
    assert "`credit-[bg]*`" in say("deployments watch on credit-[bg]*", 7)
    assert "no longer watches" in say("deployments watch off", 8)
    assert server.sql("SELECT count(*) FROM deployment_watches WHERE channel = :c",
                      c=channel) == [(0,)]
    assert "Usage" in say("deployments", 9)
