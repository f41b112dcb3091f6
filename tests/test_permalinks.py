"""`#id` links (bot.slack.permalinks) in the pure renderers: Slack's permalink format, plain
numbers where no link may be made, and the card's budgets counting a link as its label."""

from __future__ import annotations

import json
import re

import pytest

from bot.knowledge.loader import cached_knowledge_base
from bot.slack.cards import LAST_FIX_CHARS, MAX_CARD_CHARS, visible_text
from bot.slack.permalinks import NO_LINKS, IncidentLinks, permalink, shown_text
from bot.slack.render import render_card, render_incidents
from tests.test_slack_cards import answer_for, last_fix

URL = "https://acme.slack.com/"
LINKS = IncidentLinks(URL, {2: ("C0INCIDENTS", "1700000000.000100"),
                            10: ("C0INCIDENTS", "1700000500.000200")})


def test_a_permalink_is_slacks_message_link() -> None:
    assert (permalink(URL, "C0INCIDENTS", "1700000000.000100")
            == "https://acme.slack.com/archives/C0INCIDENTS/p1700000000000100")


def test_only_known_threads_are_linked() -> None:
    assert LINKS.ref(2) == ("<https://acme.slack.com/archives/C0INCIDENTS/p1700000000000100"
                            "|#2>")
    assert LINKS.ref(3) == "#3"  # no thread (a CLI paste) or a channel the reader may not see
    assert NO_LINKS.ref(2) == "#2"
    assert IncidentLinks(None, LINKS.threads).ref(2) == "#2"  # workspace URL unknown
    assert shown_text(f"recurrence of {LINKS.ref(2)} · <@U1>") == "recurrence of #2 · <@U1>"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_card_links_its_numbers_and_keeps_them_whole_when_the_note_is_cut(lang: str) -> None:
    kb = cached_knowledge_base(None)
    long_note = "노드 풀을 다시 만들고 " * 40
    answer = answer_for(kb, "container-cannot-be-scheduled", "confident", lang,
                        recurrence_of=2, fix=last_fix(long_note))
    blocks = render_card(answer, kb, links=LINKS).blocks
    text = json.dumps(blocks, ensure_ascii=False)
    assert text.count(f"<{URL}archives/C0INCIDENTS/p1700000000000100|#2>") == 2
    assert f"<{URL}archives/C0INCIDENTS/p1700000500000200|#10>" in text  # its own number
    [fix_line] = [block["text"]["text"] for block in blocks if block.get("block_id") == "last_fix"]
    assert re.search(r"\|#2>, (6회 발생|seen 6×)\)$", fix_line)  # the note gave way, not the link
    assert len(shown_text(fix_line)) <= LAST_FIX_CHARS + len(":wrench: ")
    # Links cost the card's budget their label only.
    assert len(visible_text(blocks)) <= MAX_CARD_CHARS


def test_an_incident_list_links_each_number() -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    kb = cached_knowledge_base(None)
    rows = [SimpleNamespace(id=number, entry_id=None, summary="OOMKilled", occurrence_count=1,
                            last_seen=datetime(2026, 11, 30, tzinfo=UTC), channel="C0INCIDENTS")
            for number in (2, 3)]
    text = json.dumps(render_incidents(rows, kb, "en", workspace_scope=False,
                                       links=LINKS).blocks)
    assert f"*<{URL}archives/C0INCIDENTS/p1700000000000100|#2>*" in text
    assert "*#3*" in text
