"""The storage layer: where the database is, how to reach it, and what its schema is.

- `urls`: DATABASE_URL as hosting platforms give it, mapped to the driver we install.
- `engine`: one engine per URL, with every wait bounded; `sqlite_readonly` for files we may
  only read.
- `sessions`: the session that commits on success and rolls back on error.
- `errors`, `outage`, `deadline`: telling an outage from a bug, skipping a database that just
  failed, and never waiting on one longer than the caller can.
- `base`: the declarative Base and its naming convention. Each domain keeps its own tables in its
  own `models.py` (and its own queries in its `service.py`); `all_models` is the one list of them,
  for Alembic and for checks that need the whole schema.
- `migrations`, `check`, `cli_db`, `commands`: the Alembic runner, "is this database ready?",
  and the `db upgrade|downgrade|current` commands.

Nothing here imports a domain package at import time, except `all_models` when asked.
"""

from bot.storage.base import Base, utcnow
from bot.storage.deadline import within_deadline
from bot.storage.engine import engine_for, make_engine
from bot.storage.errors import DatabaseUnavailable, database_error_reason, is_outage
from bot.storage.outage import outage_of
from bot.storage.sessions import session_scope
from bot.storage.urls import (
    UnsupportedDatabaseURL,
    database_url,
    normalize_database_url,
    printable_url,
)

# What domain code uses; the migration runner and the database check (which load Alembic) are
# imported from their modules, when needed.
__all__ = [
    "Base",
    "DatabaseUnavailable",
    "UnsupportedDatabaseURL",
    "database_error_reason",
    "database_url",
    "engine_for",
    "is_outage",
    "make_engine",
    "normalize_database_url",
    "outage_of",
    "printable_url",
    "session_scope",
    "utcnow",
    "within_deadline",
]
