"""Reading a SQLite file we may not write: `incidents list` must work on a read-only copy.

A file in WAL mode needs its `-shm` and `-wal` companions, and the default connection tries to
create them and to set the journal mode: on a file (or folder) this user cannot write, even a
read fails with "unable to open database file". Here such a file is opened read-only (`mode=ro`),
and where SQLite cannot even do that (no writable folder for the WAL index) as `immutable`, which
reads the file as it is on disk. Writes then fail with "attempt to write a readonly database",
which the command line turns into one clear line (bot.cli, bot.storage.errors).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.pool import NullPool

READ_ONLY_HINT = ("the SQLite database file is read-only for this user: commands that only read "
                  "work, this one writes. Run it as the user that owns the file, or make the "
                  "file and its folder writable")


def sqlite_file(url: str) -> Path | None:
    """The file a sqlite:/// URL names (None for memory databases and other backends)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def is_read_only(path: Path) -> bool:
    """An existing database file that this user cannot write, or whose folder it cannot write
    (where SQLite keeps the journal or WAL files). os.access also sees `chattr +i`, even for root.
    """
    if not path.is_file():
        return False  # a missing file is created (or reported) by the caller
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def read_only_engine(path: Path) -> Engine:
    uri = f"file:{quote(str(path.resolve()))}"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30,
                                     check_same_thread=False)
        try:
            connection.execute("SELECT 1 FROM sqlite_master LIMIT 1")
            return connection
        except sqlite3.OperationalError:  # WAL without a writable place for its index
            connection.close()
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    event.listen(engine, "connect", _enable_foreign_keys)
    return engine


def _enable_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
