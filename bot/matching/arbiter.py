"""gunicorn's own kill of a worker it timed out is not the kernel's out-of-memory kill.

gunicorn's arbiter (arbiter.py) watches each worker's heartbeat. A worker that has not
answered within `--timeout` is logged and killed by the arbiter itself (murder_workers):

    [CRITICAL] WORKER TIMEOUT (pid:17)
    [ERROR] Worker (pid:17) was sent SIGKILL! Perhaps out of memory?

The second line comes from reap_workers, which appends "Perhaps out of memory?" to every
SIGKILL it reaps, whoever sent it: since gunicorn 20 the arbiter sends SIGABRT first and
SIGKILL on its next pass when the worker is still there (older versions SIGKILL at once). So
when the same pid timed out earlier in the paste, the kill is the timeout's, and the hint is
no evidence of memory: the request outlived the timeout (http-status-code-504). A SIGKILL of
a worker that never timed out stays what it says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TIMED_OUT = re.compile(r"\bWORKER TIMEOUT \(pid:(\d+)\)")
_KILLED = re.compile(r"\bWorker \(pid:(\d+)\) was sent SIGKILL!")


def arbiter_kills(bodies: Sequence[str]) -> frozenset[int]:
    """Indexes of the lines (in paste order) reporting the SIGKILL of a worker whose WORKER
    TIMEOUT an earlier line logged: gunicorn's own kill, context rather than evidence."""
    timed_out: set[str] = set()
    kills: set[int] = set()
    for number, body in enumerate(bodies):
        if "pid:" not in body:
            continue  # (nearly every line: one substring test, no regex)
        timeout = _TIMED_OUT.search(body)
        if timeout:
            timed_out.add(timeout[1])
            continue
        killed = _KILLED.search(body)
        if killed and killed[1] in timed_out:
            kills.add(number)
    return frozenset(kills)
