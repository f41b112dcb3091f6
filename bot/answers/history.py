"""The answer's history: record the paste (or keep it in the outbox), find what came before.

Matching needs no database, so a database outage costs the history, not the answer: the
occurrence waits in this host's outbox and the flusher writes it when the database is back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.answers.models import AnswerContext, IncidentFacts
from bot.incidents import service
from bot.incidents.audience import OPERATOR, Audience
from bot.incidents.models import STATUS_RESOLVED
from bot.incidents.seen import Seen, seen_by
from bot.incidents.service import SimilarIncident
from bot.matching.result import MatchResult
from bot.outbox import claim_key, default_outbox, new_key, pending_occurrence, processed_key
from bot.storage import is_outage, session_scope, within_deadline

log = logging.getLogger(__name__)

# Recording a paste normally takes milliseconds; past this the answer goes out without history
# and the occurrence waits in the outbox (generous: a loaded SQLite can be slow, not down).
RECORD_DEADLINE_S = 10.0
SIMILAR_LIMIT = 3


@dataclass(frozen=True)
class Kept:
    """Where a paste went: the incident it joined, or the outbox key it waits under."""

    incident: IncidentFacts | None
    outbox_key: str | None = None


def record_or_keep(database_url: str, context: AnswerContext, text: str,
                   result: MatchResult, *, outbox: bool = True) -> Kept:
    """Record `text` as an occurrence, or keep it in the outbox when the database is down.

    Both paths carry one key: a write that overran its deadline on a hung database may still
    complete later, and the flusher then finds the occurrence written and skips it.
    """
    key = new_key()

    def write() -> IncidentFacts:
        with session_scope(database_url) as session:
            claim_key(session, processed_key(key))
            recorded = service.record_occurrence(
                session, workspace=context.workspace, source=context.source, text=text,
                result=result, user=context.user, channel=context.channel,
                thread_ts=context.thread_ts, service=context.service, with_similar=False)
        return IncidentFacts(
            id=recorded.incident_id, occurrence_id=recorded.occurrence_id,
            occurrences=recorded.occurrences, is_new=recorded.is_new_incident,
            status=recorded.status, recurrence_of=recorded.previous_incident_id,
            recurs=recorded.previous_incident_id is not None, owner=recorded.owner)

    try:
        return Kept(within_deadline(database_url, write, deadline_s=RECORD_DEADLINE_S))
    except Exception as error:
        if not is_outage(error) or not outbox:
            raise
        log.warning("database unavailable (%s); keeping the %s occurrence in the outbox",
                    error, context.source)
    pending = pending_occurrence(key=key, workspace=context.workspace, source=context.source,
                                 text=text, result=result, user=context.user,
                                 channel=context.channel, thread_ts=context.thread_ts,
                                 service=context.service)
    try:
        kept = default_outbox().add(database_url, pending)
    except Exception:  # a full disk must not cost the answer as well
        log.exception("could not keep an occurrence in the outbox; it is lost")
        kept = False
    return Kept(None, pending.key if kept else None)


@dataclass(frozen=True)
class Past:
    """What came before a paste, as far as its audience may see."""

    similar: tuple[SimilarIncident, ...] = ()
    recurrence_visible: bool = False  # the incident it recurs after is in a visible channel
    # This paste's incident as the audience sees it (bot.incidents.seen); None: not looked up.
    seen: Seen | None = None


def past_for(database_url: str, context: AnswerContext, text: str, result: MatchResult, *,
             incident: IncidentFacts, audience: Audience) -> Past:
    """Past incidents like this paste that `audience` may see, best first, and whether it may
    see the incident this one recurs after; nothing when the database stops answering between
    recording and this look-up (the answer still goes out).

    Run after the recording transaction, so that channel look-ups never hold its write lock.
    """
    # The operator reads everything, channel-less (CLI) incidents included: the queries take
    # that as no audience at all.
    reader = None if audience is OPERATOR else audience

    def find() -> Past:
        with session_scope(database_url) as session:
            similar = service.find_similar(
                session, workspace=context.workspace, result=result,
                exclude_incident_id=incident.id, limit=SIMILAR_LIMIT + 1,
                summary=service.incident_summary(text, result), audience=reader)
            previous = (service.get_incident(session, incident.recurrence_of)
                        if incident.recurrence_of is not None else None)
            visible = previous is not None and (
                reader is None or previous.channel in reader.visible({previous.channel}))
            seen = seen_by(session, [incident.id], reader)[incident.id]
        return Past(tuple(similar), visible, seen)

    try:
        return within_deadline(database_url, find, deadline_s=RECORD_DEADLINE_S)
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("database unavailable (%s); answering without similar incidents", error)
        return Past()


def split_last_fix(similar: tuple[SimilarIncident, ...], *, recurrence_of: int | None
                   ) -> tuple[SimilarIncident | None, tuple[SimilarIncident, ...]]:
    """(the last fix of this problem, the other similar incidents).

    The last fix is the incident this one recurs after, when it was resolved with a note;
    else the most recently seen resolved incident with a note among the similar ones.
    """
    fixed = [item for item in similar
             if item.status == STATUS_RESOLVED and item.resolution_note]
    previous = next((item for item in fixed if item.id == recurrence_of), None)
    last_fix = previous or max(fixed, key=lambda item: (item.last_seen, item.id), default=None)
    others = tuple(item for item in similar if item is not last_fix)[:SIMILAR_LIMIT]
    return last_fix, others


def attach_thread(database_url: str, *, incident: IncidentFacts | None,
                  outbox_key: str | None, channel: str, thread_ts: str) -> None:
    """The answer started a thread: tie the paste to it, so that the thread finds the
    incident later (a "Fetch logs" click, `@bot` in the thread, the resolver)."""
    if incident is not None:
        with session_scope(database_url) as session:
            service.attach_thread(session, occurrence_id=incident.occurrence_id,
                                  channel=channel, thread_ts=thread_ts)
    elif outbox_key is not None:
        default_outbox().attach_thread(outbox_key, channel=channel, thread_ts=thread_ts)
