"""How the Slack app reads what people typed: sub-commands, Slack's markup, watch-mode filters."""

from __future__ import annotations

import pytest

from bot.slack.flows import clean_slack_text, looks_like_error
from bot.slack.listeners import build_subcommands
from bot.slack.listeners.mentions import is_candidate_for_watch


@pytest.mark.parametrize(("text", "expected"), [
    ("", ("help", "")),
    ("   ", ("help", "")),
    ("help", ("help", "")),
    ("HELP", ("help", "")),
    ("도움말", ("help", "")),
    ("resolve 12 raised the quota", ("resolve", "12 raised the quota")),
    ("해결 12 쿼터 증설", ("resolve", "12 쿼터 증설")),
    ("resolve\n12\nmulti-line note", ("resolve", "12\nmulti-line note")),
    ("lang ko", ("lang", "ko")),
    ("언어 한국어", ("lang", "한국어")),
    ("watch off", ("watch", "off")),
    ("incidents all", ("incidents", "all")),
    ("인시던트", ("incidents", "")),
    ("logs churn-scorer --lines 50", ("logs", "churn-scorer --lines 50")),
    ("로그 churn-scorer", ("logs", "churn-scorer")),
    ("digest subscribe mon", ("digest", "subscribe mon")),
    ("구독 월요일 9시", ("digest", "subscribe 월요일 9시")),
    ("구독취소", ("digest", "unsubscribe")),
    ("Error: 0/3 nodes are available", ("", "Error: 0/3 nodes are available")),
    ("  Traceback (most recent call last):\n  File x", ("", "Traceback (most recent call last):"
                                                           "\n  File x")),
])
def test_split_command(text: str, expected: tuple[str, str]) -> None:
    parsed = build_subcommands().parse(text)
    assert (parsed.subcommand.name if parsed.subcommand else "", parsed.args) == expected


@pytest.mark.parametrize(("text", "meant"), [
    ("incident", "incidents"), ("hepl", "help"), ("logz churn-scorer", "logs"),
    ("lnag ko", "lang"), ("resolv 12", "resolve"), ("digets", "digest"), ("도움", "help"),
    ("로그들 churn", "logs"),
])
def test_a_mistyped_sub_command_is_a_near_miss(text: str, meant: str) -> None:
    registry = build_subcommands()
    assert registry.parse(text).subcommand is None or text == "도움"
    near = registry.near_miss(text)
    assert near is not None and near.name == meant


@pytest.mark.parametrize("text", [
    "CrashLoopBackOff", "OOMKilled", "hello", "Killed", "Error: 0/3 nodes are available",
    "Back-off restarting failed container", "incident at 10:02 pod crash loop backoff on gpu pool",
    "ModuleNotFoundError: No module named 'azureml'", "503", "timeout",
    "로그인 실패", "로그인이 안 돼요", "인시던트가 또 났어요", "도움말이 필요해요",
])
def test_errors_and_chat_are_not_near_misses(text: str) -> None:
    assert build_subcommands().near_miss(text) is None


def test_two_sub_commands_cannot_share_a_word() -> None:
    from bot.slack.subcommands import Subcommand, SubcommandRegistry

    def noop(ctx: object) -> None:
        return None

    with pytest.raises(ValueError, match="로그"):
        SubcommandRegistry([Subcommand("logs", noop, "-", "-", aliases=("로그",)),
                            Subcommand("logins", noop, "-", "-", aliases=("로그",))])


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
