"""The compact answer card and its states, for every tier × language × state (issue 13).

Snapshot-style: each test asserts the card's structure (which blocks, in which order) and the
text a reader sees, not a frozen blob, so a change of wording fails only where it matters.
The end-to-end flows (paste → card + thread reply, resolve, reopen) are in
tests/e2e/test_slack_conversations.py (test_known_error_is_answered_in_the_channel_and_recorded,
test_a_card_is_resolved_then_reopened_and_follows_each_state).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.answers import Answer, AnswerContext, IncidentFacts
from bot.incidents.service import SimilarIncident, incident_summary
from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import default_matcher
from bot.matching.result import Match, MatchResult
from bot.slack import blocks as bk
from bot.slack.cards import (
    MAX_CARD_CHARS,
    visible_text,
    with_owner,
    with_reopened,
    with_resolution,
)
from bot.slack.render import render_answer, render_card

TIERS = ("confident", "likely", "unknown")
LANGS = ("ko", "en")
MARKERS = {"ko": (":red_circle: *진행 중*", ":white_check_mark: *해결됨*"),
           "en": (":red_circle: *Open*", ":white_check_mark: *Resolved*")}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return cached_knowledge_base(None)


def last_fix(note: str = "gpupool 노드 풀 추가") -> SimilarIncident:
    return SimilarIncident(id=2, entry_id=None, status="resolved", occurrences=6,
                           last_seen=datetime(2026, 11, 20, tzinfo=UTC), summary="x",
                           resolved_by="UMINA", resolution_note=note)


def answer_for(kb: KnowledgeBase, entry_id: str | None, tier: str, lang: str, *,
               recurrence_of: int | None = None, occurrences: int = 1,
               fix: SimilarIncident | None = None, service: str | None = None) -> Answer:
    """An answer as the service builds it; `entry_id` None: nothing came close."""
    matches: tuple[Match, ...] = ()
    if entry_id is not None:
        entry = kb.get(entry_id)
        assert entry is not None
        matches = (Match(entry_id=entry_id, title=entry.title_in(lang), score=80.0,
                         confident=tier == "confident", evidence="0/3 nodes are available",
                         tier=tier),)
    incident = IncidentFacts(id=10, occurrence_id=1, occurrences=occurrences,
                             is_new=occurrences == 1, status="open",
                             recurrence_of=recurrence_of, recurs=recurrence_of is not None)
    return Answer(context=AnswerContext(workspace="T1", source="slash", language=lang,
                                        service=service),
                  result=MatchResult(matches=matches, fingerprint="f" * 16,
                                     deciding_line="0/3 nodes are available"),
                  text="", incident=incident, last_fix=fix)


def ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [str(block.get("block_id", "")).split(":")[0] for block in blocks]


def longest_entry(kb: KnowledgeBase, lang: str) -> str:
    return max(kb.entries, key=lambda entry: len(visible_text(
        render_answer(answer_for(kb, entry.id, "confident", lang), kb).blocks))).id


# ----- the 900-character bound, for every entry

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tier", ("confident", "likely"))
def test_every_entry_fits_a_card_of_900_visible_characters(kb: KnowledgeBase, lang: str,
                                                           tier: str) -> None:
    long_note = "node pool gpupool added, quota raised, then the deployment recreated " * 10
    for entry in kb.entries:
        card = render_card(answer_for(kb, entry.id, tier, lang, recurrence_of=2,
                                      occurrences=3, fix=last_fix(long_note),
                                      service="fraud-ep/blue"), kb, user="UALICE")
        shown = visible_text(card.blocks)
        assert len(shown) <= MAX_CARD_CHARS, (entry.id, len(shown))
        assert len(card.blocks) <= bk.MAX_BLOCKS
        # Its later states keep the bound: an owner named, then a long note on top.
        owned = with_owner(card.blocks, user="UDAVE", lang=lang)
        assert len(visible_text(owned)) <= MAX_CARD_CHARS, entry.id
        resolved = with_resolution(owned, user="UCAROL", note=long_note * 5, lang=lang)
        assert len(visible_text(resolved)) <= MAX_CARD_CHARS, entry.id


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tier", ("confident", "likely"))
def test_no_card_shows_an_empty_code_block(kb: KnowledgeBase, lang: str, tier: str) -> None:
    # A first step cut just after its code fence opened was closed at once: Slack drew an
    # empty grey box under "...a larger `instance_type` is then the test:" (vm-out-of-memory).
    empty = re.compile(r"```[a-z]*\n```")
    for entry in kb.entries:
        for fix in (None, last_fix("node pool gpupool added, quota raised " * 10)):
            card = render_card(answer_for(kb, entry.id, tier, lang, recurrence_of=2,
                                          occurrences=3, fix=fix), kb, user="UALICE")
            shown = json.dumps(card.blocks, ensure_ascii=False).replace("\\n", "\n")
            assert not empty.search(shown), (entry.id, lang, tier, fix is not None)


@pytest.mark.parametrize("lang", LANGS)
def test_an_abstaining_card_fits_too(kb: KnowledgeBase, lang: str) -> None:
    card = render_card(answer_for(kb, None, "unknown", lang, fix=last_fix("x" * 2000),
                                  service="fraud-ep/blue"), kb, user="UALICE")
    assert len(visible_text(card.blocks)) <= MAX_CARD_CHARS
    resolved = with_resolution(with_owner(card.blocks, user="UDAVE", lang=lang),
                               user="UCAROL", note="y" * 2000, lang=lang)
    assert len(visible_text(resolved)) <= MAX_CARD_CHARS


def test_the_card_is_much_shorter_than_the_full_answer(kb: KnowledgeBase) -> None:
    entry_id = longest_entry(kb, "ko")
    answer = answer_for(kb, entry_id, "confident", "ko")
    full, card = render_answer(answer, kb), render_card(answer, kb)
    assert len(visible_text(card.blocks)) * 2 < len(visible_text(full.blocks))


# ----- structure and text, tier × language × state

@pytest.mark.parametrize("lang", LANGS)
def test_confident_card_open(kb: KnowledgeBase, lang: str) -> None:
    answer = answer_for(kb, "container-cannot-be-scheduled", "confident", lang,
                        recurrence_of=2, occurrences=1, fix=last_fix(),
                        service="fraud-ep/blue")
    blocks = render_card(answer, kb, user="UALICE").blocks
    assert ids(blocks) == ["state", "answer", "cause", "last_fix", "fix", "affected",
                           "card_context", "feedback", "buttons"]
    state = blocks[0]["elements"]
    assert state[0]["text"] == MARKERS[lang][0]
    assert state[1]["text"] == {"ko": "#10 · #2의 재발", "en": "#10 · recurrence of #2"}[lang]
    entry = kb.get("container-cannot-be-scheduled")
    assert entry is not None
    assert blocks[1]["text"]["text"] == entry.title_in(lang)  # a plain header: not tentative
    last = blocks[3]["text"]["text"]
    assert last == {
        "ko": ":wrench: 지난번 해결: <@UMINA> — gpupool 노드 풀 추가 (#2, 6회 발생)",
        "en": ":wrench: Last fixed by <@UMINA>: gpupool 노드 풀 추가 (#2, seen 6×)"}[lang]
    steps = blocks[4]["text"]["text"]
    assert steps.startswith({"ko": "*첫 단계*", "en": "*First step*"}[lang])
    assert "\n1. " in steps and "\n2. " not in steps  # step 1 only
    assert "fraud-ep/blue" in blocks[5]["elements"][0]["text"]
    shown = visible_text(blocks)
    assert "matched" not in shown and "일치한 부분" not in shown  # evidence is in the thread
    labels = [element["text"]["text"] for element in blocks[-1]["elements"]]
    assert labels == {"ko": ["해결 처리", "담당할게요", "로그 가져오기"],
                      "en": ["Resolve", "I'm on it", "Fetch logs"]}[lang]
    [thumbs] = blocks[-2]["elements"]  # Slack's feedback buttons, above the buttons
    assert blocks[-2]["type"] == "context_actions" and thumbs["type"] == "feedback_buttons"
    assert (thumbs["positive_button"]["text"]["text"],
            thumbs["negative_button"]["text"]["text"]) == ("👍", "👎")


@pytest.mark.parametrize("lang", LANGS)
def test_likely_card_is_marked_tentative(kb: KnowledgeBase, lang: str) -> None:
    blocks = render_card(answer_for(kb, "container-cannot-be-scheduled", "likely", lang),
                         kb).blocks
    assert ids(blocks)[:3] == ["state", "likely", "cause"]
    assert blocks[1]["type"] == "section"  # not the header a sure answer gets
    assert {"ko": "*아마:*", "en": "*Probably:*"}[lang] in blocks[1]["text"]["text"]
    # A first paste: the state line is the number alone, never "first time seen".
    assert blocks[0]["elements"][1]["text"] == "#10"


@pytest.mark.parametrize("lang", LANGS)
def test_abstaining_card_gives_a_next_step_and_no_matched_line(kb: KnowledgeBase,
                                                               lang: str) -> None:
    answer = answer_for(kb, None, "unknown", lang, fix=last_fix())
    for logs_offered in (True, False):
        blocks = render_card(answer, kb, logs_offered=logs_offered).blocks
        assert ids(blocks) == ["state", "no_known_fix", "last_fix", "next_step", "buttons"]
        next_step = blocks[3]["text"]["text"]
        fetch = {"ko": "로그 가져오기", "en": "Fetch logs"}[lang]
        assert (fetch in next_step) == logs_offered  # never a button the policy refuses
        shown = visible_text(blocks)
        assert "matched" not in shown and "일치한 부분" not in shown
    full = visible_text(render_answer(answer, kb, on_card=True).blocks)
    assert "matched" not in full and "일치한 부분" not in full


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("lang", LANGS)
def test_resolved_then_reopened(kb: KnowledgeBase, tier: str, lang: str) -> None:
    entry_id = None if tier == "unknown" else "container-cannot-be-scheduled"
    card = render_card(answer_for(kb, entry_id, tier, lang), kb).blocks
    resolved = with_resolution(card, user="UCAROL", note="gpupool <추가> & 재배포", lang=lang)
    assert resolved[0]["elements"][0]["text"] == MARKERS[lang][1]
    assert resolved[0]["elements"][1]["text"] == "#10"  # the number stays
    assert resolved[1]["block_id"] == "resolution"  # who and how, on top
    note = resolved[1]["text"]["text"]
    assert "<@UCAROL>" in note and "gpupool &lt;추가&gt; &amp; 재배포" in note
    assert not any(block_id == "fix" for block_id in ids(resolved))  # steps folded
    actions = [element["action_id"] for element in resolved[-1]["elements"]]
    assert "resolve_incident" not in actions and "reopen_incident" in actions
    reopen = next(element for element in resolved[-1]["elements"]
                  if element["action_id"] == "reopen_incident")
    assert reopen["text"]["text"] == {"ko": "다시 열기", "en": "Reopen"}[lang]
    assert '"incident_id":10' in reopen["value"]

    again = with_reopened(resolved, kb, user="UDAVE", lang=lang)
    assert again[0]["elements"][0]["text"] == MARKERS[lang][0]
    assert "<@UDAVE>" in again[1]["elements"][0]["text"]
    assert ids(again).count("fix") == ids(card).count("fix")  # the step is back
    assert visible_text([b for b in again if b.get("block_id") != "resolution"]) == \
        visible_text(card)  # exactly the card it was
    # Resolving twice keeps one resolution line.
    twice = with_resolution(with_resolution(card, user="U1", note="", lang=lang), user="U2",
                            note="b", lang=lang)
    assert ids(twice).count("resolution") == 1 and ids(twice).count("folded") == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_full_answer_in_a_thread_follows_the_state_too(kb: KnowledgeBase, lang: str) -> None:
    full = render_answer(answer_for(kb, "container-cannot-be-scheduled", "confident", lang),
                         kb).blocks
    assert ids(full)[0] == "state"
    steps_before = [b for b in full if str(b.get("block_id", "")).startswith("fix:")]
    assert len(steps_before) >= 1
    resolved = with_resolution(full, user="U1", note="done", lang=lang)
    assert not any(str(b.get("block_id", "")).startswith("fix:") for b in resolved)
    again = with_reopened(resolved, kb, user="U1", lang=lang)
    assert [b for b in again if str(b.get("block_id", "")).startswith("fix:")] == steps_before


def test_the_thread_reply_carries_no_state_and_no_buttons(kb: KnowledgeBase) -> None:
    reply = render_answer(answer_for(kb, "container-cannot-be-scheduled", "confident", "ko",
                                     fix=last_fix()), kb, on_card=True).blocks
    assert "state" not in ids(reply)
    assert not any(block["type"] == "actions" for block in reply)
    assert "*조치 방법*" in visible_text(reply)  # every step


# ----- a chat line is never the summary

def test_a_chat_line_is_never_the_incident_summary() -> None:
    paste = "배포 실패했습니다 ㅠ 도와주세요"
    result = default_matcher().match(paste, top=3, lang="ko")
    assert result.matches == ()
    assert incident_summary(paste, result) == ""
    error = "Error: tokenizer.json is missing from the model folder"
    assert incident_summary(f"{paste}\n{error}", default_matcher().match(
        f"{paste}\n{error}", top=3, lang="ko")).startswith("Error:")


def test_a_command_cut_on_the_card_ends_inside_its_box_as_a_comment() -> None:
    # A lone "…" under the code box read as a rendering fault; "# …" inside it says the rest
    # is left out, and the block still runs when copied.
    from bot.slack.cards import cut_at_line

    step = "1. Look at the logs.\n```\n" + "\n".join(f"kubectl logs pod-{n}" for n in range(40)) \
        + "\n```"
    cut = cut_at_line(step, 200)
    assert len(cut) <= 200
    assert cut.endswith("\n# …\n```") and cut.count("```") == 2
    lines = cut.split("\n")
    assert all(line.startswith("kubectl logs pod-") for line in lines[2:-2])
    prose = "\n".join(f"Step line {n} of prose." for n in range(40))
    assert cut_at_line(prose, 120).endswith("\n…")
