"""Text that a person reads is cut between words, on every surface that shortens it.

Each surface used to cut with `text[:N] + "…"`, so a long error line in the incident list, a
resolution note on a card, an unknown error quoted by the digest or a log excerpt could end in
half a word ("...while warming the tea…"), which reads as another word. They all use
`bot.textcut.shorten` now; each test feeds its surface a text whose plain cut falls inside a
word.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digest.figures import SAMPLE_CHARS, compute_digest
from bot.digest.weeks import IsoWeek
from bot.incidents.service import SUMMARY_LIMIT, record_occurrence, resolve_incident
from bot.logs.diagnose import LINE_CHARS, diagnose
from bot.matching.matcher import default_matcher
from bot.mrkdwn import SECTION_LIMIT, section
from bot.storage import engine_for, session_scope
from bot.textcut import ELLIPSIS

SEOUL = ZoneInfo("Asia/Seoul")
WORDS = "the frobnicator refused warming teapot handshake ledger "  # letters only: no masking


def long_line(prefix: str, limit: int) -> str:
    """`prefix` and words, longer than `limit`, with a plain cut at `limit - 1` mid-word."""
    for pad in range(len(WORDS)):
        line = prefix + "z" * pad
        while len(line) < limit * 2:
            line += " " + WORDS.strip()
        if not line[limit - 1].isspace() and not line[limit - 2].isspace():
            return line
    raise AssertionError("no padding puts the cut inside a word")


def assert_cut_between_words(shown: str, original: str, limit: int) -> None:
    assert len(shown) <= limit and shown.endswith(ELLIPSIS)
    kept = shown[: -len(ELLIPSIS)]
    assert original.startswith(kept), (kept, original)
    assert original[len(kept)].isspace(), f"cut inside a word: …{kept[-20:]!r}"


def test_an_incident_summary_in_lists_ends_on_a_whole_word(migrated_database_url: str) -> None:
    line = long_line("RuntimeError: ", SUMMARY_LIMIT)
    result = default_matcher().match(line)
    with session_scope(migrated_database_url) as session:
        recorded = record_occurrence(session, workspace="T1", source="slash", text=line,
                                     result=result, channel="C1")
    from bot.incidents.models import Incident
    with session_scope(migrated_database_url) as session:
        summary = session.get(Incident, recorded.incident_id).summary
    assert_cut_between_words(summary, line, SUMMARY_LIMIT)


def test_a_long_resolution_note_on_the_card_ends_on_a_whole_word(
        migrated_database_url: str) -> None:
    line = "Back-off restarting failed container"
    note = long_line("pinned the base image; ", 4_000)
    with session_scope(migrated_database_url) as session:
        recorded = record_occurrence(session, workspace="T1", source="slash", text=line,
                                     result=default_matcher().match(line), channel="C1")
    with session_scope(migrated_database_url) as session:
        incident = resolve_incident(session, recorded.incident_id, user="U1", note=note,
                                    channel="C1")
        stored = incident.resolution_note
    assert_cut_between_words(stored, note, 4_000)


def test_the_digest_quotes_an_unknown_error_up_to_a_whole_word(
        migrated_database_url: str) -> None:
    line = long_line("RuntimeError: ", SAMPLE_CHARS)
    result = default_matcher().match(line)
    assert result.answer is None
    this_week = IsoWeek.containing(datetime.now(SEOUL).date())
    with session_scope(migrated_database_url) as session:
        record_occurrence(session, workspace="T1", source="slash", text=line, result=result,
                          channel="C1")
    if IsoWeek.containing(datetime.now(SEOUL).date()) != this_week:
        pytest.skip("ran across midnight between Sunday and Monday in Seoul")
    [sample] = compute_digest(engine_for(migrated_database_url), this_week, SEOUL).unknown_samples
    assert_cut_between_words(sample, line, SAMPLE_CHARS)


def test_a_log_results_excerpt_ends_on_a_whole_word() -> None:
    line = long_line("ERROR: ", LINE_CHARS)
    diagnosis = diagnose(f"INFO starting\n{line}\nINFO done\n")
    [excerpt] = [shown for shown in diagnosis.excerpt if shown.startswith("ERROR")]
    assert_cut_between_words(excerpt, line, LINE_CHARS)


def test_a_long_section_never_ends_in_half_an_escape() -> None:
    """Log and deployment results are sections of escaped text: a cut inside `&lt;` showed the
    reader a stray "&l" before the ellipsis."""
    text = "x" * (SECTION_LIMIT - 3) + "&lt;pod&gt; restarted"
    shown = section(text)["text"]["text"]
    assert len(shown) <= SECTION_LIMIT
    assert "&l" + ELLIPSIS not in shown and shown.endswith("x" + ELLIPSIS)
