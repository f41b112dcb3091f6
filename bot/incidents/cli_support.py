"""What the incident commands share: opening the database with a clear word when it is not
ready, and turning incidents into JSON-ready dictionaries."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.db import database_error_reason
from bot.incidents.migrations import current, head_revision, printable_url
from bot.incidents.models import Incident, Occurrence
from bot.incidents.service import as_utc

NOT_INITIALISED = "database not initialised: run `troubleshoot-bot db upgrade`"


def database_problem(url: str) -> str | None:
    """None when the database is at the newest migration, else what to tell the person.

    Never creates anything: a missing SQLite file is reported, not made.
    """
    try:
        parsed = make_url(url)
    except Exception:
        return f"DATABASE_URL is not a database URL: {printable_url(url)}"
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                                 ":memory:")
    if is_file and not Path(str(parsed.database)).exists():
        return NOT_INITIALISED
    try:
        revision = current(url)
    except SQLAlchemyError as error:
        reason = database_error_reason(error)
        return f"cannot use the database at {printable_url(url)}: {reason}"
    if revision is None:
        return NOT_INITIALISED
    if revision != head_revision():
        return (f"database schema is at {revision}, this version needs {head_revision()}: "
                "run `troubleshoot-bot db upgrade`")
    return None


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def incident_json(incident: Incident) -> dict[str, object]:
    return {
        "id": incident.id,
        "fingerprint": incident.fingerprint,
        "entry_id": incident.entry_id,
        "status": incident.status,
        "occurrences": incident.occurrence_count,
        "first_seen": iso(incident.first_seen),
        "last_seen": iso(incident.last_seen),
        "workspace": incident.workspace,
        "channel": incident.channel,
        "thread_ts": incident.thread_ts,
        "service": incident.service,
        "summary": incident.summary,
        "reported_by": incident.reported_by,
        "resolved_by": incident.resolved_by,
        "resolved_at": iso(incident.resolved_at),
        "resolution_note": incident.resolution_note,
        "time_to_resolve_s": incident.time_to_resolve_s,
        "previous_incident_id": incident.previous_incident_id,
    }


def occurrence_json(occurrence: Occurrence) -> dict[str, object]:
    return {
        "id": occurrence.id,
        "created_at": iso(occurrence.created_at),
        "source": occurrence.source,
        "user": occurrence.user,
        "channel": occurrence.channel,
        "thread_ts": occurrence.thread_ts,
        "entry_id": occurrence.entry_id,
        "score": occurrence.score,
        "confident": occurrence.confident,
        "text": occurrence.text,  # None once purged by the retention setting
        "text_truncated": occurrence.text_truncated,
    }


def duration(seconds: float | None) -> str:
    """3 d 4 h, 2 h 13 min, 5 min, 40 s."""
    if seconds is None:
        return "-"
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"
