"""Record and query incident history. The only module that writes incidents and occurrences.

Callers (CLI `ask`, the Slack handlers, log diagnosis) pass the matcher's result; this module
redacts and truncates the text, groups by fingerprint and finds similar past incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.incidents.models import Incident
from bot.matching.result import MatchResult


@dataclass(frozen=True)
class SimilarIncident:
    id: int
    entry_id: str | None
    status: str
    occurrences: int
    last_seen: datetime
    summary: str
    resolved_by: str | None
    resolution_note: str | None


@dataclass(frozen=True)
class Recorded:
    incident_id: int
    occurrence_id: int
    is_new_incident: bool
    occurrences: int  # the incident's occurrence count after this one
    status: str
    similar: tuple[SimilarIncident, ...]  # up to three, resolved-with-notes first


class IncidentNotFound(LookupError):
    pass


def record_occurrence(session: Session, *, workspace: str, source: str, text: str,
                      result: MatchResult, user: str | None = None, channel: str | None = None,
                      thread_ts: str | None = None, service: str | None = None) -> Recorded:
    raise NotImplementedError


def find_similar(session: Session, *, workspace: str, result: MatchResult,
                 exclude_incident_id: int | None = None, limit: int = 3
                 ) -> list[SimilarIncident]:
    raise NotImplementedError


def list_incidents(session: Session, *, workspace: str | None = None, status: str = "open",
                   channel: str | None = None, limit: int = 20) -> list[Incident]:
    raise NotImplementedError


def get_incident(session: Session, incident_id: int) -> Incident | None:
    raise NotImplementedError


def incident_for_thread(session: Session, *, workspace: str, channel: str,
                        thread_ts: str) -> Incident | None:
    raise NotImplementedError


def resolve_incident(session: Session, incident_id: int, *, user: str | None,
                     note: str) -> Incident:
    raise NotImplementedError


def record_feedback(session: Session, *, incident_id: int | None, entry_id: str | None,
                    user: str, helpful: bool) -> None:
    raise NotImplementedError


def purge_old_texts(session: Session, *, older_than_days: int) -> int:
    raise NotImplementedError
