"""An incident as one audience may see it: only the occurrences said where it may look.

One open incident gathers every paste of its fingerprint, whatever the channel. Its own
columns (`occurrence_count`, `last_seen`, `owner`) therefore mix channels: a public channel's
card said "seen 3 times · owner: @dave" when two of those pastes, and Dave's "I'm on it", were in
a private channel. What was said in a private channel is shown only there, so every surface
counts and dates an incident by the occurrences in channels its audience may see (and those of
the command line, which belong to no channel), and names the owner only when the incident was
seen nowhere the audience may not look (the owner may have taken it from any of those threads).

The same goes for the knowledge-base entry a list names an incident by: the incident's
`entry_id` is the first confident answer to any of its pastes, perhaps one made in a private
channel (a bare "Exit code 137" in public, answered only when pasted with more words in a
private one). An audience is shown the first confident answer among the pastes it may see, or
none; and lists are ordered by the `last_seen` it may see, not the column, whose order would
tell that something happened in a private channel a minute ago.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.incidents.audience import Audience
from bot.incidents.models import Incident, Occurrence


@dataclass(frozen=True)
class Seen:
    """What an audience may see of one incident's occurrences."""

    occurrences: int  # those in channels it may see (and the command line's)
    last_seen: datetime | None  # the newest of those
    everywhere: bool  # no occurrence in a channel it may not see
    entry_id: str | None = None  # the first confident answer among those occurrences


@dataclass(frozen=True)
class SeenIncident:
    """An incident for a list (`/troubleshoot incidents`, the Home tab), as its audience sees
    it: the fields the list shows, counted and dated by `Seen`."""

    id: int
    entry_id: str | None
    summary: str
    channel: str | None
    status: str
    occurrence_count: int
    last_seen: datetime


def seen_by(session: Session, incident_ids: Iterable[int],
            audience: Audience | None) -> dict[int, Seen]:
    """Per incident, what `audience` may see of its occurrences (None: the operator, all)."""
    wanted = sorted(set(incident_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Occurrence.incident_id, Occurrence.channel, func.count(),
               func.max(Occurrence.created_at))
        .where(Occurrence.incident_id.in_(wanted))
        .group_by(Occurrence.incident_id, Occurrence.channel)).all()
    channels = {row[1] for row in rows if row[1]}
    visible = channels if audience is None else audience.visible(channels)
    entries = _first_entries(session, wanted, visible)
    counts: dict[int, int] = {}
    newest: dict[int, datetime] = {}
    hidden: set[int] = set()
    for incident_id, channel, count, last in rows:
        if channel and channel not in visible:
            hidden.add(incident_id)
            continue
        counts[incident_id] = counts.get(incident_id, 0) + int(count)
        if last is not None and (incident_id not in newest or last > newest[incident_id]):
            newest[incident_id] = last
    return {incident_id: Seen(counts.get(incident_id, 0), newest.get(incident_id),
                              incident_id not in hidden, entries.get(incident_id))
            for incident_id in wanted}


def _first_entries(session: Session, wanted: list[int], visible: set[str]) -> dict[int, str]:
    """Per incident, the entry of its first confidently answered paste in `visible` channels
    (or on the command line): what the incident's own `entry_id` is, for all channels."""
    rows = session.execute(
        select(Occurrence.incident_id, Occurrence.channel, Occurrence.entry_id,
               func.min(Occurrence.created_at), func.min(Occurrence.id))
        .where(Occurrence.incident_id.in_(wanted), Occurrence.entry_id.is_not(None))
        .group_by(Occurrence.incident_id, Occurrence.channel, Occurrence.entry_id)).all()
    first: dict[int, tuple[datetime, int, str]] = {}
    for incident_id, channel, entry_id, created_at, occurrence_id in rows:
        if channel and channel not in visible:
            continue
        candidate = (created_at, occurrence_id, entry_id)
        if incident_id not in first or candidate[:2] < first[incident_id][:2]:
            first[incident_id] = candidate
    return {incident_id: found[2] for incident_id, found in first.items()}


def as_seen(session: Session, incidents: Iterable[Incident],
            audience: Audience | None) -> list[SeenIncident]:
    """`incidents` (already ones the audience may see) counted and dated as it sees them."""
    incidents = list(incidents)
    seen = seen_by(session, (incident.id for incident in incidents), audience)
    shown = []
    for incident in incidents:
        own = seen[incident.id]
        shown.append(SeenIncident(
            id=incident.id, entry_id=own.entry_id, summary=incident.summary,
            channel=incident.channel, status=incident.status,
            # A listed incident was seen where its audience may look at least once.
            occurrence_count=max(own.occurrences, 1),
            last_seen=own.last_seen or incident.first_seen))
    return shown
