"""The storage layer on its own: it loads no domain package, and its deadlines hold."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.storage import DatabaseUnavailable, outage_of, within_deadline
from bot.storage.all_models import MODEL_MODULES
from bot.storage.migrations import downgrade, head_revision, upgrade
from tests.support.cli import Result, run_cli

DOMAIN_PACKAGES = ("bot.incidents", "bot.logs", "bot.digest", "bot.chat", "bot.slack",
                   "bot.matching", "bot.knowledge")


def test_storage_imports_no_domain_package() -> None:
    """Domains depend on storage, never the other way: only `all_models.metadata()` loads them."""
    # (bot.storage.commands is left out: it is the CLI's wiring, and bot.cli_io loads knowledge.)
    probe = ("import sys, bot.storage, bot.storage.migrations, bot.storage.check, "
             "bot.storage.cli_db, bot.storage.all_models\n"
             f"print(sorted(m for m in sys.modules if m.startswith({DOMAIN_PACKAGES!r})))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"


def test_a_command_without_a_database_does_not_import_sqlalchemy() -> None:
    """Every command's parser registers `db`: `match` loaded SQLAlchemy through the storage
    package for nothing (a fifth of its start). Its names are still there when asked for."""
    probe = ("import sys\nfrom bot.cli import main\n"
             "code = main(['match', '--json', 'CrashLoopBackOff'])\n"
             "print(code, 'sqlalchemy' in sys.modules)\n"
             "import bot.storage\n"
             "print(sorted(name for name in bot.storage.__all__ if getattr(bot.storage, name)),"
             " 'sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()
    import bot.storage

    assert out[-2] == "0 False"
    assert out[-1] == f"{sorted(bot.storage.__all__)} True"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        bot.storage.nothing  # noqa: B018


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_each_domains_tables_work_with_only_its_own_models_imported(
        module: str, tmp_path: Path) -> None:
    """A foreign key into another domain's table (a log fetch's incident) brings that table
    along: a flush orders tables by their keys and fails on a table it has never heard of."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    probe = (f"import importlib; importlib.import_module({module!r})\n"
             "from bot.storage import Base, engine_for\n"
             f"engine = engine_for({url!r})\n"
             "with engine.begin() as connection:\n"
             "    for table in Base.metadata.sorted_tables:\n"
             "        [key.column for key in table.foreign_keys]\n"
             "        connection.execute(table.delete())\n"
             "print('written', len(Base.metadata.tables))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("written")


def test_a_call_over_its_deadline_gives_up_and_marks_the_database_down(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hung.db'}"
    release, calls = threading.Event(), []

    def hung() -> None:
        calls.append(1)
        release.wait(10)

    try:
        with pytest.raises(DatabaseUnavailable, match=r"did not answer within 0\.05 s"):
            within_deadline(url, hung, deadline_s=0.05)
        assert outage_of(url).is_down()
        # While it is down, callers fail at once instead of queueing behind the hung call.
        with pytest.raises(DatabaseUnavailable, match="failed moments ago"):
            within_deadline(url, hung, deadline_s=5)
        assert calls == [1]
    finally:
        release.set()


def test_a_short_deadline_without_trip_leaves_the_database_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    release = threading.Event()
    try:
        with pytest.raises(DatabaseUnavailable):
            within_deadline(url, release.wait, 10, deadline_s=0.05, trip=False)
        assert not outage_of(url).is_down()
        assert within_deadline(url, lambda: "answered", deadline_s=5) == "answered"
    finally:
        release.set()


def test_a_database_behind_the_code_is_named_with_the_command_that_fixes_it(
        tmp_path: Path) -> None:
    """A release whose `db upgrade` step did not run: a command that needs the schema says so in
    one line, `db current` says it is behind, and `db upgrade` brings it to head."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    downgrade(url, "0001")
    env = {"DATABASE_URL": url, "BOT_LANGUAGE": "en"}

    def bot(*args: str) -> Result:
        return run_cli(args, env=env, cwd=tmp_path)

    behind = (f"database schema is at 0001, this version needs {head_revision()}: "
              "run `troubleshoot-bot db upgrade`")
    refused = bot("incidents", "list")
    assert refused.returncode == 1 and behind in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert bot("db", "current").stdout.strip() == "0001 (behind head: run db upgrade)"
    upgraded = bot("db", "upgrade")
    assert upgraded.returncode == 0 and f"upgraded 0001 -> {head_revision()}" in upgraded.stdout
