"""Shared fixtures: real databases (a SQLite file and a fresh PostgreSQL database per test),
and the grouping that lets pytest-xdist run the suite in parallel."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.knowledge.links import GUIDE_FILE_NAME, find_guide
from bot.slack.config import Settings
from tests.support.databases import Databases
from tests.support.inprocess import InProcessSlack
from tests.support.slack_api import FakeSlackAPI

REPO_ROOT = Path(__file__).resolve().parents[1]
# The shared guide sits beside the main checkout; a git worktree is one level deeper.
GUIDE_PATH = find_guide(REPO_ROOT) or REPO_ROOT.parent / "shared" / "guide" / GUIDE_FILE_NAME
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _postgres_url_for(database: str) -> str:
    base, _, _old = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


_databases: Databases | None = None


def databases() -> Databases:
    """This test process's database factory (migrated templates, background drops)."""
    global _databases
    if _databases is None:
        _databases = Databases(POSTGRES_ADMIN_URL)
    return _databases


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _databases is not None:
        for problem in _databases.close():
            print(f"\nleft a test database behind: {problem}")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database on each backend: a SQLite file, or a new PostgreSQL database. Empty,
    unless the test asks for `migrated_database_url` too: then it is a copy of one that
    `upgrade()` migrated at the start of the run (the same schema, without Alembic per test)."""
    migrated = "migrated_database_url" in request.fixturenames
    if request.param == "sqlite":
        yield databases().sqlite(tmp_path, migrated=migrated)
        return
    url = databases().postgresql(migrated=migrated)
    try:
        yield url
    finally:
        databases().release(url)


@pytest.fixture
def migrated_database_url(database_url: str) -> str:
    """A new database at the newest migration, as `db upgrade` leaves it."""
    return database_url


# ----- the Slack app in this process (tests/support/inprocess.py)

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlackAPI]:
    """The Slack Web API stand-in on 127.0.0.1, shared by a module (tests use own channels)."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database of each backend shared by a module's tests, each in its own
    channel, as the tests against one running server share its database."""
    if request.param == "sqlite":
        yield databases().sqlite(tmp_path_factory.mktemp("module-db"), migrated=True)
        return
    url = databases().postgresql(migrated=True)
    try:
        yield url
    finally:
        databases().release(url)


@pytest.fixture
def slack_app(slack_api: FakeSlackAPI, module_database_url: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[InProcessSlack]:
    """The real Bolt app behind the real door, called in-process; settled after the test."""
    # The outbox (kept while the database is away) is a file in the working directory unless
    # set: the test's own, not the checkout's, nor another worker's.
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.sqlite"))
    settings = Settings(bot_token="xoxb-test", signing_secret=SIGNING_SECRET, app_token="",
                        api_url=slack_api.api_url, language="en",
                        database_url=module_database_url, knowledge_path=None)
    app = InProcessSlack(settings, slack_api)
    yield app
    app.settle()


@pytest.fixture
def channel() -> str:
    """A channel id no other test uses."""
    return "C" + uuid.uuid4().hex[:10].upper()


# ----- running in parallel: grouping and ordering for pytest-xdist (tests/support/scheduling.py)

pytest_plugins = ("tests.support.scheduling",)
