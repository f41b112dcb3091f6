"""Snapshots of the answer card's Block Kit: each tier × state × language (issue 13).

Each case renders a card from fixed facts and compares it, block for block, with its stored JSON
in tests/snapshots/ (`card-<tier>-<state>-<lang>.json`): any change to what a channel sees shows
up as a diff to review. The entries come from frozen copies in tests/snapshots/kb/, so editing
the shipped knowledge base does not move the snapshots; the renderer does.

After an intended change, refresh them and review the diff before committing:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest -q tests/test_card_snapshots.py
    git diff tests/snapshots/

`scripts/render_answer.py --snapshot tests/snapshots/<file>.json --out card.png` draws one.
Every case is also checked against what Slack itself enforces and what the card promises: at
most 900 visible characters, Slack's own Block Kit models (slack_sdk) accept every block.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.answers import Answer, AnswerContext, IncidentFacts
from bot.incidents.service import SimilarIncident
from bot.knowledge.loader import parse_entry
from bot.knowledge.model import KnowledgeBase
from bot.matching.result import Match, MatchResult
from bot.slack import blocks as bk
from bot.slack.cards import MAX_CARD_CHARS, visible_text, with_resolution
from bot.slack.render import Message, render_card
from tests.support.slack_api import FakeSlackAPI

SNAPSHOTS = Path(__file__).parent / "snapshots"
TIERS = ("confident", "likely", "unknown")
STATES = ("open", "recurrence", "resolved")
LANGS = ("ko", "en")
ENTRY = {"confident": "service-launch-fails", "likely": "container-cannot-be-scheduled"}
CANDIDATES = ("http-status-code-503", "service-launch-fails", "get-deployment-logs")
LAST_FIX_NOTE = {"ko": "gpupool 노드 풀을 추가하고 레플리카를 2개로 줄임",
                 "en": "added a gpupool node pool and cut the replicas to 2"}
RESOLUTION_NOTE = {"ko": "score.py의 모델 경로를 고치고 재배포함 (init()에서 실패하던 부분)",
                   "en": "fixed the model path in score.py and redeployed (init() was failing)"}
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    entries = [parse_entry(path.read_text(encoding="utf-8"), path)
               for path in sorted((SNAPSHOTS / "kb").glob("*.md"))]
    return KnowledgeBase(tuple(entries))


def answer_for(kb: KnowledgeBase, tier: str, state: str, lang: str) -> Answer:
    """The facts of a case, as the answer service would hand them to the renderer."""
    if tier == "unknown":
        matches = tuple(Match(entry_id=entry_id, title=entry_id, score=30.0 - index,
                              confident=False, evidence="", tier="unknown")
                        for index, entry_id in enumerate(CANDIDATES))
    else:
        entry = kb.get(ENTRY[tier])
        assert entry is not None
        matches = (Match(entry_id=entry.id, title=entry.title_in(lang), score=90.0,
                         confident=tier == "confident", evidence="Back-off restarting failed "
                         "container", tier=tier),)
    recurrence = state == "recurrence"
    incident = IncidentFacts(id=12, occurrence_id=40, occurrences=3 if recurrence else 1,
                             is_new=not recurrence, status="open",
                             recurrence_of=7 if recurrence else None, recurs=recurrence,
                             owner="U0DAVE" if recurrence else None)
    last_fix = SimilarIncident(id=7, entry_id=matches[0].entry_id, status="resolved",
                               occurrences=6, last_seen=datetime(2026, 11, 20, tzinfo=UTC),
                               summary="", resolved_by="U0MINA",
                               resolution_note=LAST_FIX_NOTE[lang]) if recurrence else None
    return Answer(context=AnswerContext(workspace="T1", source="slash", language=lang,
                                        user="U0ALICE", channel="C0INCIDENTS",
                                        service="fraud-ep/blue"),
                  result=MatchResult(matches=matches, fingerprint="f" * 32),
                  text="", incident=incident, last_fix=last_fix)


def card_for(kb: KnowledgeBase, tier: str, state: str, lang: str) -> Message:
    card = render_card(answer_for(kb, tier, state, lang), kb, user="U0ALICE",
                       logs_offered=True)
    if state == "resolved":
        return Message(card.text, with_resolution(card.blocks, user="U0CAROL",
                                                  note=RESOLUTION_NOTE[lang], lang=lang))
    return card


def snapshot_of(card: Message) -> dict[str, Any]:
    return {"text": card.text, "visible_chars": len(visible_text(card.blocks)),
            "blocks": card.blocks}


def path_of(tier: str, state: str, lang: str) -> Path:
    return SNAPSHOTS / f"card-{tier}-{state}-{lang}.json"


CASES = [(tier, state, lang) for tier in TIERS for state in STATES for lang in LANGS]


@pytest.mark.parametrize(("tier", "state", "lang"), CASES)
def test_card_matches_its_snapshot(kb: KnowledgeBase, tier: str, state: str,
                                   lang: str) -> None:
    rendered = snapshot_of(card_for(kb, tier, state, lang))
    path = path_of(tier, state, lang)
    as_json = json.dumps(rendered, ensure_ascii=False, indent=1) + "\n"
    if UPDATE or not path.exists():
        path.write_text(as_json, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path.name} did not exist; written now: review and commit it")
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert rendered == stored, (
        f"the {tier}/{state}/{lang} card differs from {path.name}; if intended, refresh with "
        "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest -q tests/test_card_snapshots.py and "
        "review `git diff tests/snapshots/`")


@pytest.mark.parametrize(("tier", "state", "lang"), CASES)
def test_card_fits_900_characters_and_slacks_rules(kb: KnowledgeBase, tier: str, state: str,
                                                   lang: str) -> None:
    card = card_for(kb, tier, state, lang)
    assert len(visible_text(card.blocks)) <= MAX_CARD_CHARS
    assert 0 < len(card.blocks) <= bk.MAX_BLOCKS and card.text
    for block in card.blocks:
        model = Block.parse(block)  # None: a block type Slack's SDK does not know
        assert model is not None, block
        model.validate_json()  # Slack's own limits: text lengths, element counts
        assert model.to_dict() == block  # nothing Slack's model would drop or rename


@pytest.mark.parametrize("lang", LANGS)
def test_the_states_read_as_they_should(kb: KnowledgeBase, lang: str) -> None:
    """What the snapshots hold, said in words: the state line, the feedback row, the buttons."""
    def state_line(card: Message) -> list[str]:
        return [element["text"] for element in card.blocks[0]["elements"]]

    def buttons(card: Message) -> list[str]:
        return [element["action_id"] for block in card.blocks if block["type"] == "actions"
                for element in block["elements"]]

    open_card = card_for(kb, "confident", "open", lang)
    assert state_line(open_card)[1] == "#12"  # a first paste: no "first time seen"
    assert buttons(open_card) == ["resolve_incident", "own_incident", "fetch_logs"]
    assert open_card.blocks[-2]["type"] == "context_actions"  # 👍/👎 above the buttons

    again = card_for(kb, "confident", "recurrence", lang)
    assert state_line(again)[1:] == {
        "ko": ["#12 · #7의 재발 · 3번째 발생", "담당: <@U0DAVE>"],
        "en": ["#12 · recurrence of #7 · seen 3 times", "owner: <@U0DAVE>"]}[lang]
    assert "<@U0MINA>" in visible_text(again.blocks)  # the last fix, up top

    resolved = card_for(kb, "likely", "resolved", lang)
    assert resolved.blocks[1]["block_id"] == "resolution"
    assert buttons(resolved) == ["reopen_incident", "fetch_logs"]  # nobody takes on a fix

    unknown = card_for(kb, "unknown", "open", lang)
    assert not any(block["type"] == "context_actions" for block in unknown.blocks)
    assert "score" not in visible_text(unknown.blocks)


def test_no_snapshot_is_left_without_its_case() -> None:
    expected = {path_of(*case).name for case in CASES}
    stored = {path.name for path in SNAPSHOTS.glob("card-*.json")}
    assert stored == expected


def test_the_slack_stand_in_refuses_what_slack_refuses(kb: KnowledgeBase) -> None:
    """The end-to-end tests' Slack (tests/support/slack_api.py) checks blocks with Slack's own
    models, so a card Slack would refuse fails there too; a real card passes."""
    with FakeSlackAPI() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        card = card_for(kb, "confident", "recurrence", "en")
        assert client.chat_postMessage(channel="C1", **card.as_kwargs())["ok"]
        header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 200}}
        for broken in ([header],  # headers stop at 150 characters
                       [{"type": "context_actions", "elements": []}],  # needs an element
                       [{"type": "no_such_block"}]):
            with pytest.raises(SlackApiError) as refused:
                client.chat_postMessage(channel="C1", text="x", blocks=broken)
            assert refused.value.response["error"] == "invalid_blocks"
