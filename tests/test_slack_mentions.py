"""Mentioning the bot in the thread of an error, as people do: with a question, not the error.

The real app in this process (tests/support/inprocess.py), signed events as Slack sends them,
the Slack stand-in answering conversations.replies with the thread's first message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import SIGNING_SECRET
from tests.e2e.conftest import InProcessSender, new_ts
from tests.support.inprocess import InProcessSlack

OOM_ERROR = "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?"


def mention_in_thread(slack_app: InProcessSlack, channel: str, *, root_text: str,
                      said: str) -> list[dict[str, Any]]:
    """Someone posted `root_text`; another person mentions the bot in its thread with `said`.
    What the bot then posted or showed in that thread, oldest first."""
    root_ts = new_ts()
    slack_app.fake.replies[root_ts] = [
        {"type": "message", "user": "U0000BOB", "ts": root_ts, "text": root_text}]
    InProcessSender(slack_app, SIGNING_SECRET).mention(said, channel=channel, thread_ts=root_ts,
                                       user="U0000ALICE")
    slack_app.settle()
    return [call.args for call in slack_app.fake.calls
            if call.method in ("chat.postMessage", "chat.postEphemeral")
            and call.args.get("channel") == channel and call.args.get("thread_ts") == root_ts]


@pytest.mark.parametrize("question", ["이거 왜 이래요?", "any idea what this is?",
                                      "도와주세요 ㅠㅠ 어제부터 계속 이래요"])
def test_a_question_in_the_thread_of_an_error_diagnoses_the_error(
        slack_app: InProcessSlack, channel: str, question: str) -> None:
    said = mention_in_thread(slack_app, channel, root_text=f"deploy failed again:\n{OOM_ERROR}",
                             said=question)
    shown = json.dumps(said, ensure_ascii=False)
    assert "vm-out-of-memory" in shown, shown  # the thread's error, answered in its thread
    assert "no error message" not in shown.lower()


def test_a_question_in_a_thread_without_an_error_is_still_not_a_paste(
        slack_app: InProcessSlack, channel: str) -> None:
    said = mention_in_thread(slack_app, channel, root_text="점심 뭐 먹을까요?",
                             said="이거 왜 이래요?")
    assert [args.get("blocks") for args in said if "vm-out-of-memory" in json.dumps(args)] == []
    assert all("actions" not in json.dumps(args.get("blocks") or []) for args in said)


def test_an_error_in_the_mention_itself_is_what_is_diagnosed(slack_app: InProcessSlack,
                                                             channel: str) -> None:
    said = mention_in_thread(slack_app, channel, root_text="deploy failed again, see below",
                             said="Back-off restarting failed container")
    shown = json.dumps(said, ensure_ascii=False)
    assert "service-launch-fails" in shown and "vm-out-of-memory" not in shown


def test_help_in_a_thread_is_still_help(slack_app: InProcessSlack, channel: str) -> None:
    said = mention_in_thread(slack_app, channel, root_text=OOM_ERROR, said="help")
    shown = json.dumps(said, ensure_ascii=False)
    assert "/troubleshoot" in shown and "vm-out-of-memory" not in shown
