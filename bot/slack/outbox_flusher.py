"""Writes what waited in the outbox to the database once it is back: occurrences and event ids.

Each web worker runs one flusher thread. Several flushers (the workers of a host) may pick up
the same row: each occurrence is written in one transaction together with its key
(`outbox:<key>` in processed_events), so only the first write counts; a crash between the
commit and the removal from the outbox cannot write it twice either, nor can a write that
overran its deadline during a hang and completed when the database woke up (it claimed the
same key).
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import text

from bot.incidents import service
from bot.outbox import Outbox, claim_key, default_outbox, processed_key
from bot.storage import is_outage, outage_of, session_scope

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 2.0
BATCH = 100
MAX_ROUNDS = 50  # batches per wake-up, so that stop() is never kept waiting for long
LOG_EVERY_S = 60.0  # an outage is logged once a minute by each flusher, not every 2 s


def flush_once(outbox: Outbox, database_url: str, *, batch: int = BATCH) -> int:
    """Write up to `batch` waiting occurrences (and all waiting event ids); how many written.

    Raises the database's error when it is still unavailable; nothing is lost then.
    """
    events = outbox.seen_events(database_url)
    if events:
        with session_scope(database_url) as session:
            for event_id in events:
                claim_key(session, event_id)
        outbox.events_synced(database_url, events)
    written = 0
    for pending in outbox.pending(database_url, limit=batch):
        with session_scope(database_url) as session:
            if claim_key(session, processed_key(pending.key)):
                service.record_occurrence(
                    session, workspace=pending.workspace, source=pending.source,
                    text=pending.text, result=pending.result, user=pending.user,
                    channel=pending.channel, thread_ts=pending.thread_ts,
                    service=pending.service, now=pending.created_at,
                    text_truncated=pending.text_truncated)
                written += 1
        outbox.remove(pending.key)
    return written


def database_answers(database_url: str) -> bool:
    with session_scope(database_url) as session:
        session.execute(text("SELECT 1"))
    return True


class OutboxFlusher:
    """A daemon thread that empties the outbox whenever the database answers."""

    def __init__(self, database_url: str, *, outbox: Outbox | None = None,
                 interval_s: float = FLUSH_INTERVAL_S) -> None:
        self.database_url = database_url
        self.outbox = outbox or default_outbox()
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-flusher", daemon=True)
        self._last_logged = 0.0

    def start(self) -> OutboxFlusher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.run_once()
            except Exception:  # the thread must outlive any one bad round
                log.exception("outbox flusher round failed")

    def run_once(self) -> int:
        outage = outage_of(self.database_url)
        waiting = self.outbox.depth(self.database_url) or self.outbox.seen_events(
            self.database_url, limit=1)
        if not waiting and not outage.ever_failed():
            return 0
        written = 0
        try:
            database_answers(self.database_url)
            for _round in range(MAX_ROUNDS):
                written += flush_once(self.outbox, self.database_url)
                if not self.outbox.depth(self.database_url):
                    break
        except Exception as error:
            if not is_outage(error):
                raise
            if time.monotonic() - self._last_logged > LOG_EVERY_S:
                self._last_logged = time.monotonic()
                log.warning("database still unavailable (%s); %d occurrence(s) wait in the "
                            "outbox", type(error).__name__, self.outbox.depth(self.database_url))
            return written
        outage.recovered()
        if written:
            log.info("database is back: wrote %d occurrence(s) from the outbox", written)
        return written
