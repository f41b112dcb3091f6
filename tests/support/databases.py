"""Fresh databases for tests, fast: a migrated template made once per test process and copied
for each test, and PostgreSQL databases reset and reused instead of dropped.

Running Alembic for every test cost about half a second per database. Copies are what
`db upgrade` made (the template is built by the same `upgrade()`), so a test still sees exactly
the migrated schema; tests about migrations themselves ask for an empty database and run them.

`DROP DATABASE` forces a checkpoint on the whole server: one to twelve seconds each while other
test runs share it, and a run that dropped each test's database waited on a backlog of them at
its end. So a migrated PostgreSQL database a test is done with is emptied in the background
(its sessions ended, every row deleted, its sequences restarted: tens of milliseconds), checked
to still have the template's schema, and handed to the next test under a new name. The new name
matters: the bot keeps per-URL state (engines, the team-knowledge matcher), and a reused
database must look like a new one to it. Databases whose schema a test changed, empty ones (the
migration tests'), the reusable ones and the template are dropped when the run ends, all at once
(concurrent drops share checkpoints) by a process of their own: the run does not wait for them.

Every name carries a random part: several test processes (pytest-xdist workers, other
checkouts) share one PostgreSQL server.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

# What makes two databases the same to the tests: tables, columns, indexes, constraints,
# sequences, types, functions and schemas, and the migration they are at.
_SCHEMA_FINGERPRINT = """
SELECT md5(coalesce(string_agg(part, E'\\n' ORDER BY part), '')) FROM (
  SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable,
                coalesce(column_default, '')) AS part
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = 'public'
  UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
  UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  UNION ALL SELECT 'migration ' || version_num FROM alembic_version
) AS parts
"""


class Databases:
    """Hands out empty or migrated databases of either backend; `close()` drops what is left."""

    def __init__(self, postgres_admin_url: str) -> None:
        self._admin_url = postgres_admin_url
        self._admin: Engine | None = None
        self._lock = threading.Lock()
        self._scratch = Path(tempfile.mkdtemp(prefix="bot-test-templates-"))
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._template_fingerprint: str | None = None
        self._migrated: set[str] = set()  # handed-out names that came from the template
        self._ready: list[str] = []  # emptied, checked, nobody connected: reusable
        self._unwanted: list[str] = []  # empty ones, changed schemas: dropped at the end
        self._returned: queue.Queue[str | None] = queue.Queue()
        self._janitor: threading.Thread | None = None
        self._problems: list[str] = []

    # ----- SQLite: a copied file
    def sqlite(self, folder: Path, *, migrated: bool) -> str:
        path = folder / "bot.db"
        if migrated:
            shutil.copyfile(self._migrated_sqlite_file(), path)
        return f"sqlite:///{path}"

    def _migrated_sqlite_file(self) -> Path:
        with self._lock:
            if self._sqlite_template is None:
                path = self._scratch / "template.db"
                _migrate(f"sqlite:///{path}")
                self._sqlite_template = path
            return self._sqlite_template

    # ----- PostgreSQL: a database cloned from a migrated template, or a reused clone
    def postgresql(self, *, migrated: bool, prefix: str = "bot_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        if migrated:
            template = self._migrated_postgres_template()
            with self._lock:
                reusable = self._ready.pop() if self._ready else None
            with self._admin_engine().connect() as connection:
                if reusable is None:
                    connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                else:
                    connection.execute(text(f'ALTER DATABASE "{reusable}" RENAME TO "{name}"'))
            with self._lock:
                self._migrated.add(name)
        else:
            with self._admin_engine().connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url_for(name)

    def url_for(self, name: str) -> str:
        base, _, _old = self._admin_url.rpartition("/")
        return f"{base}/{name}"

    def _migrated_postgres_template(self) -> str:
        with self._lock:
            if self._postgres_template is None:
                name = f"bot_template_{uuid.uuid4().hex[:12]}"
                with self._admin_engine().connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                _migrate(self.url_for(name))
                self._template_fingerprint = self._fingerprint(name)
                # No connections from now on, not even autovacuum's (it leaves databases that
                # refuse connections alone): CREATE DATABASE ... TEMPLATE fails while anyone
                # is connected to the template.
                with self._admin_engine().connect() as connection:
                    connection.execute(text(
                        f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true'))
                self._postgres_template = name
            return self._postgres_template

    def release(self, url: str) -> None:
        """The test is done with the PostgreSQL database of `url`: reset it for reuse, or drop
        it, in the background, without making the caller wait."""
        name = url.rpartition("/")[2]
        _dispose_engines(url)  # this process's pooled connections; the reset ends the rest
        with self._lock:
            if self._janitor is None:
                self._janitor = threading.Thread(target=self._tidy_returned, daemon=True,
                                                 name="test-database-janitor")
                self._janitor.start()
        self._returned.put(name)

    def _tidy_returned(self) -> None:
        while (name := self._returned.get()) is not None:
            with self._lock:
                reusable = name in self._migrated
                self._migrated.discard(name)
            try:
                if reusable and self._reset(name):
                    with self._lock:
                        self._ready.append(name)
                    continue
            except Exception as error:  # reported at close(); a leftover is only clutter
                self._problems.append(f"{name}: {error}")
            with self._lock:
                self._unwanted.append(name)  # dropped at the end, with the rest

    def _reset(self, name: str) -> bool:
        """Empty `name` as the template is (every table but alembic_version empty, sequences
        restarted), nobody connected; False if its schema is no longer the template's."""
        self._end_sessions(name)
        engine = create_engine(self.url_for(name), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                if _fingerprint_of(connection) != self._template_fingerprint:
                    return False
                _empty(connection)
        finally:
            engine.dispose()
        self._end_sessions(name)  # anything that reconnected meanwhile
        return True

    def _end_sessions(self, name: str) -> None:
        with self._admin_engine().connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})

    def _fingerprint(self, name: str) -> str:
        engine = create_engine(self.url_for(name), poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return _fingerprint_of(connection)
        finally:
            engine.dispose()

    def close(self) -> list[str]:
        """Finish the resets, then have every database left and the template dropped by a
        process of their own, so that this run ends without waiting for the checkpoints; the
        problems so far, if any. A drop that fails leaves clutter, nothing else."""
        if self._janitor is not None:
            self._returned.put(None)
            self._janitor.join(timeout=60)
        with self._lock:
            leftovers = [*self._ready, *self._unwanted]
            self._ready.clear()
            self._unwanted.clear()
        if self._admin is not None:
            self._admin.dispose()
        if leftovers or self._postgres_template:
            _drop_in_the_background(self._admin_url, leftovers, self._postgres_template)
        shutil.rmtree(self._scratch, ignore_errors=True)
        return self._problems

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        return self._admin


# The dropping process: every name at once (concurrent drops share a checkpoint), the template
# after it stops being one. The admin URL comes in the environment: it may hold a password.
_DROPPER = """
import os, sys
from concurrent.futures import ThreadPoolExecutor
from sqlalchemy import create_engine, text
admin = create_engine(os.environ["BOT_TEST_ADMIN_URL"], isolation_level="AUTOCOMMIT")
template, names = sys.argv[1], sys.argv[2:]
def drop(name):
    with admin.connect() as connection:
        if name == template:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false'))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(drop, [*names, template] if template else names))
"""


def _drop_in_the_background(admin_url: str, names: list[str], template: str | None) -> None:
    subprocess.Popen([sys.executable, "-c", _DROPPER, template or "", *names],
                     env={**os.environ, "BOT_TEST_ADMIN_URL": admin_url},
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def _fingerprint_of(connection: Connection) -> str:
    return str(connection.execute(text(_SCHEMA_FINGERPRINT)).scalar_one())


def _empty(connection: Connection) -> None:
    """Delete every row but the migration's, with foreign keys not checked (every table is
    emptied, so none would fail), and restart the sequences: ids begin at 1 again, as in a new
    copy of the template. DELETE rather than TRUNCATE: no new files, a few milliseconds."""
    tables = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version'")).scalars().all()
    sequences = connection.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars().all()
    connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in tables:
        connection.execute(text(f'DELETE FROM "{table}"'))
    for sequence in sequences:
        connection.execute(text("SELECT setval(CAST(:sequence AS regclass), 1, false)"),
                           {"sequence": f'"{sequence}"'})


def _migrate(url: str) -> None:
    from bot.storage.migrations import upgrade

    upgrade(url)
    _dispose_engines(url)  # a template must have no open connection when it is copied


def _dispose_engines(url: str) -> None:
    from bot.storage import engine_for

    engine_for(url).dispose()
