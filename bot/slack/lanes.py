"""Per-destination lanes for the work done after ack(), so that one slow destination cannot
take every thread.

Bolt runs lazy listeners in one shared pool. When Slack is slow for one channel (a busy
channel, a big upload, a channel-wide incident with many pastes), every thread could end up
waiting on that channel while answers for other channels queue behind them. Here at most
`per_lane` tasks of one destination run at once; the others wait in that destination's queue,
holding no thread, and run in order as the running ones finish.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

PER_LANE = 4  # of the 16 lazy-listener threads: a quarter for any one channel


class Lanes:
    def __init__(self, per_lane: int = PER_LANE) -> None:
        self.per_lane = per_lane
        self._running: dict[str, int] = {}
        self._waiting: dict[str, deque[Callable[[], None]]] = {}
        self._lock = threading.Lock()

    def run(self, lane: str | None, task: Callable[[], None]) -> None:
        """Run `task` now, or queue it behind the tasks already running in `lane`."""
        if lane is None:
            task()
            return
        with self._lock:
            if self._running.get(lane, 0) >= self.per_lane:
                self._waiting.setdefault(lane, deque()).append(task)
                return
            self._running[lane] = self._running.get(lane, 0) + 1
        next_task: Callable[[], None] | None = task
        while next_task is not None:
            try:
                next_task()
            except Exception:  # tasks report their own errors; this keeps the lane moving
                log.exception("a task in lane %s failed", lane)
            next_task = self._next(lane)

    def _next(self, lane: str) -> Callable[[], None] | None:
        with self._lock:
            waiting = self._waiting.get(lane)
            if waiting:
                return waiting.popleft()
            self._waiting.pop(lane, None)
            self._running[lane] -= 1
            if not self._running[lane]:
                del self._running[lane]
            return None

    def queued(self, lane: str) -> int:
        with self._lock:
            return len(self._waiting.get(lane) or ())


def destination_of(body: dict[str, Any]) -> str | None:
    """Where the answer to this request goes: its channel, else the person (Home tab, modal)."""
    event = body.get("event") or {}
    channel = (event.get("channel") or body.get("channel_id")
               or (body.get("channel") or {}).get("id")
               or (body.get("container") or {}).get("channel_id"))
    if channel:
        return f"channel:{channel}"
    user = body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user")
    return f"user:{user}" if user else None
