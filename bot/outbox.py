"""A small local outbox: what could not be written to the database while it was down.

During a database outage the bot still answers pastes (matching needs no database), and the
occurrence waits here until a flusher (`bot.slack.outbox_flusher`) writes it. It is one SQLite
file per host (OUTBOX_PATH, shared by the web workers there through SQLite's own locking), bounded
in rows and bytes, and it only ever holds redacted text: secrets never reach the disk.

It also remembers Slack event ids claimed while the database could not (`claim_event`), so that
the workers of one host do not answer an event twice; the flusher copies those ids into the
database's `processed_events` when it returns, for the other hosts and for late retries.

Each row is tied to one database (a hash of its URL without the password), so two bots sharing a
working directory never write each other's occurrences.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.matching.result import Match, MatchResult
from bot.redaction import redact
from bot.settings import settings
from bot.storage import database_url as default_database_url
from bot.storage import normalize_database_url, utcnow

log = logging.getLogger(__name__)

DEFAULT_FILE = "troubleshoot-bot-outbox.sqlite"
MAX_ROWS = 5_000
MAX_BYTES = 50 * 1024 * 1024  # rows hold at most ~20,000 redacted characters each
LOCAL_WAIT_S = 5  # SQLite lock wait between this host's workers
# Event ids stay known locally this long after they reached the database: a retry that comes
# while the database is slow again must still be recognised here. Slack retries for minutes.
KEEP_SEEN_S = 3600
KEY_LENGTH = 64  # processed_events.event_id

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    key TEXT PRIMARY KEY, target TEXT NOT NULL, created_at TEXT NOT NULL,
    payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_pending_target ON pending (target, created_at);
CREATE TABLE IF NOT EXISTS seen_events (
    event_id TEXT NOT NULL, target TEXT NOT NULL, seen_at REAL NOT NULL,
    synced INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (target, event_id));
"""


@dataclass(frozen=True)
class PendingOccurrence:
    """One paste waiting for the database: what `record_occurrence` needs, already redacted."""

    key: str
    created_at: datetime
    workspace: str
    source: str
    text: str
    text_truncated: bool
    result: MatchResult
    user: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    service: str | None = None  # the affected service, when the surface knew it

    def to_json(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str) -> PendingOccurrence:
        data = json.loads(payload)
        result = data.pop("result")
        return cls(**{**data, "created_at": datetime.fromisoformat(data["created_at"]),
                      "result": MatchResult(
                          matches=tuple(Match(**match) for match in result["matches"]),
                          fingerprint=result["fingerprint"],
                          key_lines=tuple(result["key_lines"]))})


def new_key() -> str:
    """An occurrence's idempotency key, chosen before the first attempt to write it."""
    return uuid.uuid4().hex


def processed_key(key: str) -> str:
    """The processed_events row that says an occurrence was written (whichever path wrote it)."""
    return "outbox:" + key


def claim_key(session: Session, key: str) -> bool:
    """Insert `key` into processed_events; True only for the statement that inserted it.

    One primary key decides, not a read-then-write: of two writers (an answer whose write overran
    its deadline and the flusher, or two replicas handling one Slack retry) exactly one wins.
    """
    from bot.chat.models import ProcessedEvent

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ProcessedEvent).values(
        event_id=key[:KEY_LENGTH], received_at=utcnow()).on_conflict_do_nothing(
        index_elements=["event_id"]).returning(ProcessedEvent.event_id)
    # RETURNING yields the row only when this statement inserted it (rowcount is not
    # reliable here: psycopg 3 through the ORM reports -1).
    return session.execute(statement).scalar_one_or_none() is not None


def pending_occurrence(*, key: str, workspace: str, source: str, text: str,
                       result: MatchResult, user: str | None, channel: str | None,
                       thread_ts: str | None, service: str | None = None) -> PendingOccurrence:
    """A paste made safe for the disk: its text, key lines and evidence redacted and bounded."""
    from bot.incidents.service import TEXT_LIMIT, truncate_for_storage

    # Cut short of TEXT_LIMIT so that the cut mark still fits when the flusher stores it.
    stored, was_cut = truncate_for_storage(redact(text), TEXT_LIMIT - 100)
    safe_result = replace(
        result, key_lines=tuple(redact(line) for line in result.key_lines),
        matches=tuple(replace(match, evidence=redact(match.evidence))
                      for match in result.matches))
    return PendingOccurrence(
        key=key, created_at=datetime.now(UTC), workspace=workspace, source=source,
        text=stored, text_truncated=was_cut, result=safe_result, user=user, channel=channel,
        thread_ts=thread_ts, service=service)


def target_of(database_url: str) -> str:
    """Which database a row is for, without keeping its password on disk."""
    shown = make_url(normalize_database_url(database_url)).render_as_string(hide_password=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


class Outbox:
    """The outbox file. Every method opens its own short connection: workers share the file."""

    def __init__(self, path: Path, *, max_rows: int = MAX_ROWS,
                 max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=LOCAL_WAIT_S, isolation_level=None)
        try:
            if not self._ready:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.executescript(_SCHEMA)
                self._ready = True
            yield connection
        finally:
            connection.close()

    # ----- occurrences
    def add(self, database_url: str, occurrence: PendingOccurrence) -> bool:
        """Keep `occurrence` for later; False (and nothing kept) when the outbox is full."""
        payload = occurrence.to_json()
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")  # the size check and the insert as one
            rows, size = connection.execute(
                "SELECT count(*), coalesce(sum(length(CAST(payload AS BLOB))), 0) "
                "FROM pending").fetchone()
            if rows >= self.max_rows or size + len(payload.encode()) > self.max_bytes:
                connection.execute("ROLLBACK")
                log.error("outbox %s is full (%d rows, %d bytes): an occurrence is lost",
                          self.path, rows, size)
                return False
            connection.execute(
                "INSERT INTO pending (key, target, created_at, payload) VALUES (?, ?, ?, ?)",
                (occurrence.key, target_of(database_url), occurrence.created_at.isoformat(),
                 payload))
            connection.execute("COMMIT")
        return True

    def attach_thread(self, key: str, *, channel: str, thread_ts: str) -> bool:
        """Name the thread an answer started, if the occurrence is still waiting here."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute("SELECT payload FROM pending WHERE key = ?",
                                     (key,)).fetchone()
            if row is None:
                connection.execute("ROLLBACK")
                return False
            occurrence = replace(PendingOccurrence.from_json(row[0]), channel=channel,
                                 thread_ts=thread_ts)
            connection.execute("UPDATE pending SET payload = ? WHERE key = ?",
                               (occurrence.to_json(), key))
            connection.execute("COMMIT")
        return True

    def pending(self, database_url: str, limit: int = 100) -> list[PendingOccurrence]:
        """The oldest waiting occurrences for this database (a row that cannot be read is
        logged and dropped: it would block the ones behind it forever)."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT key, payload FROM pending WHERE target = ? ORDER BY created_at LIMIT ?",
                (target_of(database_url), limit)).fetchall()
        found = []
        for key, payload in rows:
            try:
                found.append(PendingOccurrence.from_json(payload))
            except (ValueError, TypeError, KeyError) as error:
                log.error("outbox row %s is unreadable and dropped: %s", key, error)
                self.remove(key)
        return found

    def remove(self, key: str) -> None:
        with self._connect() as connection:
            connection.execute("DELETE FROM pending WHERE key = ?", (key,))

    def depth(self, database_url: str | None = None) -> int:
        """Occurrences waiting (for one database, or for all); 0 if there is no outbox file."""
        if not self.path.exists():
            return 0
        with self._connect() as connection:
            if database_url is None:
                return int(connection.execute("SELECT count(*) FROM pending").fetchone()[0])
            return int(connection.execute("SELECT count(*) FROM pending WHERE target = ?",
                                          (target_of(database_url),)).fetchone()[0])

    # ----- Slack event ids claimed while the database was away
    def claim_event(self, database_url: str, event_id: str) -> bool:
        """True the first time this host sees `event_id` (the primary key decides)."""
        with self._connect() as connection:
            inserted = connection.execute(
                "INSERT INTO seen_events (event_id, target, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING event_id",
                (event_id[:64], target_of(database_url), time.time())).fetchone()
        return inserted is not None

    def has_seen(self, database_url: str, event_id: str) -> bool:
        if not self.path.exists():
            return False
        with self._connect() as connection:
            return connection.execute(
                "SELECT 1 FROM seen_events WHERE target = ? AND event_id = ?",
                (target_of(database_url), event_id[:64])).fetchone() is not None

    def seen_events(self, database_url: str, limit: int = 500) -> list[str]:
        """Event ids claimed here that the database does not know yet."""
        if not self.path.exists():
            return []
        with self._connect() as connection:
            return [row[0] for row in connection.execute(
                "SELECT event_id FROM seen_events WHERE target = ? AND synced = 0 "
                "ORDER BY seen_at LIMIT ?", (target_of(database_url), limit))]

    def events_synced(self, database_url: str, event_ids: list[str]) -> None:
        """The database has these ids now; they stay known here for KEEP_SEEN_S all the same."""
        with self._connect() as connection:
            connection.executemany(
                "UPDATE seen_events SET synced = 1 WHERE target = ? AND event_id = ?",
                [(target_of(database_url), event_id) for event_id in event_ids])
            connection.execute("DELETE FROM seen_events WHERE synced = 1 AND seen_at < ?",
                               (time.time() - KEEP_SEEN_S,))


def outbox_path() -> Path:
    configured = settings().outbox_path
    return Path(configured) if configured else Path.cwd() / DEFAULT_FILE


_outboxes: dict[Path, Outbox] = {}
_outboxes_lock = threading.Lock()


def default_outbox() -> Outbox:
    """This process's outbox (OUTBOX_PATH, OUTBOX_MAX_ROWS, OUTBOX_MAX_BYTES)."""
    path = outbox_path().resolve()
    with _outboxes_lock:
        if path not in _outboxes:
            _outboxes[path] = Outbox(path, max_rows=settings().outbox_max_rows,
                                     max_bytes=settings().outbox_max_bytes)
        return _outboxes[path]


def depth(database_url: str | None = None) -> int:
    """Occurrences waiting in this host's outbox for DATABASE_URL (for /metrics)."""
    return default_outbox().depth(database_url or default_database_url())
