"""Slack's recent answers to "is this person a member of the workspace?", in this process.

The Home tab asks it on every open (bot.slack.privacy.member_of); people open the tab often,
and membership changes rarely. An answer is kept for a while (its TTL, HOME_MEMBER_TTL_S) and
the table is bounded: past MAX_ENTRIES the oldest answers go first, so a large workspace cannot
grow it without end. Each worker keeps its own; a stale answer lasts at most one TTL.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_ENTRIES = 4096


Key = tuple[str, str, str]  # (the Slack Web API's URL, workspace, user)


class Memberships:
    """(Web API, workspace, user) -> member or not, each until its deadline; thread-safe."""

    def __init__(self, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._answers: OrderedDict[Key, tuple[bool, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> bool | None:
        """The kept answer, or None when there is none or it has expired."""
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            member, deadline = found
            if self.clock() >= deadline:
                del self._answers[key]
                return None
            return member

    def put(self, key: Key, member: bool, *, ttl_s: float) -> None:
        with self._lock:
            self._answers.pop(key, None)  # re-inserted last: the newest answer
            self._answers[key] = (member, self.clock() + ttl_s)
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)  # the oldest answer

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


memberships = Memberships()  # this process's: every Home tab open in it shares the answers
