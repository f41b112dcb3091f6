"""The message shortcut "Diagnose this error" (issue 13, Build 5), end to end: the real app in this
process, signed `message_action` payloads as Slack sends them, the Slack stand-in, both databases.

On any message, a person's or an alert another bot posted (whose error is often only in its
attachments or blocks), the answer goes to that message's thread through the same answer service
as a paste, and the incident lives in that thread.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.slack.listeners.shortcuts import SHORTCUT_DIAGNOSE
from bot.slack.permalinks import shown_text
from tests.e2e.conftest import (
    Server,
    in_process_server,
    new_channel,
    new_trigger_id,
    new_ts,
)
from tests.e2e.test_slack_conversations import CRASH_ERROR, GPU_ERROR, all_text
from tests.support.slack_api import BOT_USER_ID, TEAM_ID

pytestmark = pytest.mark.slow


server = in_process_server("shortcut")  # the app in this process: no socket or worker


def use_shortcut(server: Server, channel: str, message: dict[str, Any],
                 user: str = "U0000ALICE") -> None:
    payload = {
        "type": "message_action", "token": "legacy", "action_ts": new_ts(),
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "username": "alice", "team_id": TEAM_ID, "name": "alice"},
        "channel": {"id": channel, "name": "incidents"}, "is_enterprise_install": False,
        "callback_id": SHORTCUT_DIAGNOSE, "trigger_id": new_trigger_id("shortcut"),
        "response_url": server.fake.response_url(f"{channel}-shortcut"),
        "message_ts": message["ts"], "message": message}
    assert server.slack.interaction(payload).status == 200


def answer_in_thread(server: Server, channel: str, thread_ts: str) -> Any:
    return server.wait_in(channel, "chat.postMessage", predicate=lambda call: (
        call.args.get("thread_ts") == thread_ts))[0]


def test_a_persons_message_is_answered_in_its_thread(server: Server) -> None:
    channel, ts = new_channel(), new_ts()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": ts,
                                   "text": f"deploy broke :( {GPU_ERROR}"})
    answer = answer_in_thread(server, channel, ts)
    text = shown_text(all_text(answer.args["blocks"]))
    assert "container-cannot-be-scheduled" in text and ":red_circle: *Open*" in text
    [(source, thread)] = server.sql(
        "SELECT o.source, i.thread_ts FROM occurrences o JOIN incidents i "
        "ON i.id = o.incident_id WHERE o.channel = :c", c=channel)
    assert (source, thread) == ("shortcut", ts)  # the incident lives in that thread


def test_another_bots_alert_is_read_from_its_attachments(server: Server) -> None:
    channel, ts = new_channel(), new_ts()
    alert = {"type": "message", "subtype": "bot_message", "bot_id": "B0MONITOR", "ts": ts,
             "text": "", "attachments": [{
                 "fallback": "Alert fired: scoring-prod", "color": "danger",
                 "title": "Alert fired: scoring-prod",
                 "fields": [{"title": "Resource", "value": "aks-prod/scoring", "short": True},
                            {"title": "Message", "value": f"Warning BackOff {CRASH_ERROR}",
                             "short": False}]}]}
    use_shortcut(server, channel, alert)
    answer = answer_in_thread(server, channel, ts)
    assert "service-launch-fails" in all_text(answer.args["blocks"])


def test_a_reply_in_a_thread_is_answered_in_that_thread(server: Server) -> None:
    channel, root, reply = new_channel(), new_ts(), new_ts()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": reply,
                                   "thread_ts": root, "text": GPU_ERROR})
    assert answer_in_thread(server, channel, root)


def test_nothing_to_read_or_its_own_answer_is_told_to_the_person_only(server: Server) -> None:
    channel = new_channel()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": new_ts(),
                                   "text": ""})
    use_shortcut(server, channel, {"type": "message", "user": BOT_USER_ID, "bot_id": "BBOT",
                                   "ts": new_ts(), "text": "Container cannot be scheduled"})
    told = server.fake.wait_for("response_url", 2, predicate=lambda call: (
        call.path.endswith(f"/{channel}-shortcut")))
    texts = [call.args["text"] for call in told]
    assert all(call.args["response_type"] == "ephemeral" for call in told)
    assert "no text I can read as an error" in json.dumps(texts)
    assert "one of my own answers" in json.dumps(texts)
    server.settle()
    assert not server.calls_in(channel, "chat.postMessage")
    assert not server.sql("SELECT id FROM occurrences WHERE channel = :c", c=channel)


def test_a_message_that_is_only_an_empty_code_block_is_nothing_to_read(server: Server) -> None:
    # An empty code block was read as a paste: a public "No known fix" and an incident.
    channel = new_channel()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": new_ts(),
                                   "text": "```\n```"})
    told = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith(f"/{channel}-shortcut")))
    assert "no text I can read as an error" in told[0].args["text"]
    server.settle()
    assert not server.calls_in(channel, "chat.postMessage")
    assert not server.sql("SELECT id FROM occurrences WHERE channel = :c", c=channel)


@pytest.mark.parametrize("said", ["배포가 안 돼요 ㅠㅠ 도와주세요", "hello, anyone around?"])
def test_a_message_that_names_no_error_is_told_to_the_person_only(server: Server,
                                                                  said: str) -> None:
    """A plea for help with no error in it was answered in its thread with a public "no known
    fix" and recorded as an incident the digest then listed as an unknown error: a paste or a
    mention of the same words gets a word to the person only."""
    channel = new_channel()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": new_ts(),
                                   "text": said})
    told = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith(f"/{channel}-shortcut")))
    assert told[0].args["response_type"] == "ephemeral"
    assert "no error message in it, so nothing was posted or recorded" in told[0].args["text"]
    server.settle()
    assert not server.calls_in(channel, "chat.postMessage")
    assert not server.sql("SELECT id FROM occurrences WHERE channel = :c", c=channel)


def test_a_korean_user_gets_the_answer_in_korean(server: Server) -> None:
    channel, user = new_channel(), "U0000KOSHORT"
    server.slack.command("언어 한국어", channel=channel, user=user)
    server.fake.wait_for("response_url", predicate=lambda call: call.path.endswith(channel))
    ts = new_ts()
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": ts,
                                   "text": GPU_ERROR}, user=user)
    assert "진행 중" in all_text(answer_in_thread(server, channel, ts).args["blocks"])


def test_in_a_channel_the_bot_is_not_in_the_answer_comes_through_the_shortcut(
        server: Server) -> None:
    channel, ts = new_channel(), new_ts()
    server.fake.leave_channel(channel, error="channel_not_found")  # a private channel
    use_shortcut(server, channel, {"type": "message", "user": "U0000BOB", "ts": ts,
                                   "text": GPU_ERROR})
    replies = server.fake.wait_for("response_url", 2, predicate=lambda call: (
        call.path.endswith(f"/{channel}-shortcut")))
    kinds = {call.args["response_type"]: call.args for call in replies}
    assert "container-cannot-be-scheduled" in all_text(kinds["in_channel"]["blocks"])
    assert kinds["ephemeral"]["text"].endswith(f"(`/invite`, then pick it): <@{BOT_USER_ID}>")
