"""Slack request de-duplication in the database, so that retries and replays never answer twice.

Slack re-sends an event it thinks was lost (X-Slack-Retry-Num), possibly to another replica of
the web process; and a signed slash command or interaction captured by someone stays valid for
the five minutes of Slack's timestamp window, so it could be replayed. Events are keyed by their
`event_id`, commands and interactions by their `trigger_id` (unique per invocation or click).
The first request to insert the key wins; the others see a conflict. The primary key decides,
not a read-then-write, so two replicas cannot both win.

The claim runs before the request is acknowledged, so it must never make Slack wait, nor fail:
a 500 makes Slack retry (up to three times), each retry answered again. When the database is
down, hung, or just failed, the claim goes to this host's outbox file instead (shared by the
workers of one host), and the outbox flusher copies those ids into the database when it returns.
What is left: during an outage, a retry that lands on another host could be answered twice.
Slack only retries when we are slow or fail, which the bounded claim is there to prevent.
"""

from __future__ import annotations

import hashlib
import logging
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from bot.chat.models import ProcessedEvent
from bot.outbox import KEY_LENGTH, Outbox, claim_key, default_outbox
from bot.storage import is_outage, session_scope, utcnow, within_deadline

log = logging.getLogger(__name__)

KEEP_FOR = timedelta(days=2)  # Slack retries for minutes, not days
PRUNE_CHANCE = 0.01  # prune now and then instead of running another scheduled job
CLAIM_DEADLINE_S = 1.5  # of Slack's 3 s to acknowledge, the most the database may take


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
