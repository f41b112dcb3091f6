"""Database engine and sessions: one place that turns DATABASE_URL into a working engine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import settings
from bot.sqlite_readonly import is_read_only, read_only_engine, sqlite_file

DEFAULT_SQLITE_FILE = "troubleshoot-bot.db"
# What we install drivers for (SQLAlchemy would otherwise fail deep inside with a traceback).
SUPPORTED_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


class UnsupportedDatabaseURL(SystemExit):
    """DATABASE_URL names a database we have no driver for: one line, exit status 1.

    A SystemExit so that every command (and `serve` at start-up) stops with the message and no
    traceback; the URL itself is not repeated, as it may hold a password.
    """

    def __init__(self, scheme: str) -> None:
        named = f"'{scheme}://'" if scheme else "no scheme"
        super().__init__(
            f"error: DATABASE_URL has {named}, which troubleshoot-bot does not support: use "
            "PostgreSQL (postgres://USER:PASSWORD@HOST/DB or postgresql://...) or SQLite "
            "(sqlite:///PATH/TO/FILE.db)")


# After a failure the database counts as down for this long: calls on the way to an answer go
# straight to their fallback instead of each waiting out its own timeout.
OUTAGE_HOLD_S = 5.0
# Calls made on the way to an answer wait at most this long, whatever the database does. A
# server that is stopped (SIGSTOP, a frozen VM) keeps pooled connections open and silent: no
# libpq or server timeout ends that wait, so the caller stops waiting instead.
DEADLINE_WORKERS = 32  # as many as the web threads and lazy listeners that may call at once


def normalize_database_url(url: str | None) -> str:
    """Accept URLs as hosting platforms hand them out and map them to the driver we install.

    Heroku-style platforms give `postgres://`, which SQLAlchemy no longer accepts, and a bare
    `postgresql://` would pick psycopg2, which we do not install; both become psycopg 3.
    """
    if not url:
        return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    scheme = url.partition("://")[0] if "://" in url else ""
    if scheme not in SUPPORTED_SCHEMES:
        raise UnsupportedDatabaseURL(scheme)
    return url


def database_url() -> str:
    return normalize_database_url(settings().database_url)


def connect_timeout_s() -> int:
    return settings().database_connect_timeout_s


def statement_timeout_s() -> int:
    return settings().database_statement_timeout_s


def _tune_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers run beside one writer; busy_timeout makes concurrent writers wait for the
    # lock instead of failing at once (but not forever); SQLite leaves foreign keys off.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={statement_timeout_s() * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def postgres_connect_args(url: str) -> dict[str, Any]:
    """libpq settings that bound every wait on PostgreSQL.

    connect_timeout covers a server that accepts TCP but never answers; statement_timeout a
    statement stuck on a lock or a slow plan; TCP keepalives notice a peer that vanished.
    A URL that sets its own `options` keeps them.
    """
    args: dict[str, Any] = {"connect_timeout": max(2, connect_timeout_s()),  # libpq minimum
                            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                            "keepalives_count": 3}
    if "options=" not in url:
        args["options"] = f"-c statement_timeout={statement_timeout_s() * 1000}"
    return args


def make_engine(url: str | None = None) -> Engine:
    url = normalize_database_url(url) if url else database_url()
    if url.startswith("sqlite"):
        if (path := sqlite_file(url)) and is_read_only(path):
            return read_only_engine(path)
        engine = create_engine(url, connect_args={"timeout": statement_timeout_s(),
                                                  "check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         pool_timeout=settings().database_pool_timeout_s,
                         connect_args=postgres_connect_args(url))


# ----- outages

class DatabaseUnavailable(RuntimeError):
    """Raised instead of waiting on a database that failed moments ago."""


# Errors that mean "the database cannot be used right now" (down, hung, locked, not migrated),
# as opposed to a bug such as a constraint violation.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError,
    DatabaseUnavailable)


# SQLite reports a schema that does not fit (a bug, or a migration not applied) with the same
# OperationalError as a locked or missing file; PostgreSQL calls it a ProgrammingError.
_SCHEMA_PROBLEMS = ("no such table", "no such column", "has no column")


def is_outage(error: BaseException) -> bool:
    if not isinstance(error, OUTAGE_ERRORS):
        return False
    return not (isinstance(error, exc.OperationalError)
                and any(problem in str(error.orig) for problem in _SCHEMA_PROBLEMS))


class OutageState:
    """When the database last failed in this process, so that callers can skip it for a while."""

    def __init__(self, hold_s: float = OUTAGE_HOLD_S) -> None:
        self.hold_s = hold_s
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def failed(self) -> None:
        with self._lock:
            self._failed_at = time.monotonic()

    def recovered(self) -> None:
        with self._lock:
            self._failed_at = None

    def is_down(self) -> bool:
        with self._lock:
            return (self._failed_at is not None
                    and time.monotonic() - self._failed_at < self.hold_s)

    def ever_failed(self) -> bool:
        with self._lock:
            return self._failed_at is not None


_outages: dict[str, OutageState] = {}
_outages_lock = threading.Lock()


def outage_of(url: str | None = None) -> OutageState:
    """The outage state of one database (by URL) in this process."""
    key = normalize_database_url(url) if url else database_url()
    with _outages_lock:
        return _outages.setdefault(key, OutageState())


def check_available(url: str | None = None) -> None:
    """Fail at once (DatabaseUnavailable) while the database is known to be down."""
    if outage_of(url).is_down():
        raise DatabaseUnavailable("the database failed moments ago; not waiting on it again")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine_for(normalize_database_url(url) if url else database_url()),
                        expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException as error:
        if is_outage(error) and not isinstance(error, DatabaseUnavailable):
            outage_of(url).failed()
        with suppress(Exception):  # rolling back on a dead connection fails too
            session.rollback()
        raise
    finally:
        session.close()


def database_error_reason(error: BaseException) -> str:
    """One line saying why a database call failed, for people (no SQL, no parameters).

    A write to a read-only SQLite file gets a sentence saying so: reads work on such a file
    (bot.sqlite_readonly), writes cannot.
    """
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = reason[0] if reason else type(error).__name__
    if "readonly database" in first or "read-only" in first:
        from bot.sqlite_readonly import READ_ONLY_HINT

        return READ_ONLY_HINT
    return first


T = TypeVar("T")
# Threads that make database calls on behalf of callers with a deadline. Bounded: while the
# database hangs, the stuck calls hold these threads and newer calls wait in the queue until
# their own deadline (then they are cancelled), instead of piling up threads.
_deadline_pool = ThreadPoolExecutor(max_workers=DEADLINE_WORKERS, thread_name_prefix="db-call")


def within_deadline(url: str | None, function: Callable[..., T], *args: Any,
                    deadline_s: float, trip: bool = True, **kwargs: Any) -> T:
    """`function(*args, **kwargs)`, or DatabaseUnavailable if it takes over `deadline_s`.

    A call that overruns keeps running in its thread until the database lets go of it, so
    what it writes must be safe to write twice (see the outbox's keys). With `trip`, an
    overrun counts as an outage (others skip the database for a while): right for a deadline
    no healthy database misses, wrong for a short one that a busy database might.
    """
    check_available(url)
    future = _deadline_pool.submit(function, *args, **kwargs)
    try:
        return future.result(timeout=deadline_s)
    except FutureTimeout:
        # A call still queued says the threads are busy, not that the database failed.
        if not future.cancel() and trip:
            outage_of(url).failed()
        raise DatabaseUnavailable(
            f"the database did not answer within {deadline_s:g} s") from None
