"""Is this database ready for the bot? One sentence for the person when it is not.

Commands that read or write incidents and digests ask first, so that a database never migrated,
behind the code, or out of reach gets one clear line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.storage.errors import database_error_reason
from bot.storage.migrations import current, head_revision
from bot.storage.urls import printable_url

NOT_INITIALISED = "database not initialised: run `troubleshoot-bot db upgrade`"
UNREACHABLE = "cannot use the database at"  # how a problem of reaching it begins


def database_problem(url: str) -> str | None:
    """None when the database is at the newest migration, else what to tell the person.

    Never creates anything: a missing SQLite file is reported, not made.
    """
    try:
        parsed = make_url(url)
    except Exception:
        return f"DATABASE_URL is not a database URL: {printable_url(url)}"
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                                 ":memory:")
    if is_file and not Path(str(parsed.database)).exists():
        return NOT_INITIALISED
    try:
        revision = current(url)
    except SQLAlchemyError as error:
        reason = database_error_reason(error)
        return f"{UNREACHABLE} {printable_url(url)}: {reason}"
    if revision is None:
        return NOT_INITIALISED
    if revision != head_revision():
        return (f"database schema is at {revision}, this version needs {head_revision()}: "
                "run `troubleshoot-bot db upgrade`")
    return None
