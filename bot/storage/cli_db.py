"""`troubleshoot-bot db upgrade|downgrade|current`: migrations from the command line.

Database and Alembic errors become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.storage.errors import database_error_reason
from bot.storage.migrations import current, downgrade, head_revision, upgrade
from bot.storage.urls import database_url, printable_url


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
