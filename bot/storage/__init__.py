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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# What domain code uses, and the module each name is read from when first asked for (PEP 562):
# every command's parser imports `bot.storage.commands`, and importing SQLAlchemy for it made
# `troubleshoot-bot match`, which never opens a database, pay for its import. The migration
# runner and the database check (which load Alembic) are imported from their modules, when
# needed.
_MODULE_OF = {
    "Base": "base", "utcnow": "base", "within_deadline": "deadline",
    "engine_for": "engine", "make_engine": "engine", "DatabaseUnavailable": "errors",
    "database_error_reason": "errors", "is_outage": "errors", "outage_of": "outage",
    "session_scope": "sessions", "UnsupportedDatabaseURL": "urls", "database_url": "urls",
    "normalize_database_url": "urls", "printable_url": "urls",
}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


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
