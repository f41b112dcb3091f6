"""gunicorn's own kill of a worker it timed out: the timeout's last line, not an out-of-memory kill.

gunicorn's arbiter (arbiter.py, murder_workers) logs `WORKER TIMEOUT (pid:N)` for a worker that
stopped reporting, and sends it SIGABRT; a worker still there at the next pass gets SIGKILL
(older versions send SIGKILL at once). reap_workers then reports every SIGKILL alike, whoever
sent it, with a hint: `Worker (pid:N) was sent SIGKILL! Perhaps out of memory?`. When the paste
shows that same pid timing out first, the arbiter sent the kill: the line is the tail of the
timeout, and its hint is no evidence of memory (scoring.prepare reads it as context).

A SIGKILL of a pid the paste never shows timing out keeps its meaning: the kernel's OOM killer
is what sends it then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TIMED_OUT = re.compile(r"\bWORKER TIMEOUT \(pid:(\d+)\)")
_SIGKILLED = re.compile(r"\bWorker \(pid:(\d+)\) was sent SIGKILL!")


def kills_after_timeout(lines: Sequence[str]) -> frozenset[int]:
    """The indexes of `lines` that report gunicorn's SIGKILL of a worker an earlier line shows
    timing out (same pid)."""
    timed_out: set[str] = set()
    found: set[int] = set()
    for number, line in enumerate(lines):
        killed = _SIGKILLED.search(line)
        if killed and killed[1] in timed_out:
            found.add(number)
        timed_out.update(_TIMED_OUT.findall(line))
    return frozenset(found)
