"""How the Slack app reads what people typed: sub-commands, Slack's markup, watch-mode filters."""

from __future__ import annotations

import pytest

from bot.slack.flows import clean_slack_text, looks_like_error
from bot.slack.listeners.commands import split_command
from bot.slack.listeners.mentions import is_candidate_for_watch


@pytest.mark.parametrize(("text", "expected"), [
    ("", ("help", "")),
    ("   ", ("help", "")),
    ("help", ("help", "")),
    ("HELP", ("help", "")),
    ("resolve 12 raised the quota", ("resolve", "12 raised the quota")),
    ("resolve\n12\nmulti-line note", ("resolve", "12\nmulti-line note")),
    ("lang ko", ("lang", "ko")),
    ("watch off", ("watch", "off")),
    ("incidents all", ("incidents", "all")),
    ("Error: 0/3 nodes are available", ("", "Error: 0/3 nodes are available")),
    ("  Traceback (most recent call last):\n  File x", ("", "Traceback (most recent call last):"
                                                           "\n  File x")),
])
def test_split_command(text: str, expected: tuple[str, str]) -> None:
    assert split_command(text) == expected


def test_clean_slack_text_restores_the_paste() -> None:
    raw = ("<@UBOT000001> failed: &lt;Response [503]&gt; from "
           "<https://churn.westeurope.inference.ml.azure.com/score|churn.westeurope> &amp; retry")
    assert clean_slack_text(raw) == ("failed: <Response [503]> from churn.westeurope & retry")
    assert clean_slack_text("see <https://x.io/a>") == "see https://x.io/a"
    assert clean_slack_text("<@UBOT000001>") == ""


@pytest.mark.parametrize(("text", "errorish"), [
    ("lunch at noon?", False),
    ("deploy done, thanks all", False),
    ("ERROR: CrashLoopBackOff", True),
    ("0/3 nodes are available: 3 Insufficient nvidia.com/gpu", True),
    ("got a 504 again", True),
    ("Traceback (most recent call last):", True),
])
def test_looks_like_error(text: str, errorish: bool) -> None:
    assert looks_like_error(text) is errorish


BOT = "UBOT000001"


@pytest.mark.parametrize(("event", "watched"), [
    ({"user": "UALICE", "text": "Error: x"}, True),
    ({"user": "UALICE", "text": "Error: x", "subtype": "file_share"}, True),
    ({"user": "UALICE", "text": "Error: x", "subtype": "message_changed"}, False),
    ({"user": "UALICE", "text": "Error: x", "subtype": "channel_join"}, False),
    ({"bot_id": "BOTHER", "text": "Error: x", "subtype": "bot_message"}, False),
    ({"user": "UOTHERAPP", "bot_id": "BOTHER", "text": "Error: x"}, False),
    ({"user": BOT, "text": "Error: x"}, False),
    ({"user": "UALICE", "text": f"<@{BOT}> Error: x"}, False),  # app_mention answers that one
])
def test_watch_mode_ignores_bots_edits_and_mentions(event: dict[str, str], watched: bool) -> None:
    assert is_candidate_for_watch(event, bot_user_id=BOT) is watched
