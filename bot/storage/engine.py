"""One engine (and pool) per database URL, with every wait on the database bounded."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event

from bot.settings import settings
from bot.storage.sqlite_readonly import is_read_only, read_only_engine, sqlite_file
from bot.storage.urls import database_url, normalize_database_url


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
    """A new engine for `url` (default: DATABASE_URL); the caller disposes of it."""
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


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)
