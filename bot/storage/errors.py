"""Telling a database outage from a bug, and saying in one line why a call failed."""

from __future__ import annotations

from sqlalchemy import exc


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


def database_error_reason(error: BaseException) -> str:
    """One line saying why a database call failed, for people (no SQL, no parameters).

    A write to a read-only SQLite file gets a sentence saying so: reads work on such a file
    (bot.storage.sqlite_readonly), writes cannot.
    """
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = reason[0] if reason else type(error).__name__
    if "readonly database" in first or "read-only" in first:
        from bot.storage.sqlite_readonly import READ_ONLY_HINT

        return READ_ONLY_HINT
    return first
