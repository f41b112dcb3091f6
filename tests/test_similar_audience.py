"""find_similar for a Slack audience (migration 0011): the same incidents in the same order as
on 0010's indexes, for a reader who sees a few channels, most of them, or all; never one of a
channel the reader may not see, nor a note written there; on both databases. The channels a
reader is checked against are every channel with an incident, as `SELECT DISTINCT` gave them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from bot.incidents.audience import Audience
from bot.incidents.models import Incident, Occurrence
from bot.incidents.service import RECENT_CANDIDATES, _incident_channels, find_similar, summary_key
from bot.storage import session_scope
from bot.storage.migrations import downgrade, upgrade
from tests.support.similar_history import LINES, WORDS, incident_indexes, question

WORKSPACE = "T-audience"
PUBLIC = {f"C{number}" for number in range(10)}
PRIVATE = {"GSECRET", "GOPS", "D1"}
CHANNELS = sorted(PUBLIC | PRIVATE)
NOTE = "pinned the image"


def _history(count: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(incidents, occurrences): `count` incidents on few distinct minutes (ties on last_seen
    everywhere, also at each reader's 2,000th), a third of them in private channels, a third
    resolved with a note, some notes written in a private channel; one paste per incident with
    its entry, in its channel, so that a same-entry incident counts for the reader who saw it."""
    rng = random.Random(111)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    incidents, occurrences = [], []
    for number in range(1, count + 1):
        line = rng.choice(LINES).format(n=rng.randint(1, 4), w=rng.choice(WORDS))
        seen = start + timedelta(minutes=rng.randint(0, count // 10))
        channel = rng.choice(CHANNELS) if number % 3 else rng.choice(sorted(PRIVATE))
        fixed = number % 3 != 1 and rng.random() < 0.5
        entry = rng.choice(["a", "b", None])
        incidents.append({
            "id": number, "workspace": WORKSPACE, "channel": channel,
            "fingerprint": f"fp-{number % 400}-{number}", "entry_id": entry, "summary": line,
            "summary_key": summary_key(line), "status": "resolved" if fixed else "open",
            "first_seen": seen, "last_seen": seen, "occurrence_count": 1,
            "resolution_note": NOTE if fixed else None, "resolved_by": "U1" if fixed else None,
            "resolved_in": (rng.choice([channel, "GSECRET", None]) if fixed else None)})
        occurrences.append({"incident_id": number, "created_at": seen, "source": "slash",
                            "channel": channel, "text": line, "entry_id": entry,
                            "confident": entry is not None})
    random.Random(112).shuffle(incidents)  # ids say nothing about the time
    return incidents, occurrences



QUESTIONS = [question("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", "fp-x", "a"),
             question("ModuleNotFoundError: No module named 'torch'", "fp-y", None),
             question("Back-off restarting failed container tokenizer in pod scoring-2",
                       "fp-z", "b"),
             question("Liveness probe failed: HTTP probe failed with statuscode: 503",
                       "fp-w", "a")]


def _reader(channel: str | None) -> Audience:
    return Audience(channel=channel, public_among=lambda channels: channels & PUBLIC)


def _narrow(channel: str | None) -> Audience:
    """A reader in `channel` whose workspace shows it only C1 besides (2 channels of 13)."""
    return Audience(channel=channel, public_among=lambda channels: channels & {"C1"})


AUDIENCES = {"GOPS, sees C1 too": _narrow("GOPS"), "C1 alone": _narrow("C1"),
             "C3, sees every public channel": _reader("C3"),
             "Home tab": _reader(None), "GSECRET": _reader("GSECRET"),
             "everything public and private": Audience(channel="GOPS",
                                                       public_among=lambda channels: channels)}

Shown = list[tuple[int, str | None, str | None, str | None]]


def _answers(url: str) -> dict[str, list[Shown]]:
    with session_scope(url) as session:
        return {name: [[(item.id, item.entry_id, item.resolution_note, item.resolved_by)
                        for item in find_similar(session, workspace=WORKSPACE, result=question,
                                                 limit=10, audience=audience)]
                       for question in QUESTIONS]
                for name, audience in AUDIENCES.items()}


def _seed(url: str, revision: str) -> None:
    upgrade(url, revision)
    incidents, occurrences = _history(RECENT_CANDIDATES * 2)
    with session_scope(url) as session:
        session.execute(insert(Incident), incidents)
        session.execute(insert(Occurrence), occurrences)


def test_every_audience_sees_0010s_similar_incidents_in_its_order(database_url: str) -> None:
    _seed(database_url, "0010")
    before = _answers(database_url)
    upgrade(database_url)
    assert _answers(database_url) == before
    for name, answers in before.items():
        assert any(answers), f"{name}: the generated history finds similar incidents"
    # The narrow reader's answers are not the wide one's: the filter decides something.
    assert before["C1 alone"] != before["everything public and private"]


def test_no_reader_is_shown_an_incident_or_a_note_from_a_channel_it_may_not_see(
        database_url: str) -> None:
    _seed(database_url, "head")
    with session_scope(database_url) as session:
        rows = {row.id: row for row in session.execute(
            select(Incident.id, Incident.channel, Incident.resolved_in))}
    everyone = _answers(database_url)["everything public and private"]
    leaks_possible = {row.id for row in rows.values() if row.channel in PRIVATE}
    assert leaks_possible & {item[0] for answer in everyone for item in answer}, \
        "private channels hold incidents a reader who may see them is shown"
    for name, answers in _answers(database_url).items():
        audience = AUDIENCES[name]
        may_see = audience.visible(set(CHANNELS))
        for answer in answers:
            for incident_id, _entry, note, resolved_by in answer:
                assert rows[incident_id].channel in may_see, (name, incident_id)
                if rows[incident_id].resolved_in not in may_see | {None}:
                    assert (note, resolved_by) == (None, None), (name, incident_id)


def test_the_channels_checked_are_every_channel_with_an_incident(database_url: str) -> None:
    _seed(database_url, "head")
    with session_scope(database_url) as session:
        session.execute(insert(Incident), [{
            "id": 10**6, "workspace": "T-other", "channel": None, "fingerprint": "fp-cli",
            "summary": "", "summary_key": "", "status": "open"}])
        distinct = set(session.scalars(text(
            "SELECT DISTINCT channel FROM incidents WHERE channel IS NOT NULL")))
        assert _incident_channels(session) == distinct == set(CHANNELS)


def test_0011_downgrades_to_0010s_indexes_and_up_again(migrated_database_url: str) -> None:
    url = migrated_database_url
    new = {"ix_incidents_workspace_last_seen_id_channel_key",
           "ix_incidents_workspace_entry_id_id_channel"}
    old = {"ix_incidents_workspace_last_seen_id_key",
           "ix_incidents_workspace_entry_id_last_seen"}

    def indexes() -> set[str]:
        return incident_indexes(url)

    assert new <= indexes() and not old & indexes()
    downgrade(url, "0010")
    assert old <= indexes() and not new & indexes()
    upgrade(url)
    assert new <= indexes() and not old & indexes()


def test_sqlite_reads_a_wide_readers_slices_from_the_indexes_alone(
        migrated_database_url: str) -> None:
    if not migrated_database_url.startswith("sqlite"):
        return
    seen = "channel IN ('C1', 'C2', 'C3') AND workspace = 'x' AND id IS NOT NULL"
    with session_scope(migrated_database_url) as session:
        def plan(statement: str) -> str:
            return " ".join(str(row[-1]) for row in session.execute(
                text(f"EXPLAIN QUERY PLAN {statement}")))

        assert "COVERING INDEX ix_incidents_workspace_last_seen_id_channel_key" in plan(
            f"SELECT id, summary_key FROM incidents WHERE {seen} "
            "ORDER BY last_seen DESC, id DESC LIMIT 2000")
        entry = plan(f"SELECT id FROM incidents WHERE {seen} AND entry_id = 'a' "
                     "ORDER BY id DESC LIMIT 50")
        assert "COVERING INDEX ix_incidents_workspace_entry_id_id_channel" in entry
        assert "TEMP B-TREE" not in entry
