"""Fresh databases for tests, fast: a migrated template made once per test process and copied
for each test, and PostgreSQL databases dropped in the background.

Running Alembic for every test cost about half a second per database, and `DROP DATABASE`
another half to two seconds of waiting on the server. Copies are what `db upgrade` made
(the template is built by the same `upgrade()`), so a test still sees exactly the migrated
schema; tests about migrations themselves ask for an empty database and run them.

Every name carries a random part: several test processes (pytest-xdist workers, other
checkouts) share one PostgreSQL server.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text


class Databases:
    """Hands out empty or migrated databases of either backend; `close()` drops what is left."""

    def __init__(self, postgres_admin_url: str) -> None:
        self._admin_url = postgres_admin_url
        self._admin: Engine | None = None
        self._lock = threading.Lock()
        self._scratch = Path(tempfile.mkdtemp(prefix="bot-test-templates-"))
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._drops: queue.Queue[str | None] = queue.Queue()
        self._dropper: threading.Thread | None = None
        self._drop_errors: list[str] = []

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

    # ----- PostgreSQL: a database cloned from a migrated template
    def postgresql(self, *, migrated: bool, prefix: str = "bot_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{self._migrated_postgres_template()}"' if migrated else ""
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{template}'))
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
                # No connections from now on, not even autovacuum's (it leaves databases that
                # refuse connections alone): CREATE DATABASE ... TEMPLATE fails while anyone
                # is connected to the template.
                with self._admin_engine().connect() as connection:
                    connection.execute(text(
                        f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true'))
                self._postgres_template = name
            return self._postgres_template

    def release(self, url: str) -> None:
        """Drop the PostgreSQL database of `url` soon, without making the caller wait."""
        name = url.rpartition("/")[2]
        _dispose_engines(url)  # this process's pooled connections; the drop forces the rest
        with self._lock:
            if self._dropper is None:
                self._dropper = threading.Thread(target=self._drop_queued, daemon=True,
                                                 name="test-database-dropper")
                self._dropper.start()
        self._drops.put(name)

    def _drop_queued(self) -> None:
        while (name := self._drops.get()) is not None:
            try:
                self._drop(name)
            except Exception as error:  # reported at close(); a leftover is only clutter
                self._drop_errors.append(f"{name}: {error}")

    def _drop(self, name: str) -> None:
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> list[str]:
        """Wait for the queued drops, drop the template; the drops that failed, if any."""
        if self._dropper is not None:
            self._drops.put(None)
            self._dropper.join(timeout=120)
        if self._postgres_template is not None:
            try:
                with self._admin_engine().connect() as connection:
                    connection.execute(text(f'ALTER DATABASE "{self._postgres_template}" '
                                            "WITH IS_TEMPLATE false"))
                self._drop(self._postgres_template)
            except Exception as error:
                self._drop_errors.append(f"{self._postgres_template}: {error}")
        if self._admin is not None:
            self._admin.dispose()
        shutil.rmtree(self._scratch, ignore_errors=True)
        return self._drop_errors

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        return self._admin


def _migrate(url: str) -> None:
    from bot.storage.migrations import upgrade

    upgrade(url)
    _dispose_engines(url)  # a template must have no open connection when it is copied


def _dispose_engines(url: str) -> None:
    from bot.storage import engine_for

    engine_for(url).dispose()
