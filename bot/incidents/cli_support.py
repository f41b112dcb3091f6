"""What the incident commands share: one-line errors and incidents as JSON-ready dictionaries.

(Whether the database is ready is `bot.storage.check.database_problem`.)"""

from __future__ import annotations

import sys
from datetime import datetime

from bot.cli_errors import command_language, error_line
from bot.incidents.models import Incident, Occurrence
from bot.incidents.service import as_utc
from bot.storage.check import DatabaseProblem


def fail(message: object, code: int = 1, *, lang: str | None = None) -> int:
    """One line on stderr in the command's language (`lang`, else BOT_LANGUAGE); `message`
    is a sentence already in that language, or a DatabaseProblem, said in it here."""
    lang = command_language(lang)
    text = message.said_in(lang) if isinstance(message, DatabaseProblem) else str(message)
    print(error_line(text, lang), file=sys.stderr)
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
        "owner": incident.owner,  # who said "I'm on it" in Slack, if anyone
        "owned_at": iso(incident.owned_at),
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


def duration(seconds: float | None, lang: str = "en") -> str:
    """3 d 4 h, 2 h 13 min, 5 min, 40 s; in Korean 3일 4시간, 2시간 13분, 5분, 40초."""
    if seconds is None:
        return "-"
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    day, hour, minute, second = (("일", "시간", "분", "초") if lang == "ko"
                                 else (" d", " h", " min", " s"))
    if days:
        return f"{days}{day} {hours}{hour}"
    if hours:
        return f"{hours}{hour} {minutes}{minute}"
    if minutes:
        return f"{minutes}{minute}"
    return f"{secs}{second}"
