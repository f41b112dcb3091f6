"""Slack request de-duplication in the database, so that retries and replays never answer twice.

Slack re-sends an event it thinks was lost (X-Slack-Retry-Num), possibly to another replica of
the web process; and a signed slash command or interaction captured by someone stays valid for
the five minutes of Slack's timestamp window, so it could be replayed. Events are keyed by their
`event_id`, commands and interactions by their `trigger_id` (unique per invocation or click).
The first request to insert the key wins; the others see a conflict. The primary key decides,
not a read-then-write, so two replicas cannot both win.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import session_scope
from bot.incidents.models import ProcessedEvent, utcnow

KEY_LENGTH = 64  # processed_events.event_id
KEEP_FOR = timedelta(days=2)  # Slack retries for minutes, not days
PRUNE_CHANCE = 0.01  # prune now and then instead of running another scheduled job


def request_key(body: dict[str, Any]) -> str | None:
    """What identifies this request among Slack's retries and replays; None if nothing does.

    Requests without a trigger_id (view_closed, block_suggestion) change nothing here.
    """
    if body.get("type") == "event_callback":
        return body.get("event_id") or None  # kept unprefixed: rows from before stay valid
    trigger_id = body.get("trigger_id")
    if not trigger_id or not isinstance(trigger_id, str):
        return None
    key = "trigger:" + trigger_id
    # The key column holds 64 characters; a longer id is hashed rather than cut, so two ids
    # that differ only at the end never collide.
    return key if len(key) <= KEY_LENGTH else "trigger#" + hashlib.sha256(
        trigger_id.encode()).hexdigest()[: KEY_LENGTH - 8]


def claim_event(database_url: str, event_id: str) -> bool:
    """True the first time `event_id` (or a request_key) is seen (go ahead and answer), False
    for a repeat."""
    with session_scope(database_url) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ProcessedEvent).values(
            event_id=event_id[:KEY_LENGTH], received_at=utcnow()).on_conflict_do_nothing(
            index_elements=["event_id"]).returning(ProcessedEvent.event_id)
        # RETURNING yields the row only when this statement inserted it (rowcount is not
        # reliable here: psycopg 3 through the ORM reports -1).
        claimed = session.execute(statement).scalar_one_or_none() is not None
        if claimed and random.random() < PRUNE_CHANCE:
            session.execute(delete(ProcessedEvent).where(
                ProcessedEvent.received_at < utcnow() - KEEP_FOR))
        return claimed
