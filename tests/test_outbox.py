"""The outbox: bounded, redacted on disk, and written to the real database exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.matching.matcher import default_matcher
from bot.outbox import Outbox, new_key, pending_occurrence
from bot.slack.outbox_flusher import flush_once

PASTE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
SECRET = "xoxb-" + "1234567890-" * 3 + "abcdefghijklmnopqrstuvwx"


def pending(text: str = PASTE, channel: str = "C1"):  # type: ignore[no-untyped-def]
    result = default_matcher().match(text, top=3, lang="en")
    return pending_occurrence(key=new_key(), workspace="T1", source="mention", text=text,
                              result=result, user="U1", channel=channel, thread_ts="1.1")


def rows(url: str, query: str) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_the_outbox_is_bounded_and_says_when_it_is_full(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite", max_rows=2)
    url = "sqlite:///bot.db"
    assert outbox.depth(url) == 0
    assert outbox.add(url, pending()) and outbox.add(url, pending())
    assert not outbox.add(url, pending())
    assert outbox.depth(url) == 2
    small = Outbox(tmp_path / "small.sqlite", max_bytes=2_000)
    assert not small.add(url, pending(PASTE + " x" * 2_000))  # one row over the byte bound
    assert small.depth(url) == 0


def test_only_redacted_text_reaches_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    occurrence = pending(f"{PASTE}\nSLACK_TOKEN={SECRET}")
    Outbox(path).add("sqlite:///bot.db", occurrence)
    on_disk = b"".join(file.read_bytes() for file in tmp_path.iterdir())
    assert b"Insufficient nvidia.com/gpu" in on_disk
    assert SECRET.encode() not in on_disk and SECRET[5:17].encode() not in on_disk


def test_flushing_writes_each_occurrence_once_at_its_own_time(migrated_database_url: str,
                                                               tmp_path: Path) -> None:
    url = migrated_database_url
    first, second = Outbox(tmp_path / "a.sqlite"), Outbox(tmp_path / "b.sqlite")
    occurrence = pending()
    earlier = replace(occurrence, created_at=datetime.now(UTC) - timedelta(hours=2))
    # Two flushers that both hold the same row (the workers of one host) write it once.
    first.add(url, earlier)
    second.add(url, earlier)
    first.add(url, pending(channel="C2"))
    assert flush_once(first, url) == 2
    assert flush_once(second, url) == 0
    assert first.depth(url) == second.depth(url) == 0
    assert sorted(row[0] for row in rows(url, "SELECT channel FROM occurrences")) == [
        "C1", "C2"]
    [(created,)] = rows(url, "SELECT created_at FROM occurrences WHERE channel = 'C1'")
    created = created if isinstance(created, datetime) else datetime.fromisoformat(created)
    assert abs((created.replace(tzinfo=UTC) - earlier.created_at).total_seconds()) < 1


def test_event_ids_claimed_locally_reach_the_database(migrated_database_url: str,
                                                      tmp_path: Path) -> None:
    from bot.slack.dedup import claim_event

    outbox = Outbox(tmp_path / "outbox.sqlite")
    url = migrated_database_url
    assert outbox.claim_event(url, "Ev1") and not outbox.claim_event(url, "Ev1")
    flush_once(outbox, url)
    assert outbox.seen_events(url) == []  # nothing left to write
    assert not claim_event(url, "Ev1")  # a late retry, now on the database: still a repeat
    assert not outbox.claim_event(url, "Ev1")  # and here, if the database is slow again
