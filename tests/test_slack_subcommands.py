"""`/troubleshoot <sub-command>` through the real app in this process (Bolt's dispatch behind the
real door, the real database, the Slack stand-in on 127.0.0.1): Korean words, "did you mean"
for a mistyped command, replies only to the person, and never a sub-command recorded as a
pasted error. `settle()` waits until all work the command started has finished, so "nothing was
posted or recorded" is checked after the fact, not after a sleep."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.support.inprocess import InProcessSlack
from tests.support.slack_api import TEAM_ID
from tests.support.slack_payloads import new_trigger_id

OOM_ERROR = "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?"


def command(slack_app: InProcessSlack, text_: str, *, channel: str,
            user: str = "U0000ALICE") -> list[dict[str, Any]]:
    """Send `/troubleshoot <text_>`, wait until its work is done, return what the person was
    sent (the command's response_url), oldest first."""
    reply = slack_app.signed_form({
        "token": "legacy", "team_id": TEAM_ID, "channel_id": channel, "user_id": user,
        "command": "/troubleshoot", "text": text_,
        "response_url": slack_app.fake.response_url(channel),
        "trigger_id": new_trigger_id(), "api_app_id": "A0000TEST"})
    assert reply.status == 200
    slack_app.settle()
    return [call.args for call in slack_app.fake.calls_to("response_url")
            if call.path.endswith("/" + channel)]


def sql(slack_app: InProcessSlack, query: str, **params: object) -> list[tuple[Any, ...]]:
    engine = create_engine(slack_app.settings.database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query), params)]
    finally:
        engine.dispose()


def nothing_recorded_or_posted(slack_app: InProcessSlack, channel: str) -> None:
    assert sql(slack_app, "SELECT id FROM occurrences WHERE channel = :c", c=channel) == []
    assert [call for call in slack_app.fake.calls_to("chat.postMessage")
            if call.args.get("channel") == channel] == []


@pytest.mark.parametrize("typed", ["incident", "hepl", "logz churn-scorer", "resolv 12"])
def test_a_mistyped_sub_command_gets_did_you_mean_and_is_not_a_paste(
        slack_app: InProcessSlack, channel: str, typed: str) -> None:
    [reply] = command(slack_app, typed, channel=channel)
    assert reply["response_type"] == "ephemeral"
    assert "Did you mean `/troubleshoot " in reply["text"]
    nothing_recorded_or_posted(slack_app, channel)


def test_did_you_mean_in_korean_offers_the_korean_word(slack_app: InProcessSlack,
                                                       channel: str) -> None:
    user = "U0000KOSUB"
    assert "이제 한국어로 답합니다" in command(slack_app, "언어 한국어", channel=channel,
                                        user=user)[-1]["text"]
    reply = command(slack_app, "인시던트들", channel=channel, user=user)[-1]
    assert "혹시 `/troubleshoot 인시던트` 명령을" in reply["text"]
    nothing_recorded_or_posted(slack_app, channel)


@pytest.mark.parametrize(("typed", "expected"), [
    ("도움말", "`/troubleshoot logs <"),
    ("인시던트", "No open incidents (this channel)"),
    ("해결", "Usage: `/troubleshoot resolve"),
    ("로그", "A service name (or endpoint/deployment) is needed."),
    ("요약 구독 화 10시", "every Tuesday at 10:00 (Asia/Seoul)"),
    ("구독취소", "was not subscribed to the weekly digest"),
    ("watch on", "Watching <#"),
    ("지켜보기 끄기", "Stopped watching <#"),
])
def test_korean_words_and_replies_only_to_the_person(slack_app: InProcessSlack, channel: str,
                                                      typed: str, expected: str) -> None:
    [reply] = command(slack_app, typed, channel=channel)
    assert reply["response_type"] == "ephemeral"
    assert expected in json.dumps(reply, ensure_ascii=False)
    nothing_recorded_or_posted(slack_app, channel)


@pytest.mark.parametrize(("lang", "typed", "expected", "denied"), [
    ("en", "logs 결제서비스", "`결제서비스` is not a service or endpoint name", "is needed"),
    ("ko", "로그 결제서비스 --lines 50", "`결제서비스`: 서비스·엔드포인트 이름에는", "필요합니다"),
])
def test_logs_for_a_name_that_cannot_be_one_says_so_instead_of_asking_for_a_name(
        slack_app: InProcessSlack, channel: str, lang: str, typed: str, expected: str,
        denied: str) -> None:
    """A team that calls its service by its Korean nickname typed one; "a service name is
    needed" told them they had typed none."""
    user = f"U0000LOG{lang.upper()}"
    command(slack_app, f"lang {lang}", channel=channel, user=user)
    reply = command(slack_app, typed, channel=channel, user=user)[-1]
    assert expected in reply["text"] and denied not in reply["text"]
    nothing_recorded_or_posted(slack_app, channel)


@pytest.mark.parametrize(("lang", "typed", "expected", "code"), [
    ("ko", "언어", "`/troubleshoot 언어 한국어|영어` 또는 `lang ko|en` (현재: 한국어)", "현재: ko"),
    ("ko", "지켜보기", "`/troubleshoot 지켜보기 켜기|끄기` 또는 `watch on|off` (현재: 꺼짐)",
     "현재: off"),
    ("en", "lang", "Usage: `/troubleshoot lang ko|en` (now: English)", "now: en"),
])
def test_usage_of_lang_and_watch_gives_the_readers_words(
        slack_app: InProcessSlack, channel: str, lang: str, typed: str, expected: str,
        code: str) -> None:
    """A Korean user who typed `언어` alone was shown only `lang ko|en` and "(현재: ko)":
    the English sub-command and a code where a word belongs."""
    user = f"U0000USAGE{lang.upper()}"
    command(slack_app, f"lang {lang}", channel=channel, user=user)
    reply = command(slack_app, typed, channel=channel, user=user)[-1]
    assert expected in reply["text"] and code not in reply["text"]


def test_resolving_an_unknown_error_by_command_drafts_an_entry_in_its_thread(
        slack_app: InProcessSlack, channel: str) -> None:
    """The Resolve button's modal turns the note of an incident the bot did not know into a
    draft entry in its thread; `/troubleshoot 해결 N 메모` resolved it and the fix was lost."""
    # A word of its own per test: every run's paste must be an incident of its own.
    word = "".join(chr(ord("g") + int(digit, 16)) for digit in channel[-8:].lower())
    command(slack_app, f"RuntimeError: lib{word}.so went missing while warming the teapot",
            channel=channel)
    [(incident_id, thread_ts)] = sql(
        slack_app, "SELECT id, thread_ts FROM incidents WHERE channel = :c", c=channel)
    assert sql(slack_app, "SELECT entry_id FROM incidents WHERE id = :i", i=incident_id) == [
        (None,)]
    command(slack_app, f"해결 {incident_id} 피처 스토어 캐시 예열 시간을 늘림", channel=channel)
    [(state,)] = sql(slack_app, "SELECT status FROM kb_drafts WHERE incident_id = :i",
                     i=incident_id)
    assert state == "proposed"
    posted = [call.args for call in slack_app.fake.calls_to("chat.postMessage")
              if call.args.get("channel") == channel and call.args.get("thread_ts") == thread_ts]
    assert any("피처 스토어 캐시 예열 시간을 늘림" in json.dumps(args, ensure_ascii=False)
               and "kb_draft" in json.dumps(args) for args in posted), posted


def test_resolve_by_command_answers_only_the_resolver(slack_app: InProcessSlack,
                                                      channel: str) -> None:
    command(slack_app, OOM_ERROR, channel=channel)
    [(incident_id,)] = sql(slack_app, "SELECT incident_id FROM occurrences WHERE channel = :c",
                           c=channel)
    done = command(slack_app, f"해결 #{incident_id} 게이트웨이 재시작", channel=channel)[-1]
    assert done["response_type"] == "ephemeral"
    assert f"#{incident_id}" in done["text"]
    assert sql(slack_app, "SELECT status, resolution_note FROM incidents WHERE id = :i",
               i=incident_id) == [("resolved", "게이트웨이 재시작")]


def test_resolving_updates_the_card_after_one_read_of_the_incident(
        slack_app: InProcessSlack, channel: str) -> None:
    """The card of a resolved incident says so, with the note; where the cards are and who
    reads them come from one read of the incident (it was read twice, once for each)."""
    from slack_sdk import WebClient
    from sqlalchemy import event

    from bot.slack import flows
    from bot.storage import engine_for

    command(slack_app, OOM_ERROR, channel=channel)
    [(incident_id,)] = sql(slack_app, "SELECT incident_id FROM occurrences WHERE channel = :c",
                           c=channel)
    client = WebClient(token="xoxb-test", base_url=slack_app.settings.api_url)
    reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if re.search(r"\bFROM incidents\b", statement):
            reads.append(statement)

    engine = engine_for(slack_app.settings.database_url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        updated = flows.show_resolution_on_card(
            client, slack_app.settings, incident_id=incident_id, user="U0000ALICE",
            note="워커 메모리 상향", lang="ko", workspace=TEAM_ID, written_in=channel)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert updated
    assert len(reads) == 1, reads
    [card] = [call.args for call in slack_app.fake.calls_to("chat.update")
              if call.args.get("channel") == channel]
    assert "워커 메모리 상향" in json.dumps(card["blocks"], ensure_ascii=False)


# Error lines (a draft's signature must be one, specific enough to name a new entry) that the
# shipped model rates likely, not sure.
LIKELY_ERROR_LINES = ("Error: the image build failed for my environment",
                      "FATAL: gizmo ledger shard refused the quantum handshake (code 7781)")


def likely_error_line() -> tuple[str, str]:
    """The first of LIKELY_ERROR_LINES the shipped model rates likely, with its entry: chosen
    with the model the app loads, so a retrained model cannot make the test vacuous."""
    from bot.matching.matcher import default_matcher

    for paste in LIKELY_ERROR_LINES:
        result = default_matcher().match(paste)
        if result.answer is None and result.likely is not None:
            return paste, result.likely.entry_id
    pytest.fail("no error line is in the likely tier: add one to LIKELY_ERROR_LINES")


def test_a_draft_after_a_likely_answer_does_not_say_the_error_was_unknown(
        slack_app: InProcessSlack, channel: str) -> None:
    """The card said "Probably: <entry>"; resolving it with a note drafted an entry whose
    intro said "This error was not in the knowledge base" right under that card."""
    paste, entry_id = likely_error_line()
    command(slack_app, paste, channel=channel)
    [(incident_id, thread_ts)] = sql(
        slack_app, "SELECT id, thread_ts FROM incidents WHERE channel = :c", c=channel)
    card = next(call.args for call in slack_app.fake.calls_to("chat.postMessage")
            if call.args.get("channel") == channel and not call.args.get("thread_ts"))
    assert "*Probably:*" in json.dumps(card["blocks"]) and entry_id in json.dumps(card["blocks"])
    command(slack_app, f"resolve {incident_id} pinned numpy below 2 in the conda file",
            channel=channel)
    drafts = [json.dumps(call.args["blocks"]) for call in slack_app.fake.calls_to(
        "chat.postMessage") if call.args.get("channel") == channel
        and call.args.get("thread_ts") == thread_ts and "kb_draft" in json.dumps(call.args)]
    assert drafts, "no draft was proposed"
    assert "not in the knowledge base" not in drafts[-1]
    assert "no sure answer" in drafts[-1]
