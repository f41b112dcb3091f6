"""Shared fixtures: real databases (a SQLite file and a fresh PostgreSQL database per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.knowledge.links import GUIDE_FILE_NAME, find_guide

REPO_ROOT = Path(__file__).resolve().parents[1]
# The shared guide sits beside the main checkout; a git worktree is one level deeper.
GUIDE_PATH = find_guide(REPO_ROOT) or REPO_ROOT.parent / "shared" / "guide" / GUIDE_FILE_NAME
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _postgres_url_for(database: str) -> str:
    base, _, _old = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _postgres_url_for(name)
    finally:
        from bot.storage import engine_for

        # Close pooled connections this process holds, then drop despite any stragglers.
        for url in (_postgres_url_for(name),):
            engine_for(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_database_url(database_url: str) -> str:
    """An empty database brought to the newest migration, the way `db upgrade` does it."""
    from bot.storage.migrations import upgrade

    upgrade(database_url)
    return database_url
