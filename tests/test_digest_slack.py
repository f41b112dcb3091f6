"""`/troubleshoot digest ...`: the handler driven through a CommandContext whose client and
respond() are the real slack_sdk WebClient and Bolt Respond, talking to the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy import select

from bot.digest.models import DigestSubscription
from bot.slack.listeners import build_subcommands
from bot.slack.listeners.digest import digest_command
from bot.slack.subcommands import CommandContext
from bot.storage import engine_for
from tests.support.slack_api import FakeSlackAPI
from tests.test_digest_figures import seed_history

SUBSCRIPTIONS = DigestSubscription.__table__


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


def run(slack: FakeSlackAPI, url: str, args: str, *, lang: str = "en",
        channel: str = "C1", command: str = "digest") -> dict:
    """Run `/troubleshoot digest <args>` through the app's sub-command registry and return what
    was sent to the response_url. `command=""`: `args` is the whole command text."""
    before = len(slack.calls_to("response_url"))
    context = CommandContext(
        client=WebClient(token="xoxb-test", base_url=slack.api_url),
        respond=Respond(response_url=slack.response_url("digest")),
        workspace="T1", channel=channel, user="U1", args="", lang=lang, database_url=url)
    parsed = build_subcommands().parse(f"{command} {args}".strip())
    assert parsed.subcommand is not None and parsed.subcommand.name == "digest"
    parsed.subcommand.handler(replace(context, args=parsed.args))
    calls = slack.wait_for("response_url", before + 1)
    return calls[-1].args


def subscription(url: str, channel: str = "C1"):  # type: ignore[no-untyped-def]
    with engine_for(url).connect() as conn:
        return conn.execute(select(SUBSCRIPTIONS)
                            .where(SUBSCRIPTIONS.c.channel == channel)).first()


def test_digest_is_registered_as_a_subcommand() -> None:
    digest = build_subcommands().get("digest")
    assert digest is not None and digest.handler is digest_command
    assert build_subcommands().get("요약") is digest
    assert "subscribe" in digest.help_en
    assert "구독" not in digest.help_en and "요일" in digest.help_ko


def test_preview_is_ephemeral_and_shows_the_figures(slack: FakeSlackAPI,
                                                    migrated_database_url: str) -> None:
    seed_history(migrated_database_url)
    answer = run(slack, migrated_database_url, "2026-W47")

    assert answer["response_type"] == "ephemeral"
    assert "2026-W47" in answer["text"]
    blocks = str(answer["blocks"])
    assert "visible only to you" in blocks
    assert "container-cannot-be-scheduled" in blocks
    assert slack.calls_to("chat.postMessage") == []  # nothing went to the channel

    korean = run(slack, migrated_database_url, "preview 2026-W47", lang="ko")
    assert "주간 요약" in korean["text"] and korean["response_type"] == "ephemeral"


def test_preview_of_the_last_week_works_on_an_empty_database(
        slack: FakeSlackAPI, migrated_database_url: str) -> None:
    answer = run(slack, migrated_database_url, "")
    assert answer["response_type"] == "ephemeral"
    assert "quiet week" in answer["text"]


def test_subscribe_with_defaults_then_change_then_unsubscribe(
        slack: FakeSlackAPI, migrated_database_url: str) -> None:
    url = migrated_database_url
    answer = run(slack, url, "subscribe")
    assert "every Monday at 09:00 (Asia/Seoul)" in answer["text"]
    row = subscription(url)
    assert (row.weekday, row.time_of_day, row.timezone, row.language, row.workspace) == (
        0, "09:00", "Asia/Seoul", "en", "T1")

    answer = run(slack, url, "subscribe 17:30 Europe/Berlin fri")
    assert "every Friday at 17:30 (Europe/Berlin)" in answer["text"]
    row = subscription(url)
    assert (row.weekday, row.time_of_day, row.timezone) == (4, "17:30", "Europe/Berlin")

    answer = run(slack, url, "subscribe 화 8:05", lang="ko")
    assert "매주 화요일 08:05 (Asia/Seoul)" in answer["text"]
    assert (subscription(url).weekday, subscription(url).language) == (1, "ko")

    assert "no longer" in run(slack, url, "unsubscribe")["text"]
    assert subscription(url) is None
    assert "was not subscribed" in run(slack, url, "unsubscribe")["text"]


def test_subscribe_in_korean_with_a_scope(slack: FakeSlackAPI,
                                          migrated_database_url: str) -> None:
    url = migrated_database_url
    answer = run(slack, url, "구독 월요일 오전 9시 워크스페이스", lang="ko")
    assert "매주 월요일 09:00 (Asia/Seoul)" in answer["text"], answer
    assert "모든 공개 채널과 이 채널" in answer["text"]
    assert (subscription(url).scope, subscription(url).scope_channels) == ("workspace", None)

    slack.add_channel("G0SECRET01", private=True)
    answer = run(slack, url, "subscribe 21시 <#C0PUBLIC01|ml-serving> <#G0SECRET01|secret>")
    assert "every Monday at 21:00" in answer["text"]
    assert "<#C0PUBLIC01>, <#G0SECRET01>" in answer["text"]
    # Said at once: the private channel's incidents stay in its own digest.
    assert "private channel" in answer["text"] and "<#G0SECRET01> will be left out" in (
        answer["text"])
    row = subscription(url)
    assert (row.scope, row.scope_channels) == ("channels", "C0PUBLIC01 G0SECRET01")


def test_channels_typed_by_name_are_looked_up(slack: FakeSlackAPI,
                                             migrated_database_url: str) -> None:
    """The manifest does not escape the command (a paste must arrive as typed), so Slack sends
    `#ml-serving` as that text: "I could not read `#ml-serving`… or a channel mention" was the
    answer to a channel mention, and listed channels could not be subscribed at all.
    A private channel is found only from inside it: elsewhere its name gets the answer a name
    nobody uses gets (round 10: it told anyone which private channels exist)."""
    url = migrated_database_url
    slack.add_channel("C0MLSERVE01")  # named incidents-c0mlserve01 by the stand-in
    slack.add_channel("C0MLSERVE03")
    slack.add_channel("G0SECRET02", private=True)
    answer = run(slack, url, "구독 월요일 9시 #incidents-c0mlserve01 #incidents-c0mlserve03",
                 lang="ko")
    assert "<#C0MLSERVE01>, <#C0MLSERVE03>" in answer["text"], answer
    row = subscription(url)
    assert (row.scope, row.scope_channels) == ("channels", "C0MLSERVE01 C0MLSERVE03")

    for name in ("no-such-channel", "incidents-g0secret02"):
        answer = run(slack, url, f"subscribe #{name}")
        assert f"could not find the channel #{name}" in answer["text"]
        assert "G0SECRET02" not in answer["text"]
        assert subscription(url).scope_channels == "C0MLSERVE01 C0MLSERVE03"  # unchanged

    answer = run(slack, url, "subscribe #incidents-g0secret02", channel="G0SECRET02")
    assert "Subscribed <#G0SECRET02>" in answer["text"], answer
    assert subscription(url, "G0SECRET02").scope_channels == "G0SECRET02"


@pytest.mark.parametrize("args, complaint", [
    ("subscribe noon", "could not read `noon`"),
    ("subscribe 25:00", "`25:00` is not a time of day"),
    ("subscribe mon tue", "weekday was given twice"),
    ("subscribe Mars/Olympus", "could not read `Mars/Olympus`"),
    ("2026-W60", "`2026-W60` is not a week I can read"),
    ("frobnicate", "Usage:"),
])
def test_bad_input_gets_a_clear_ephemeral_answer(slack: FakeSlackAPI,
                                                 migrated_database_url: str, args: str,
                                                 complaint: str) -> None:
    answer = run(slack, migrated_database_url, args)
    assert answer["response_type"] == "ephemeral"
    assert complaint in answer["text"]
    assert "Traceback" not in answer["text"]
    assert subscription(migrated_database_url) is None


def test_korean_words_subscribe_as_typed(slack: FakeSlackAPI,
                                         migrated_database_url: str) -> None:
    """`/troubleshoot 구독 월요일 9시`, as a Korean speaker types it."""
    url = migrated_database_url
    answer = run(slack, url, "구독 월요일 9시", lang="ko", command="")
    assert answer["response_type"] == "ephemeral"
    assert "매주 월요일 09:00 (Asia/Seoul)" in answer["text"]
    assert (subscription(url).weekday, subscription(url).time_of_day) == (0, "09:00")

    answer = run(slack, url, "구독 금 오후 5시 반", lang="ko", command="요약")
    assert "매주 금요일 17:30" in answer["text"]
    answer = run(slack, url, "subscribe thu 9am", lang="en")
    assert "every Thursday at 09:00" in answer["text"]

    answer = run(slack, url, "구독취소", lang="ko", command="")
    assert "더 이상 주간 요약을 받지 않습니다" in answer["text"]
    assert subscription(url) is None


@pytest.mark.parametrize("args, complaint", [
    ("subscribe 점심", "`점심` 부분을 이해하지 못했습니다"),
    ("subscribe 월 화", "요일 항목이 두 번 입력되었습니다"),
    ("subscribe 25시", "`25시`: 없는 시각입니다"),
    ("2026-W60", "주 표기를 읽지 못했습니다: `2026-W60`"),
    ("frobnicate", "사용법:"),
])
def test_bad_input_is_explained_in_korean(slack: FakeSlackAPI, migrated_database_url: str,
                                          args: str, complaint: str) -> None:
    answer = run(slack, migrated_database_url, args, lang="ko")
    assert answer["response_type"] == "ephemeral"
    assert complaint in answer["text"]
    assert subscription(migrated_database_url) is None
