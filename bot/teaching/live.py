"""The matcher every process answers with: the shipped KB plus the team's, reloaded when the
version row changes.

On the request path, at most every `check_every_s` seconds, one thread reads the version row (one
indexed SELECT) and, when it changed, rebuilds the matcher from the database; the other threads
keep answering with the current one meanwhile. A database that cannot be read keeps the current
matcher: an outage costs new knowledge, never answers.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache

from bot.knowledge.loader import cached_knowledge_base
from bot.matching.matcher import Matcher
from bot.storage import session_scope

log = logging.getLogger(__name__)

CHECK_EVERY_S = 5.0  # well inside the 30 s in which every process must answer a change


class LiveMatcher:
    def __init__(self, database_url: str | None, knowledge_path: str | None,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        self.database_url = database_url
        self.knowledge_path = knowledge_path
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._version: int | None = None
        self._checked = float("-inf")

    def current(self) -> Matcher:
        if self._matcher is None:
            with self._lock:  # the first caller builds; the others wait for it once
                if self._matcher is None:
                    self._refresh()
        elif (time.monotonic() - self._checked >= self.check_every_s
              and self._lock.acquire(blocking=False)):  # one thread checks; the rest answer
            try:
                self._refresh()
            finally:
                self._lock.release()
        assert self._matcher is not None
        return self._matcher

    def _refresh(self) -> None:
        from bot.teaching.service import knowledge_version, team_knowledge_base

        self._checked = time.monotonic()
        base = cached_knowledge_base(self.knowledge_path)
        try:
            with session_scope(self.database_url) as session:
                version = knowledge_version(session)
                if version == self._version and self._matcher is not None:
                    return
                kb = team_knowledge_base(session, base)
        except Exception as error:  # not migrated yet, or down: keep what answers now
            log.warning("team knowledge not read (%s): answering with the current knowledge",
                        type(error).__name__)
            if self._matcher is None:
                self._matcher = Matcher(base)
            return
        self._matcher = Matcher(kb)
        if self._version is not None:
            log.info("team knowledge changed (version %s -> %s): matcher rebuilt",
                     self._version, version)
        self._version = version


@lru_cache(maxsize=8)
def live_matcher(database_url: str | None, knowledge_path: str | None) -> LiveMatcher:
    """One per process and database (the web workers and the worker each have theirs)."""
    return LiveMatcher(database_url, knowledge_path)


def current_matcher(database_url: str | None, knowledge_path: str | None) -> Matcher:
    return live_matcher(database_url, knowledge_path).current()
