"""`/troubleshoot <sub-command>` over the real server: Korean words, "did you mean" for a mistyped
command, replies only to the person, and never a sub-command recorded as a pasted error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, migrated_server, new_channel

pytestmark = pytest.mark.slow

OOM_ERROR = "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The database is not the point here: one backend is enough.
    with migrated_server("sqlite", tmp_path_factory.mktemp("serve-subcommands")) as running:
        yield running


def replies(server: Server, channel: str, count: int = 1) -> list[Any]:
    """What was sent to the command's response_url (the person's view), oldest first."""
    return server.fake.wait_for("response_url", count, timeout=20,
                                predicate=lambda call: call.path.endswith("/" + channel))


def nothing_recorded_or_posted(server: Server, channel: str) -> None:
    assert server.sql("SELECT id FROM occurrences WHERE channel = :c", c=channel) == []
    assert server.calls_in(channel, "chat.postMessage") == []


@pytest.mark.parametrize("text", ["incident", "hepl", "logz churn-scorer", "resolv 12"])
def test_a_mistyped_sub_command_gets_did_you_mean_and_is_not_a_paste(server: Server,
                                                                    text: str) -> None:
    channel = new_channel()
    server.slack.command(text, channel=channel)
    [reply] = replies(server, channel)
    assert reply.args["response_type"] == "ephemeral"
    assert "Did you mean `/troubleshoot " in reply.args["text"]
    nothing_recorded_or_posted(server, channel)


def test_did_you_mean_in_korean_offers_the_korean_word(server: Server) -> None:
    channel, user = new_channel(), "U0000KOSUB"
    server.slack.command("언어 한국어", channel=channel, user=user)
    assert "이제 한국어로 답합니다" in replies(server, channel)[0].args["text"]
    server.slack.command("인시던트들", channel=channel, user=user)
    reply = replies(server, channel, 2)[-1].args
    assert "혹시 `/troubleshoot 인시던트` 명령을" in reply["text"]
    nothing_recorded_or_posted(server, channel)


@pytest.mark.parametrize(("text", "expected"), [
    ("도움말", "`/troubleshoot logs <"),
    ("인시던트", "No open incidents (this channel)"),
    ("해결", "Usage: `/troubleshoot resolve"),
    ("로그", "A service name (or endpoint/deployment) is needed."),
    ("요약 구독 화 10시", "every Tuesday at 10:00 (Asia/Seoul)"),
    ("구독취소", "was not subscribed to the weekly digest"),
    ("watch on", "Watching <#"),
])
def test_korean_words_and_replies_only_to_the_person(server: Server, text: str,
                                                      expected: str) -> None:
    channel = new_channel()
    server.slack.command(text, channel=channel)
    [reply] = replies(server, channel)
    assert reply.args["response_type"] == "ephemeral"
    assert expected in json.dumps(reply.args, ensure_ascii=False)
    nothing_recorded_or_posted(server, channel)


def test_resolve_by_command_answers_only_the_resolver(server: Server) -> None:
    channel = new_channel()
    server.slack.command(OOM_ERROR, channel=channel)
    answer = server.wait_in(channel, "chat.postMessage", predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))[0]
    [(incident_id,)] = server.sql("SELECT incident_id FROM occurrences WHERE channel = :c",
                                  c=channel)
    assert f"#{incident_id}" in json.dumps(answer.args)
    server.slack.command(f"해결 #{incident_id} 게이트웨이 재시작", channel=channel)
    done = replies(server, channel)[-1].args
    assert done["response_type"] == "ephemeral"
    assert server.sql("SELECT status, resolution_note FROM incidents WHERE id = :i",
                      i=incident_id) == [("resolved", "게이트웨이 재시작")]
