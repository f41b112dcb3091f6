"""Alembic, driven from code (the `db upgrade|downgrade|current` commands are in `cli_db`).

There is no alembic.ini: the script location is this repository's `migrations/` folder and the
database URL comes from the caller (or DATABASE_URL), so the CLI, the Procfile's `release:` step
and the test fixtures all migrate the same way. Nothing here runs at import time.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.paths import project_folder
from bot.storage.engine import make_engine
from bot.storage.urls import normalize_database_url


def alembic_config(url: str) -> Config:
    """An Alembic Config for `url`; env.py reads the URL from `attributes`, not from an ini file.

    (Passing it as `sqlalchemy.url` would send it through configparser, which chokes on the
    `%` of percent-encoded passwords.)
    """
    migrations = project_folder("migrations")
    if not (migrations / "env.py").is_file():
        from alembic.util import CommandError

        raise CommandError(f"no migrations at {migrations}: run from a checkout of the "
                           "repository, where migrations/ lives")
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["database_url"] = normalize_database_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    engine = make_engine(normalize_database_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
