"""A database outage, end to end: the real server on its own PostgreSQL, which the test freezes
(SIGSTOP: connections open, nothing answers), stops and restarts while people paste errors.

Promised: every paste is acknowledged in time and answered once, saying that history is
unavailable; no apology; every occurrence is in the database once it is back, none twice; a
Slack retry of an event answered during the outage is not answered again, before or after.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, free_port, new_channel, new_ts, running_server
from tests.support.postgres_cluster import PostgresCluster
from tests.support.slack_api import BOT_USER_ID

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
ACK_BUDGET_S = 3.0
UNAVAILABLE = "History is unavailable right now"
SECRET = "AccountKey=" + "Zm9vYmFyYmF6cXV4" * 5 + "=="


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(free_port()).init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def server(cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    from bot.storage.migrations import upgrade

    folder = tmp_path_factory.mktemp("outage")
    upgrade(cluster.url)
    with running_server(folder, cluster.url, "postgresql",
                        extra_env={"OUTBOX_PATH": str(folder / "outbox.sqlite"),
                                   "DATABASE_CONNECT_TIMEOUT_S": "2"}) as running:
        yield running


def is_answer(call: Any) -> bool:
    """An answer carries controls: 👍/👎 (context_actions) and, with history, the incident's
    buttons (actions); without history there is no incident to resolve."""
    return any(block.get("type") in ("actions", "context_actions")
               for block in call.args.get("blocks") or [])


def answers_in(server: Server, channel: str) -> list[Any]:
    return [call for call in server.calls_in(channel, "chat.postMessage") if is_answer(call)]


def wait_for_answer(server: Server, channel: str, timeout: float = 40) -> Any:
    return server.wait_in(channel, "chat.postMessage", timeout=timeout, predicate=is_answer)[0]


def mention_event(channel: str, text: str) -> dict[str, Any]:
    ts = new_ts()
    return {"type": "app_mention", "user": "U0000ALICE", "channel": channel, "ts": ts,
            "event_ts": ts, "text": f"<@{BOT_USER_ID}> {text}"}


def occurrences_by_channel(server: Server) -> dict[str, int]:
    return {row.channel: row.n for row in server.sql(
        "SELECT channel, count(*) AS n FROM occurrences GROUP BY channel")}


def test_pastes_are_answered_through_an_outage_and_recorded_once_it_ends(
        server: Server, cluster: PostgresCluster) -> None:
    # The database is up: the answer names its incident.
    before = new_channel()
    assert server.slack.mention(GPU_ERROR, channel=before).status == 200
    answer = wait_for_answer(server, before)
    # "Incident #12", the number linked to its thread: "Incident <https://...|#12>".
    assert UNAVAILABLE not in answer.args["text"] and re.search(
        r"Incident (<[^|>]+\|)?#\d+", json.dumps(answer.args["blocks"]))

    # Frozen: pooled connections stay open and silent; acks must not wait on them.
    frozen_channels = [new_channel() for _ in range(3)]
    frozen = cluster.freeze()
    try:
        for channel in frozen_channels:
            reply = server.slack.mention(f"{GPU_ERROR} frozen", channel=channel)
            assert reply.status == 200 and reply.seconds < ACK_BUDGET_S, reply
        for channel in frozen_channels:
            assert UNAVAILABLE in json.dumps(wait_for_answer(server, channel).args["blocks"])
    finally:
        cluster.thaw(frozen)

    # Stopped: connections refused. Mentions, a slash command, and Slack retrying an event.
    cluster.stop()
    stopped_channels = [new_channel() for _ in range(3)]
    retried = mention_event(stopped_channels[0], f"{GPU_ERROR} {SECRET}")
    retried_id = "EvOUTAGE" + stopped_channels[0]
    try:
        for retry in (None, 1, 2):
            reply = server.slack.event(retried, event_id=retried_id, retry_num=retry)
            assert reply.status == 200 and reply.seconds < ACK_BUDGET_S, reply
        for channel in stopped_channels[1:]:
            reply = server.slack.mention(f"{GPU_ERROR} stopped", channel=channel)
            assert reply.status == 200 and reply.seconds < ACK_BUDGET_S, reply
        slash_channel = new_channel()
        reply = server.slack.command(f"{GPU_ERROR} slash", channel=slash_channel)
        assert reply.status == 200 and reply.seconds < ACK_BUDGET_S, reply
        stopped_channels.append(slash_channel)
        for channel in stopped_channels:
            answer = wait_for_answer(server, channel)
            assert UNAVAILABLE in json.dumps(answer.args["blocks"])
            assert "container-cannot-be-scheduled" in json.dumps(answer.args["blocks"])
        outbox = Path(server.log_path.parent / "outbox.sqlite").read_bytes()
        assert b"Insufficient nvidia.com/gpu" in outbox  # kept on disk...
        assert SECRET.encode() not in outbox and SECRET[11:23].encode() not in outbox  # redacted
    finally:
        cluster.start()

    # Back: everything kept is written, once; the retried event stays answered once.
    deadline = time.monotonic() + 60
    everyone = [before, *frozen_channels, *stopped_channels]
    while time.monotonic() < deadline:
        if set(occurrences_by_channel(server)) >= set(everyone):
            break
        time.sleep(0.5)  # the poll interval of this wait
    reply = server.slack.event(retried, event_id=retried_id, retry_num=3)
    assert reply.status == 200
    assert server.repeats_ignored(retried_id) >= 1  # turned away before any listener ran
    server.settle()  # a late duplicate answer or a second write has had its time
    counts = occurrences_by_channel(server)
    assert {channel: counts.get(channel) for channel in everyone} == dict.fromkeys(everyone, 1)
    for channel in everyone:
        assert len(answers_in(server, channel)) == 1, channel
    said_everywhere = [json.dumps(call.args) for call in server.fake.calls]
    assert not any("Sorry, something went wrong" in said for said in said_everywhere)
    [row] = server.sql("SELECT count(*) AS n FROM processed_events WHERE event_id = :id",
                       id=retried_id)
    assert row.n == 1
    stored = server.sql("SELECT text FROM occurrences WHERE channel = :c",
                        c=stopped_channels[0])[0].text
    assert SECRET not in stored and "Insufficient nvidia.com/gpu" in stored
    # The slash command's answer started a thread: the incident knows it.
    [slash] = server.sql("SELECT thread_ts FROM occurrences WHERE channel = :c",
                         c=stopped_channels[-1])
    assert slash.thread_ts in [ts for (channel, ts) in server.fake.messages
                               if channel == stopped_channels[-1]]
