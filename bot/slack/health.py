"""What `GET /healthz` reports: is the database reachable and migrated, is Slack connected.

A load balancer polls this often and gives up after a second or two, so the answer must come at
once even when the database hangs: the probe runs in its own thread with short connect and
statement timeouts, the request waits at most PROBE_DEADLINE_S for it, and a probe still stuck
is reused instead of starting another (probes never pile up).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from bot.redaction import sanitize
from bot.slack.config import UNPARSEABLE_DATABASE_URL, database_url_parses
from bot.storage import database_error_reason

log = logging.getLogger("bot.slack")

PROBE_TIMEOUT_S = 2  # connect and statement timeout of the probe's own connection
PROBE_DEADLINE_S = 2.5  # how long /healthz waits for a probe before saying "not answering"
UPGRADE_HINT = "run `troubleshoot-bot db upgrade`"


@dataclass(frozen=True)
class Check:
    """`reason` is what /healthz answers anyone on the internet; `detail`, the driver's or
    Slack's own words (a database host, port, role or database name), goes to the server log
    only."""

    ok: bool
    state: str  # "ok", "unreachable", "not migrated", "not answering", "not connected"
    reason: str = ""
    detail: str = ""

    @property
    def logged(self) -> str:
        return self.detail or self.reason


UNREACHABLE = "the database cannot be reached (the server log says why)"


# ----- the database

@functools.cache
def _probe_engine(url: str) -> Engine:
    """A connection per probe (no pool: a dead pooled connection would hide a recovery), with
    timeouts short enough for a health check."""
    if url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool, connect_args={"timeout": PROBE_TIMEOUT_S})
    return create_engine(url, poolclass=NullPool, connect_args={
        "connect_timeout": PROBE_TIMEOUT_S,
        "options": f"-c statement_timeout={PROBE_TIMEOUT_S * 1000}"})


@functools.cache
def expected_revision() -> str | None:
    """The newest migration this version of the code needs; None when it cannot be told."""
    try:
        from bot.storage.migrations import head_revision

        return head_revision()
    except Exception as error:  # no migrations/ folder next to the code: skip the check
        log.warning("cannot tell the expected database revision: %s", error)
        return None


def probe_database(url: str) -> Check:
    """Connect, read Alembic's revision and compare it with the code's newest migration."""
    from alembic.runtime.migration import MigrationContext

    try:
        with _probe_engine(url).connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as error:
        return Check(False, "unreachable", UNREACHABLE, detail=_logged_reason(error, url))
    expected = expected_revision()
    if expected is not None and current != expected:
        return Check(False, "not migrated",
                     f"the database is at revision {current or 'none (empty)'}, this version "
                     f"needs {expected}: {UPGRADE_HINT}")
    return Check(True, "ok")


def _logged_reason(error: Exception, url: str) -> str:
    """Why the probe failed, for the server log: nothing of the URL's user and password. A
    password with an unescaped `@` or `:` makes the URL parser quote what it took for the port
    ("invalid literal for int() with base 10: 'w0rd@db'"), so such an error is named, not
    quoted; any other is stripped of the URL's credentials and redacted."""
    if isinstance(error, ValueError | ArgumentError) and not database_url_parses(url):
        return UNPARSEABLE_DATABASE_URL
    reason = database_error_reason(error)
    for secret in _credentials(url):
        reason = reason.replace(secret, "[REDACTED:database-url]")
    return str(sanitize(reason))


def _credentials(url: str) -> list[str]:
    """The URL's user-info and its parts long enough to mean something, longest first."""
    rest = url.split("://", 1)[-1]
    if "@" not in rest:
        return []
    user_info = rest.rsplit("@", 1)[0]
    parts = {user_info, *re.split(r"[:@/]", user_info)}
    return sorted((part for part in parts if len(part) >= 4), key=len, reverse=True)


class DatabaseHealth:
    """Answers within PROBE_DEADLINE_S whatever the database does."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-probe")
        self._lock = threading.Lock()
        self._running: Future[Check] | None = None

    def check(self) -> Check:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._pool.submit(probe_database, self._url)
            running = self._running
        try:
            return running.result(timeout=PROBE_DEADLINE_S)
        except FutureTimeout:
            return Check(False, "not answering",
                         f"the database did not answer within {PROBE_DEADLINE_S:g} s")


# ----- Slack

class SlackConnection:
    """`auth.test` until it succeeds, in the background: `serve` starts while Slack is down.

    Bolt would otherwise call auth.test while building the app and stop the server when Slack
    cannot be reached; the app is built without that check and this reports readiness instead.
    """

    FIRST_RETRY_S = 0.5
    MAX_RETRY_S = 30.0

    def __init__(self, client: Any) -> None:
        self._client = client
        self._ready = threading.Event()
        self._last_error = "not checked yet"
        self._thread = threading.Thread(target=self._connect, name="slack-auth-test",
                                        daemon=True)

    def start(self) -> SlackConnection:
        self._thread.start()
        return self

    def wait(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def check(self) -> Check:
        if self._ready.is_set():
            return Check(True, "ok")
        return Check(False, "not connected", "auth.test has not succeeded yet; retrying",
                     detail=f"auth.test has not succeeded yet ({self._last_error}); retrying")

    def _connect(self) -> None:
        delay = self.FIRST_RETRY_S
        attempts = 0
        while True:
            attempts += 1
            try:
                self._client.auth_test()
            except Exception as error:  # SlackApiError, connection refused, timeouts
                self._last_error = _one_line(error)
                if attempts == 1:
                    log.warning("Slack is not reachable at start (auth.test: %s); serving "
                                "anyway, /healthz says not ready until it succeeds",
                                self._last_error)
                time.sleep(delay)
                delay = min(delay * 2, self.MAX_RETRY_S)
                continue
            if attempts > 1:
                log.info("Slack reachable again after %d attempts", attempts)
            self._ready.set()
            return


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200]}" if text else type(error).__name__
