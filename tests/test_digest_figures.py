"""Digest figures on seeded history, on SQLite and PostgreSQL, exact to the second.

The seed also serves the other digest tests (`seed_history`). Week 2026-W47 in Asia/Seoul runs
from Monday 2026-11-16 00:00 KST (= 2026-11-15 15:00 UTC) to Monday 2026-11-23 00:00 KST.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.digest.figures import OTHER_SERIES, UNKNOWN_SERIES, compute_digest
from bot.digest.weeks import IsoWeek, WeekError, zone
from bot.incidents.models import Feedback, Incident, Occurrence
from bot.storage import engine_for

SEOUL = ZoneInfo("Asia/Seoul")
W47 = IsoWeek(2026, 47)
CONTAINER, HTTP503, LAUNCH, OOM = ("container-cannot-be-scheduled", "http-status-code-503",
                                   "service-launch-fails", "vm-out-of-memory")
UNKNOWN_TEXT = "RuntimeError: libcuda.so.1 went missing in score.py"


def kst(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


def seed_history(url: str) -> None:
    """Incidents around 2026-W47 whose figures are worked out by hand in the tests below."""
    with Session(engine_for(url)) as session:
        def incident(entry: str | None, channel: str, first_seen: datetime, *,
                     service: str | None = None, status: str = "open",
                     resolved_at: datetime | None = None, ttr: float | None = None,
                     previous: Incident | None = None) -> Incident:
            row = Incident(workspace="T1", channel=channel, fingerprint=f"fp{first_seen}{entry}",
                           entry_id=entry, service=service, status=status,
                           first_seen=first_seen, last_seen=first_seen, resolved_at=resolved_at,
                           time_to_resolve_s=ttr,
                           previous_incident_id=previous.id if previous else None)
            session.add(row)
            session.flush()
            return row

        def occur(row: Incident, at: datetime, *, text: str = "error", channel: str | None = None,
                  confident: bool = True) -> None:
            session.add(Occurrence(incident_id=row.id, created_at=at, source="slash",
                                   channel=channel or row.channel, text=text,
                                   entry_id=row.entry_id if confident else None,
                                   confident=confident))

        # A: new in W47, resolved after an hour, 4 occurrences.
        a = incident(CONTAINER, "C1", kst(11, 16, 10), service="svc-gpu", status="resolved",
                     resolved_at=kst(11, 16, 11), ttr=3600)
        for at in (kst(11, 16, 10), kst(11, 16, 10, 5), kst(11, 17, 9), kst(11, 18, 12)):
            occur(a, at)
        # B: first seen in W46, still open, back in W47 (recurring).
        b = incident(HTTP503, "C1", kst(11, 13), service="svc-web")
        for at in (kst(11, 13), kst(11, 14), kst(11, 19, 8), kst(11, 19, 9), kst(11, 20, 23)):
            occur(b, at)
        # C: new in W47 in another channel, resolved in two hours.
        c = incident(HTTP503, "C2", kst(11, 17, 14), service="svc-web", status="resolved",
                     resolved_at=kst(11, 17, 16), ttr=7200)
        occur(c, kst(11, 17, 14))
        # D: unknown, Sunday 23:30 KST = Sunday 14:30 UTC: the last minutes of W47.
        d = incident(None, "C1", kst(11, 22, 23, 30))
        occur(d, kst(11, 22, 23, 30), text=UNKNOWN_TEXT, confident=False)
        # E: unknown, Monday 00:30 KST = Sunday 15:30 UTC: already W48.
        e = incident(None, "C1", kst(11, 23, 0, 30))
        occur(e, kst(11, 23, 0, 30), text="ValueError: W48 only", confident=False)
        # G resolved in W45; F is its recurrence, opened in W47 (recurring, not new).
        g = incident(LAUNCH, "C1", kst(11, 3), status="resolved", resolved_at=kst(11, 4),
                     ttr=86400 / 2)
        occur(g, kst(11, 3))
        f = incident(LAUNCH, "C1", kst(11, 19, 15), service="svc-batch", previous=g)
        occur(f, kst(11, 19, 15))
        # H, I: resolved in W47, first seen earlier, no occurrences in W47.
        incident(CONTAINER, "C1", kst(11, 12), status="resolved", resolved_at=kst(11, 17, 8),
                 ttr=600)
        incident(OOM, "C2", kst(10, 28), status="resolved", resolved_at=kst(11, 21, 9),
                 ttr=86400)
        # J: dismissed in W46: counted nowhere in W47.
        incident(None, "C1", kst(11, 10), status="dismissed")
        session.flush()
        session.add_all([
            Feedback(incident_id=a.id, entry_id=CONTAINER, user="U1", helpful=True,
                     created_at=kst(11, 16, 10, 30)),
            Feedback(incident_id=a.id, entry_id=CONTAINER, user="U2", helpful=True,
                     created_at=kst(11, 16, 10, 40)),
            Feedback(incident_id=b.id, entry_id=HTTP503, user="U1", helpful=True,
                     created_at=kst(11, 19, 10)),
            Feedback(incident_id=c.id, entry_id=HTTP503, user="U3", helpful=False,
                     created_at=kst(11, 17, 15)),
            Feedback(incident_id=g.id, entry_id=LAUNCH, user="U3", helpful=True,
                     created_at=kst(11, 3, 13)),
        ])
        session.commit()


@pytest.fixture
def seeded_url(migrated_database_url: str) -> str:
    seed_history(migrated_database_url)
    return migrated_database_url


def test_week_figures_are_exact(seeded_url: str) -> None:
    digest = compute_digest(engine_for(seeded_url), W47, SEOUL)
    figures = digest.to_json()

    assert figures["week"] == "2026-W47"
    assert figures["occurrences"] == 10  # A 4 + B 3 + C 1 + D 1 + F 1; E belongs to W48
    assert figures["incidents"] == {"new": 3, "recurring": 2, "resolved": 4, "open": 3}
    # Resolved in W47: 600, 3600, 7200, 86400 s.
    assert figures["time_to_resolve"] == {"median_s": 5400.0, "p90_s": 62640.0, "count": 4}
    assert [(e["id"], e["count"], e["previous"]) for e in figures["top_entries"]] == [
        (CONTAINER, 4, 0), (HTTP503, 4, 2), (LAUNCH, 1, 0)]
    assert figures["unknown"] == 1
    assert figures["unknown_samples"] == [UNKNOWN_TEXT]
    assert figures["feedback"] == [
        {"id": CONTAINER, "helpful": 2, "not_helpful": 0},
        {"id": HTTP503, "helpful": 1, "not_helpful": 1},
    ]
    assert figures["services"] == [{"name": "svc-gpu", "count": 4},
                                   {"name": "svc-web", "count": 4},
                                   {"name": "svc-batch", "count": 1}]
    assert figures["channels"] == [{"name": "C1", "count": 9}, {"name": "C2", "count": 1}]
    assert figures["previous"]["occurrences"] == 2


def test_daily_series_follow_local_days(seeded_url: str) -> None:
    digest = compute_digest(engine_for(seeded_url), W47, SEOUL, top=2)
    by_day = {day.day.isoformat(): day.counts for day in digest.daily}

    assert list(by_day) == [f"2026-11-{day}" for day in range(16, 23)]
    assert by_day["2026-11-16"] == {CONTAINER: 2}
    assert by_day["2026-11-17"] == {CONTAINER: 1, HTTP503: 1}
    assert by_day["2026-11-19"] == {HTTP503: 2, OTHER_SERIES: 1}  # F's entry is not in the top 2
    assert by_day["2026-11-22"] == {UNKNOWN_SERIES: 1}  # Sunday 23:30 KST
    assert sum(day.total for day in digest.daily) == digest.occurrences


def test_week_boundary_is_midnight_in_the_configured_zone(seeded_url: str) -> None:
    engine = engine_for(seeded_url)
    w48 = compute_digest(engine, W47.next(), SEOUL)
    assert w48.occurrences == 1  # Monday 00:30 KST, although it is still Sunday in UTC
    assert w48.unknown_samples == ["ValueError: W48 only"]

    # In UTC the same two occurrences both fall on Sunday, i.e. in W47.
    utc = compute_digest(engine, W47, ZoneInfo("UTC"))
    assert utc.unknown == 2


def test_one_channel_only(seeded_url: str) -> None:
    digest = compute_digest(engine_for(seeded_url), W47, SEOUL, channel="C2").to_json()

    assert digest["occurrences"] == 1
    assert digest["incidents"] == {"new": 1, "recurring": 0, "resolved": 2, "open": 0}
    # 7200 and 86400 s: median halfway, p90 nine tenths of the way.
    assert digest["time_to_resolve"] == {"median_s": 46800.0, "p90_s": 78480.0, "count": 2}
    # With the incident it was seen in (named, and linked when posted: test_digest_links.py).
    with engine_for(seeded_url).connect() as conn:
        [(incident,)] = conn.execute(text(
            "SELECT DISTINCT o.incident_id FROM occurrences o JOIN incidents i ON "
            "i.id = o.incident_id WHERE o.channel = 'C2' AND o.entry_id = :e AND "
            "i.channel = 'C2'"), {"e": HTTP503}).all()
    assert digest["top_entries"] == [{"id": HTTP503, "count": 1, "previous": 0, "change": 1,
                                      "incidents": [incident]}]
    assert digest["unknown"] == 0
    assert digest["feedback"] == [{"id": HTTP503, "helpful": 0, "not_helpful": 1}]


def test_an_empty_week_has_zeros_and_nulls(seeded_url: str) -> None:
    digest = compute_digest(engine_for(seeded_url), IsoWeek(2026, 30), SEOUL)
    figures = digest.to_json()

    assert digest.is_empty
    assert figures["occurrences"] == 0
    assert figures["incidents"] == {"new": 0, "recurring": 0, "resolved": 0, "open": 0}
    assert figures["time_to_resolve"] == {"median_s": None, "p90_s": None, "count": 0}
    assert figures["top_entries"] == [] and figures["unknown"] == 0
    assert [day["total"] for day in figures["daily"]] == [0] * 7


def test_single_resolution_gives_equal_median_and_p90(migrated_database_url: str) -> None:
    with Session(engine_for(migrated_database_url)) as session:
        session.add(Incident(workspace="T1", channel="C1", fingerprint="x", status="resolved",
                             first_seen=kst(11, 16), last_seen=kst(11, 16),
                             resolved_at=kst(11, 16, 13), time_to_resolve_s=3600.5))
        session.commit()
    ttr = compute_digest(engine_for(migrated_database_url), W47, SEOUL).time_to_resolve
    assert (ttr.median_s, ttr.p90_s, ttr.count) == (3600.5, 3600.5, 1)


def test_weeks_parse_and_span_daylight_saving_changes() -> None:
    assert IsoWeek.parse("2026-W07") == IsoWeek(2026, 7) == IsoWeek.parse("2026w7")
    assert IsoWeek(2026, 53 - 1).next() == IsoWeek(2026, 53) == IsoWeek(2027, 1).previous()
    assert IsoWeek(2026, 1).previous().label == "2025-W52"
    for bad in ("2026-W54", "W47", "2026-47", ""):
        with pytest.raises(WeekError):
            IsoWeek.parse(bad)
    # Europe/Berlin leaves summer time on 2026-10-25: that week is 169 hours long.
    window = IsoWeek(2026, 43).window(ZoneInfo("Europe/Berlin"))
    assert (window.end - window.start).total_seconds() == 169 * 3600
    assert window.start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    with pytest.raises(WeekError):
        zone("Mars/Olympus")


def test_history_written_by_the_bot_itself_shows_up_this_week(migrated_database_url: str) -> None:
    """Through the incidents service and the real matcher, as a Slack paste would be recorded."""
    from bot.incidents.service import record_feedback, record_occurrence, resolve_incident
    from bot.matching.matcher import default_matcher
    from bot.storage import session_scope

    matcher = default_matcher()
    this_week = IsoWeek.containing(datetime.now(SEOUL).date())
    pastes = ["0/3 nodes are available: 3 Insufficient nvidia.com/gpu",
              "0/5 nodes are available: 5 Insufficient nvidia.com/gpu",
              "quantum flux capacitor discombobulated while warming the teapot"]
    with session_scope(migrated_database_url) as session:
        recorded = [record_occurrence(session, workspace="T1", source="slash", text=paste,
                                      result=matcher.match(paste), channel="C1",
                                      service="svc-gpu") for paste in pastes]
    with session_scope(migrated_database_url) as session:
        resolve_incident(session, recorded[0].incident_id, user="U1", note="added a GPU pool")
        record_feedback(session, incident_id=recorded[0].incident_id,
                        entry_id="container-cannot-be-scheduled", user="U2", helpful=True)

    if IsoWeek.containing(datetime.now(SEOUL).date()) != this_week:
        pytest.skip("ran across midnight between Sunday and Monday in Seoul")
    digest = compute_digest(engine_for(migrated_database_url), this_week, SEOUL)

    assert digest.occurrences == 3
    assert digest.incidents.resolved == 1 and digest.time_to_resolve.count == 1
    assert digest.time_to_resolve.median_s is not None and digest.time_to_resolve.median_s >= 0
    assert sum(entry.count for entry in digest.top_entries) + digest.unknown == 3
    assert digest.unknown >= 1  # the teapot is nobody's runbook
    assert digest.feedback[0].id == "container-cannot-be-scheduled"
    assert digest.services[0].name == "svc-gpu"
    assert sum(day.total for day in digest.daily) == 3


def test_an_unknown_error_is_quoted_by_its_error_line_not_the_chat_above_it(
        migrated_database_url: str) -> None:
    # "The errors the knowledge base does not know yet" are there to be written up: the digest
    # quoted the paste's first line, the greeting, and the team saw no error at all.
    from bot.incidents.service import record_occurrence
    from bot.matching.matcher import default_matcher
    from bot.storage import session_scope

    paste = ("안녕하세요, 어제부터 배포가 계속 실패해요 ㅠㅠ 로그 붙입니다\n"
             "RuntimeError: libfrobnicate.so.3 went missing while warming the teapot")
    result = default_matcher().match(paste)
    assert result.answer is None  # an error the knowledge base does not know
    this_week = IsoWeek.containing(datetime.now(SEOUL).date())
    with session_scope(migrated_database_url) as session:
        record_occurrence(session, workspace="T1", source="slash", text=paste, result=result,
                          channel="C1")
    if IsoWeek.containing(datetime.now(SEOUL).date()) != this_week:
        pytest.skip("ran across midnight between Sunday and Monday in Seoul")
    digest = compute_digest(engine_for(migrated_database_url), this_week, SEOUL)
    [sample] = digest.unknown_samples
    assert "libfrobnicate" in sample and "went missing" in sample
    assert "안녕하세요" not in sample


def test_a_public_channels_digest_never_quotes_a_private_channels_paste(
        migrated_database_url: str) -> None:
    """One incident gathers an error from every channel: first pasted in a private channel,
    then in a public one. The public channel's digest counts its own occurrence, and quotes
    that occurrence's own line: the incident's summary is the private paste's line."""
    with Session(engine_for(migrated_database_url)) as session:
        row = Incident(workspace="T1", channel="G0PRIVATE", fingerprint="fp-shared",
                       summary="VaultError: privatewalrus ledger refused the handshake",
                       first_seen=kst(11, 16, 9), last_seen=kst(11, 17, 9))
        session.add(row)
        session.flush()
        for channel, at, text in (
                ("G0PRIVATE", kst(11, 16, 9), "VaultError: privatewalrus ledger refused the "
                                              "handshake"),
                ("C0PUBLIC", kst(11, 17, 9), "hi all\nVaultError: staging ledger refused the "
                                             "handshake")):
            session.add(Occurrence(incident_id=row.id, created_at=at, source="slash",
                                   channel=channel, text=text, entry_id=None, confident=False))
        session.commit()
    digest = compute_digest(engine_for(migrated_database_url), W47, SEOUL, channel="C0PUBLIC")
    assert digest.unknown == 1
    [number], [sample] = digest.unknown_sample_incidents, digest.unknown_samples
    assert "privatewalrus" not in sample
    assert "staging ledger refused the handshake" in sample and "hi all" not in sample
    assert number is None  # nor its number
