"""Database engine and sessions: one place that turns DATABASE_URL into a working engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

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
    return normalize_database_url(os.environ.get("DATABASE_URL"))


def _tune_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers run beside one writer; busy_timeout makes concurrent writers wait for the
    # lock instead of failing at once; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    url = normalize_database_url(url) if url else database_url()
    if url.startswith("sqlite"):
        if (path := sqlite_file(url)) and is_read_only(path):
            return read_only_engine(path)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


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
    except BaseException:
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
