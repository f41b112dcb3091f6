"""Slack event de-duplication in the database, so that retries never answer twice.

Slack re-sends an event it thinks was lost (X-Slack-Retry-Num), possibly to another replica of
the web process. The first request to insert the event id wins; the others see a conflict. The
primary key decides, not a read-then-write, so two replicas cannot both win.

The claim runs before the request is acknowledged, so it must never make Slack wait, nor fail:
a 500 makes Slack retry (up to three times), each retry answered again. When the database is
down, hung, or just failed, the claim goes to this host's outbox file instead (shared by the
workers of one host), and the outbox flusher copies those ids into the database when it returns.
What is left: during an outage, a retry that lands on another host could be answered twice.
Slack only retries when we are slow or fail, which the bounded claim is there to prevent.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db import is_outage, session_scope, within_deadline
from bot.incidents.models import ProcessedEvent, utcnow
from bot.outbox import Outbox, default_outbox

log = logging.getLogger(__name__)

KEEP_FOR = timedelta(days=2)  # Slack retries for minutes, not days
PRUNE_CHANCE = 0.01  # prune now and then instead of running another scheduled job
CLAIM_DEADLINE_S = 1.5  # of Slack's 3 s to acknowledge, the most the database may take


def claim_key(session: Session, key: str) -> bool:
    """Insert `key` into processed_events; True only for the statement that inserted it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ProcessedEvent).values(
        event_id=key[:64], received_at=utcnow()).on_conflict_do_nothing(
        index_elements=["event_id"]).returning(ProcessedEvent.event_id)
    # RETURNING yields the row only when this statement inserted it (rowcount is not
    # reliable here: psycopg 3 through the ORM reports -1).
    return session.execute(statement).scalar_one_or_none() is not None


def claim_event(database_url: str, event_id: str) -> bool:
    """True the first time `event_id` is seen (go ahead and answer), False for a repeat."""
    with session_scope(database_url) as session:
        claimed = claim_key(session, event_id)
        if claimed and random.random() < PRUNE_CHANCE:
            session.execute(delete(ProcessedEvent).where(
                ProcessedEvent.received_at < utcnow() - KEEP_FOR))
        return claimed


def claim_event_without_waiting(database_url: str, event_id: str, *,
                                outbox: Outbox | None = None,
                                deadline_s: float = CLAIM_DEADLINE_S) -> bool:
    """`claim_event` within `deadline_s`, or this host's outbox when the database cannot say.

    A claim the database granted is still refused if this host claimed the id locally during
    an outage that the flusher has not written back yet.
    """
    outbox = outbox or default_outbox()
    try:
        claimed = within_deadline(database_url, claim_event, database_url, event_id,
                                  deadline_s=deadline_s, trip=False)
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("event %s: database unavailable (%s); de-duplicating locally", event_id,
                    error)
        return outbox.claim_event(database_url, event_id)
    return claimed and not outbox.has_seen(database_url, event_id)
