"""Alembic, driven from code: `troubleshoot-bot db upgrade|downgrade|current`.

There is no alembic.ini: the script location is this repository's `migrations/` folder and the
database URL comes from the caller (or DATABASE_URL), so the CLI, the Procfile's `release:` step
and the test fixtures all migrate the same way. Nothing here runs at import time.
"""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.db import database_error_reason, database_url, make_engine, normalize_database_url
from bot.paths import project_folder


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


def is_up_to_date(url: str) -> bool:
    return current(url) == head_revision()


def printable_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is reported by the caller anyway
        return "<unparseable DATABASE_URL>"


# --- command-line targets ---------------------------------------------------------------------


def run_upgrade(args: argparse.Namespace) -> int:
    url = database_url()
    before = _guarded(lambda: current(url), url)
    if before is _FAILED:
        return 1
    if _guarded(lambda: upgrade(url), url) is _FAILED:
        return 1
    after = current(url)
    if before == after:
        print(f"{printable_url(url)}: already at {after} (head)")
    else:
        print(f"{printable_url(url)}: upgraded {before or '<empty>'} -> {after}")
    return 0


def run_downgrade(args: argparse.Namespace) -> int:
    url = database_url()
    if not args.yes and not _confirmed_downgrade(url, args.revision):
        return 2
    if _guarded(lambda: downgrade(url, args.revision), url) is _FAILED:
        return 1
    print(f"{printable_url(url)}: now at {current(url) or '<base>'}")
    return 0


def _confirmed_downgrade(url: str, revision: str) -> bool:
    """A downgrade drops tables or columns and what they hold (`base`: every incident): ask on a
    terminal, refuse elsewhere unless `--yes` was given."""
    warning = (f"db downgrade {revision} on {printable_url(url)} drops tables or columns and "
               "the data in them" + (" (every incident and occurrence)" if revision == "base"
                                     else ""))
    if not sys.stdin.isatty():
        print(f"error: {warning}; nothing was changed. Re-run with --yes to do it.",
              file=sys.stderr)
        return False
    try:
        answer = input(f"{warning}. Type 'yes' to go on: ")
    except EOFError:
        answer = ""
    if answer.strip().lower() == "yes":
        return True
    print("nothing was changed", file=sys.stderr)
    return False


def run_current(args: argparse.Namespace) -> int:
    url = database_url()
    revision = _guarded(lambda: current(url), url)
    if revision is _FAILED:
        return 1
    if revision is None:
        print(f"{printable_url(url)}: not initialised (run `troubleshoot-bot db upgrade`)")
    else:
        suffix = " (head)" if revision == head_revision() else " (behind head: run db upgrade)"
        print(f"{revision}{suffix}")
    return 0


_FAILED = object()


def _guarded(action, url: str):  # type: ignore[no-untyped-def]
    """Run a migration step; turn database and Alembic errors into one clear line on stderr."""
    from alembic.util import CommandError

    try:
        return action()
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
    except SQLAlchemyError as error:
        reason = database_error_reason(error)
        print(f"error: cannot use the database at {printable_url(url)}: {reason}",
              file=sys.stderr)
    return _FAILED
