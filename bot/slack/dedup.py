"""Slack event de-duplication in the database, so that retries never answer twice.

Slack re-sends an event it thinks was lost (X-Slack-Retry-Num), possibly to another replica of
the web process. The first request to insert the event id wins; the others see a conflict. The
primary key decides, not a read-then-write, so two replicas cannot both win.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import session_scope
from bot.incidents.models import ProcessedEvent, utcnow

KEEP_FOR = timedelta(days=2)  # Slack retries for minutes, not days
PRUNE_CHANCE = 0.01  # prune now and then instead of running another scheduled job


def claim_event(database_url: str, event_id: str) -> bool:
    """True the first time `event_id` is seen (go ahead and answer), False for a repeat."""
    with session_scope(database_url) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ProcessedEvent).values(
            event_id=event_id[:64], received_at=utcnow()).on_conflict_do_nothing(
            index_elements=["event_id"]).returning(ProcessedEvent.event_id)
        # RETURNING yields the row only when this statement inserted it (rowcount is not
        # reliable here: psycopg 3 through the ORM reports -1).
        claimed = session.execute(statement).scalar_one_or_none() is not None
        if claimed and random.random() < PRUNE_CHANCE:
            session.execute(delete(ProcessedEvent).where(
                ProcessedEvent.received_at < utcnow() - KEEP_FOR))
        return claimed
