"""The weekly digest's figures, computed by SQL aggregation (never by loading rows into Python).

Definitions (documented in docs/digest.md):
- occurrences: every occurrence (paste, mention, log diagnosis) created in the week.
- incidents.new: incidents first seen in the week that are not a recurrence of an earlier one.
- incidents.recurring: incidents already known before the week that came back in it, i.e. either
  first seen before the week with at least one occurrence in it (the incident was reopened or
  never closed), or opened in the week as a recurrence of a resolved incident
  (previous_incident_id set). new + recurring = incidents that were active in the week.
- incidents.resolved: incidents whose resolved_at falls in the week.
- incidents.open: incidents first seen before the week ended and not resolved by then
  (dismissed ones excluded): the backlog as it stood at the end of the week.
- time_to_resolve: median and 90th percentile (linear interpolation, like PostgreSQL's
  percentile_cont) of time_to_resolve_s over the incidents resolved in the week.
- top_entries: occurrences per matched KB entry in the week, largest first, with last week's count.
- unknown: occurrences without a confident match (confident = false).
A digest covers a set of channels (bot.digest.scope: its own, a list, or the workspace's public
ones): occurrence figures use the occurrence's channel and incident figures the incident's
channel (where it was first reported); feedback follows its incident.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    case,
    desc,
    distinct,
    false,
    func,
    or_,
    select,
    true,
)

from bot.digest.scope import THIS_CHANNEL, Coverage
from bot.digest.weeks import IsoWeek, WeekWindow
from bot.incidents.models import STATUS_DISMISSED, Feedback, Incident, Occurrence
from bot.teaching.models import STATUS_PROPOSED, KnowledgeDraft
from bot.textcut import shorten

OCC = Occurrence.__table__
INC = Incident.__table__
FEEDBACK = Feedback.__table__
DRAFTS = KnowledgeDraft.__table__

TOP_ENTRIES = 5
BUSIEST = 3
UNKNOWN_SAMPLES = 3
INCIDENTS_PER_ENTRY = 3  # incident numbers named beside each top problem
SAMPLE_CHARS = 300
UNKNOWN_SERIES = "unknown"
OTHER_SERIES = "other"


@dataclass(frozen=True)
class IncidentFigures:
    new: int = 0
    recurring: int = 0
    resolved: int = 0
    open: int = 0


@dataclass(frozen=True)
class ResolveTimes:
    median_s: float | None = None
    p90_s: float | None = None
    count: int = 0  # incidents resolved in the week with a recorded time to resolve


@dataclass(frozen=True)
class EntryCount:
    id: str
    count: int
    previous: int  # the same entry's count the week before
    incidents: tuple[int, ...] = ()  # its incidents active in the week, latest first (a few)

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class EntryFeedback:
    id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class NameCount:
    name: str
    count: int


@dataclass(frozen=True)
class DaySeries:
    """Occurrences on one local day, split by series (top entry ids, "other", "unknown")."""

    day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Digest:
    week: IsoWeek
    timezone: str
    channel: str | None  # the channel the digest is for (None: the operator's whole view)
    start: str  # local ISO timestamps of the week's bounds, for people reading the JSON
    end: str
    occurrences: int
    previous_occurrences: int
    incidents: IncidentFigures
    previous_incidents: IncidentFigures
    time_to_resolve: ResolveTimes
    previous_time_to_resolve: ResolveTimes
    top_entries: list[EntryCount]
    unknown: int
    previous_unknown: int
    unknown_incidents: int  # distinct incidents behind the unknown occurrences
    unknown_samples: list[str]
    feedback: list[EntryFeedback]
    services: list[NameCount]
    channels: list[NameCount]
    daily: list[DaySeries] = field(default_factory=list)
    scope: str = THIS_CHANNEL  # bot.digest.scope: channel / channels / workspace
    covers: list[str] | None = None  # the channels shown (None: all, private ones included)
    withheld: int = 0  # private channels left out of a wider scope
    pending_drafts: int = 0  # knowledge drafts waiting for a KB maintainer (bot/teaching)
    # Each sample's incident (None: it belongs to a channel this digest does not cover).
    unknown_sample_incidents: list[int | None] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing happened: no occurrence, no resolution, no feedback (the backlog may remain)."""
        return not (self.occurrences or self.incidents.resolved or self.feedback)

    @property
    def series(self) -> list[str]:
        """Chart series in stacking order: top entries, then everything else, then unknown."""
        names = [entry.id for entry in self.top_entries]
        present = {name for day in self.daily for name, count in day.counts.items() if count}
        return [name for name in [*names, OTHER_SERIES, UNKNOWN_SERIES]
                if name in present or name in names]

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week.label,
            "timezone": self.timezone,
            "channel": self.channel,
            "scope": {"kind": self.scope, "channels": self.covers, "withheld": self.withheld},
            "start": self.start,
            "end": self.end,
            "occurrences": self.occurrences,
            "incidents": asdict(self.incidents),
            "time_to_resolve": {"median_s": self.time_to_resolve.median_s,
                                "p90_s": self.time_to_resolve.p90_s,
                                "count": self.time_to_resolve.count},
            "top_entries": [{"id": e.id, "count": e.count, "previous": e.previous,
                             "change": e.change, "incidents": list(e.incidents)}
                            for e in self.top_entries],
            "unknown": self.unknown,
            "unknown_incidents": self.unknown_incidents,
            "unknown_samples": list(self.unknown_samples),
            "unknown_sample_incidents": list(self.unknown_sample_incidents),
            "pending_drafts": self.pending_drafts,
            "feedback": [asdict(f) for f in self.feedback],
            "services": [asdict(s) for s in self.services],
            "channels": [asdict(c) for c in self.channels],
            "daily": [{"day": d.day.isoformat(), "total": d.total, "counts": d.counts}
                      for d in self.daily],
            "previous": {
                "occurrences": self.previous_occurrences,
                "incidents": asdict(self.previous_incidents),
                "time_to_resolve": {"median_s": self.previous_time_to_resolve.median_s,
                                    "p90_s": self.previous_time_to_resolve.p90_s},
                "unknown": self.previous_unknown,
            },
        }


def compute_digest(engine: Engine, week: IsoWeek, window_tz: ZoneInfo, *,
                   channel: str | None = None, coverage: Coverage | None = None,
                   top: int = TOP_ENTRIES) -> Digest:
    """All figures for `week` (and the week before, for trends) in the time zone `window_tz`.

    `coverage` says which channels count; without it, `channel` alone (or, with no channel
    either, every channel: the operator's view).
    """
    if coverage is None:
        coverage = (Coverage(THIS_CHANNEL, frozenset({channel})) if channel
                    else Coverage.everything())
    covers = coverage.channels
    current, previous = week.window(window_tz), week.previous().window(window_tz)
    with engine.connect() as conn:
        occ = _occurrence_counts(conn, current, previous, covers)
        incidents = _incident_counts(conn, current, previous, covers)
        top_entries = _top_entries(conn, current, previous, covers, top)
        samples = _unknown_samples(conn, current, covers)
        digest = Digest(
            week=week,
            timezone=str(window_tz.key),
            channel=channel,
            start=current.local_midnight(0).isoformat(),
            end=current.local_midnight(7).isoformat(),
            occurrences=occ["current"],
            previous_occurrences=occ["previous"],
            incidents=incidents[0],
            previous_incidents=incidents[1],
            time_to_resolve=_resolve_times(conn, current, covers),
            previous_time_to_resolve=_resolve_times(conn, previous, covers),
            top_entries=top_entries,
            unknown=occ["unknown"],
            previous_unknown=occ["previous_unknown"],
            unknown_incidents=occ["unknown_incidents"],
            unknown_samples=[text for _incident, text in samples],
            unknown_sample_incidents=[incident for incident, _text in samples],
            feedback=_feedback(conn, current, covers),
            services=_busiest_services(conn, current, covers),
            channels=_busiest_channels(conn, current, covers),
            daily=_daily(conn, current, covers, [entry.id for entry in top_entries]),
            scope=coverage.kind,
            covers=sorted(covers) if covers is not None else None,
            withheld=coverage.withheld,
            pending_drafts=_pending_drafts(conn, covers),
        )
    return digest


# ----- the queries

def _pending_drafts(conn: Connection, covers: Covers) -> int:
    """Drafts still waiting for a maintainer, of the covered channels (all: every draft, the
    command line's included)."""
    query = select(func.count()).select_from(DRAFTS).where(DRAFTS.c.status == STATUS_PROPOSED)
    if covers is not None:
        query = query.where(DRAFTS.c.channel.in_(sorted(covers)))
    return int(conn.execute(query).scalar() or 0)


def _in(column: Any, window: WeekWindow) -> Any:
    return and_(column >= window.start, column < window.end)


Covers = frozenset[str] | None  # the channels counted; None: all of them


def _occurrence_channel(covers: Covers) -> Any:
    return OCC.c.channel.in_(sorted(covers)) if covers is not None else true()


def _incident_channel(covers: Covers) -> Any:
    return INC.c.channel.in_(sorted(covers)) if covers is not None else true()


def _occurrence_counts(conn: Connection, current: WeekWindow, previous: WeekWindow,
                       covers: Covers) -> dict[str, int]:
    this_week, last_week = _in(OCC.c.created_at, current), _in(OCC.c.created_at, previous)
    unknown = OCC.c.confident == false()
    row = conn.execute(
        select(
            func.count().filter(this_week).label("current"),
            func.count().filter(last_week).label("previous"),
            func.count().filter(and_(this_week, unknown)).label("unknown"),
            func.count().filter(and_(last_week, unknown)).label("previous_unknown"),
            func.count(distinct(case((and_(this_week, unknown), OCC.c.incident_id))))
            .label("unknown_incidents"),
        ).where(OCC.c.created_at >= previous.start, OCC.c.created_at < current.end,
                _occurrence_channel(covers))
    ).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def _incident_counts(conn: Connection, current: WeekWindow, previous: WeekWindow,
                     covers: Covers) -> tuple[IncidentFigures, IncidentFigures]:
    def opened(window: WeekWindow, recurrence: bool) -> Any:
        link = INC.c.previous_incident_id
        return and_(_in(INC.c.first_seen, window),
                    link.is_not(None) if recurrence else link.is_(None))

    def open_at_end(window: WeekWindow) -> Any:
        return and_(INC.c.first_seen < window.end, INC.c.status != STATUS_DISMISSED,
                    or_(INC.c.resolved_at.is_(None), INC.c.resolved_at >= window.end))

    windows = (current, previous)
    columns = []
    for index, window in enumerate(windows):
        columns += [
            func.count().filter(opened(window, False)).label(f"new{index}"),
            func.count().filter(opened(window, True)).label(f"reopened{index}"),
            func.count().filter(_in(INC.c.resolved_at, window)).label(f"resolved{index}"),
            func.count().filter(open_at_end(window)).label(f"open{index}"),
        ]
    counts = conn.execute(
        select(*columns).where(_incident_channel(covers), INC.c.first_seen < current.end)
    ).one()._mapping

    # Known incidents that came back: first seen before the week, with an occurrence in it.
    returning = [
        func.count(distinct(case((and_(_in(OCC.c.created_at, window),
                                       INC.c.first_seen < window.start), OCC.c.incident_id))))
        .label(f"returning{index}")
        for index, window in enumerate(windows)
    ]
    back = conn.execute(
        select(*returning)
        .select_from(OCC.join(INC, OCC.c.incident_id == INC.c.id))
        .where(OCC.c.created_at >= previous.start, OCC.c.created_at < current.end,
               _incident_channel(covers))
    ).one()._mapping

    def figures(index: int) -> IncidentFigures:
        return IncidentFigures(
            new=int(counts[f"new{index}"] or 0),
            recurring=int((counts[f"reopened{index}"] or 0) + (back[f"returning{index}"] or 0)),
            resolved=int(counts[f"resolved{index}"] or 0),
            open=int(counts[f"open{index}"] or 0),
        )

    return figures(0), figures(1)


def _resolve_times(conn: Connection, window: WeekWindow, covers: Covers) -> ResolveTimes:
    seconds = INC.c.time_to_resolve_s
    where = (_in(INC.c.resolved_at, window), seconds.is_not(None), _incident_channel(covers))
    if conn.dialect.name == "postgresql":
        row = conn.execute(select(
            func.percentile_cont(0.5).within_group(seconds),
            func.percentile_cont(0.9).within_group(seconds),
            func.count(seconds),
        ).where(*where)).one()
        median, p90, count = row
        return ResolveTimes(_number(median), _number(p90), int(count))

    # Elsewhere (SQLite): the same interpolation as percentile_cont, reading at most two values
    # per percentile from the sorted list with ORDER BY ... LIMIT/OFFSET.
    count = int(conn.execute(select(func.count(seconds)).where(*where)).scalar_one())
    if count == 0:
        return ResolveTimes(None, None, 0)

    def percentile(fraction: float) -> float:
        rank = fraction * (count - 1)
        low = math.floor(rank)
        values = conn.execute(select(seconds).where(*where).order_by(seconds)
                              .offset(low).limit(2)).scalars().all()
        below = float(values[0])
        above = float(values[1]) if len(values) > 1 else below
        return below + (rank - low) * (above - below)

    return ResolveTimes(_number(percentile(0.5)), _number(percentile(0.9)), count)


def _number(value: Any) -> float | None:
    """Round to milliseconds: both backends then print the same figure."""
    return None if value is None else round(float(value), 3)


def _top_entries(conn: Connection, current: WeekWindow, previous: WeekWindow,
                 covers: Covers, top: int) -> list[EntryCount]:
    this_week = func.count().filter(_in(OCC.c.created_at, current))
    last_week = func.count().filter(_in(OCC.c.created_at, previous))
    rows = conn.execute(
        select(OCC.c.entry_id, this_week.label("count"), last_week.label("previous"))
        .where(OCC.c.created_at >= previous.start, OCC.c.created_at < current.end,
               OCC.c.entry_id.is_not(None), _occurrence_channel(covers))
        .group_by(OCC.c.entry_id)
        .having(this_week > 0)
        .order_by(desc("count"), OCC.c.entry_id)
        .limit(top)
    ).all()
    incidents = _entry_incidents(conn, current, covers, [row.entry_id for row in rows])
    return [EntryCount(row.entry_id, int(row.count), int(row.previous),
                       incidents.get(row.entry_id, ())) for row in rows]


def _entry_incidents(conn: Connection, window: WeekWindow, covers: Covers,
                     entry_ids: list[str]) -> dict[str, tuple[int, ...]]:
    """Each entry's incidents seen in the week (in covered channels), latest first: the digest
    names a few, each linked to its thread. Only incidents that belong to a covered channel: a
    private channel's incident is not even numbered elsewhere, as in answers."""
    if not entry_ids:
        return {}
    latest = func.max(OCC.c.created_at)
    rows = conn.execute(
        select(OCC.c.entry_id, OCC.c.incident_id, latest.label("latest"))
        .select_from(OCC.join(INC, OCC.c.incident_id == INC.c.id))
        .where(_in(OCC.c.created_at, window), OCC.c.entry_id.in_(entry_ids),
               _occurrence_channel(covers), _incident_channel(covers))
        .group_by(OCC.c.entry_id, OCC.c.incident_id)
        .order_by(desc("latest"), OCC.c.incident_id.desc())
    ).all()
    found: dict[str, list[int]] = {}
    for row in rows:
        kept = found.setdefault(row.entry_id, [])
        if len(kept) < INCIDENTS_PER_ENTRY:
            kept.append(int(row.incident_id))
    return {entry_id: tuple(ids) for entry_id, ids in found.items()}


def _unknown_samples(conn: Connection, window: WeekWindow, covers: Covers
                     ) -> list[tuple[int | None, str]]:
    """A few recent unknown errors, one per incident (already redacted when stored), with
    their incident's number, or None for an incident that belongs to a channel not covered.

    Each is its incident's summary, the error line the matcher read, when it has one: the
    paste's own first line is often the greeting above the error, which nobody can write up.
    Not for an incident of a channel not covered: one incident gathers an error from every
    channel, and its summary is its first paste's line, maybe a private channel's. The
    occurrence's own error line is quoted instead.
    """
    rows = conn.execute(
        select(OCC.c.incident_id, OCC.c.text, INC.c.summary,
               _incident_channel(covers).label("numbered"))
        .select_from(OCC.join(INC, OCC.c.incident_id == INC.c.id))
        .where(_in(OCC.c.created_at, window), OCC.c.confident == false(),
               OCC.c.text.is_not(None), _occurrence_channel(covers))
        .order_by(OCC.c.created_at.desc(), OCC.c.id.desc())
        .limit(UNKNOWN_SAMPLES * 10)
    ).all()
    samples: list[tuple[int | None, str]] = []
    seen: set[int] = set()
    for row in rows:
        if row.incident_id in seen or not (row.text or "").strip():
            continue
        seen.add(row.incident_id)
        own_summary = row.numbered and (row.summary or "").strip()
        shown = row.summary if own_summary else _error_line(row.text)
        samples.append((int(row.incident_id) if row.numbered else None, _sample(shown)))
        if len(samples) == UNKNOWN_SAMPLES:
            break
    return samples


def _error_line(text: str) -> str:
    """The line of a stored paste with the strongest error signal (the first of equals)."""
    from bot.matching.extraction import strongest_line

    line = strongest_line(text)
    return text if line is None else line


def _sample(text: str) -> str:
    from bot.redaction import redact

    # Stored texts are redacted already; redacting again before posting costs little and
    # protects rows written before a redaction rule existed.
    text = redact(text.strip())
    return shorten(text, SAMPLE_CHARS)  # between words: the team reads it to write it up


def _feedback(conn: Connection, window: WeekWindow, covers: Covers) -> list[EntryFeedback]:
    helpful = func.count().filter(FEEDBACK.c.helpful == true())
    rejected = func.count().filter(FEEDBACK.c.helpful == false())
    query = (select(FEEDBACK.c.entry_id, helpful.label("helpful"),
                    rejected.label("not_helpful"))
             .where(_in(FEEDBACK.c.created_at, window), FEEDBACK.c.entry_id.is_not(None)))
    if covers is not None:
        query = (query.select_from(FEEDBACK.join(INC, FEEDBACK.c.incident_id == INC.c.id))
                 .where(_incident_channel(covers)))
    rows = conn.execute(query.group_by(FEEDBACK.c.entry_id)
                        .order_by(desc(func.count()), FEEDBACK.c.entry_id).limit(10)).all()
    return [EntryFeedback(row.entry_id, int(row.helpful), int(row.not_helpful)) for row in rows]


def _busiest_services(conn: Connection, window: WeekWindow,
                      covers: Covers) -> list[NameCount]:
    rows = conn.execute(
        select(INC.c.service, func.count().label("n"))
        .select_from(OCC.join(INC, OCC.c.incident_id == INC.c.id))
        .where(_in(OCC.c.created_at, window), INC.c.service.is_not(None),
               _occurrence_channel(covers))
        .group_by(INC.c.service).order_by(desc("n"), INC.c.service).limit(BUSIEST)
    ).all()
    return [NameCount(row.service, int(row.n)) for row in rows]


def _busiest_channels(conn: Connection, window: WeekWindow,
                      covers: Covers) -> list[NameCount]:
    rows = conn.execute(
        select(OCC.c.channel, func.count().label("n"))
        .where(_in(OCC.c.created_at, window), OCC.c.channel.is_not(None),
               _occurrence_channel(covers))
        .group_by(OCC.c.channel).order_by(desc("n"), OCC.c.channel).limit(BUSIEST)
    ).all()
    return [NameCount(row.channel, int(row.n)) for row in rows]


def _daily(conn: Connection, window: WeekWindow, covers: Covers,
           top_ids: list[str]) -> list[DaySeries]:
    """Occurrences per local day and entry; the day is a CASE over the seven UTC day ends,
    which stays portable and right across daylight-saving changes."""
    day = case(*[(OCC.c.created_at < end, index) for index, end in enumerate(window.day_ends)])
    inner = (select(day.label("day"), OCC.c.entry_id.label("entry_id"))
             .where(_in(OCC.c.created_at, window), _occurrence_channel(covers))
             .subquery())
    rows = conn.execute(
        select(inner.c.day, inner.c.entry_id, func.count().label("n"))
        .group_by(inner.c.day, inner.c.entry_id)
    ).all()
    counts: list[dict[str, int]] = [{} for _ in range(7)]
    keep = set(top_ids)
    for row in rows:
        if row.entry_id is None:
            name = UNKNOWN_SERIES
        else:
            name = row.entry_id if row.entry_id in keep else OTHER_SERIES
        bucket = counts[int(row.day)]
        bucket[name] = bucket.get(name, 0) + int(row.n)
    return [DaySeries(day, counts[index]) for index, day in enumerate(window.days)]
