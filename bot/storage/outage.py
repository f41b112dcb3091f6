"""Which databases failed moments ago in this process, so that callers skip them for a while."""

from __future__ import annotations

import threading
import time

from bot.storage.errors import DatabaseUnavailable
from bot.storage.urls import database_url, normalize_database_url

# After a failure the database counts as down for this long: calls on the way to an answer go
# straight to their fallback instead of each waiting out its own timeout.
OUTAGE_HOLD_S = 5.0


class OutageState:
    """When the database last failed in this process, so that callers can skip it for a while."""

    def __init__(self, hold_s: float = OUTAGE_HOLD_S) -> None:
        self.hold_s = hold_s
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def failed(self) -> None:
        with self._lock:
            self._failed_at = time.monotonic()

    def recovered(self) -> None:
        with self._lock:
            self._failed_at = None

    def is_down(self) -> bool:
        with self._lock:
            return (self._failed_at is not None
                    and time.monotonic() - self._failed_at < self.hold_s)

    def ever_failed(self) -> bool:
        with self._lock:
            return self._failed_at is not None


_outages: dict[str, OutageState] = {}
_outages_lock = threading.Lock()


def outage_of(url: str | None = None) -> OutageState:
    """The outage state of one database (by URL) in this process."""
    key = normalize_database_url(url) if url else database_url()
    with _outages_lock:
        return _outages.setdefault(key, OutageState())


def check_available(url: str | None = None) -> None:
    """Fail at once (DatabaseUnavailable) while the database is known to be down."""
    if outage_of(url).is_down():
        raise DatabaseUnavailable("the database failed moments ago; not waiting on it again")
