"""Sessions on the engine of a URL: one that commits on success and rolls back on error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy.orm import Session, sessionmaker

from bot.storage.engine import engine_for
from bot.storage.errors import DatabaseUnavailable, is_outage
from bot.storage.outage import outage_of
from bot.storage.urls import database_url, normalize_database_url


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine_for(normalize_database_url(url) if url else database_url()),
                        expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    A failure that means the database is unusable (not a bug) marks it down for a moment, so
    that other callers go straight to their fallback (bot.storage.outage).
    """
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
