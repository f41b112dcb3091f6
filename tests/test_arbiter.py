"""gunicorn's SIGKILL of a worker it timed out is the timeout's tail, not an out-of-memory kill."""

from __future__ import annotations

from bot.matching.arbiter import kills_after_timeout
from bot.matching.matcher import default_matcher

# gunicorn's arbiter (murder_workers, reap_workers): the timeout, the SIGABRT's traceback
# elided, then the SIGKILL of the worker that did not exit, reported with gunicorn's hint.
TIMEOUT_THEN_KILL = """\
[2026-03-04 11:02:17 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:31)
[2026-03-04 11:02:18 +0000] [7] [ERROR] Worker (pid:31) was sent SIGKILL! Perhaps out of memory?
[2026-03-04 11:02:18 +0000] [44] [INFO] Booting worker with pid: 44
"""
# The same report for a worker the paste never shows timing out: the kernel killed it.
KILL_ALONE = """\
[2026-03-04 11:02:18 +0000] [7] [ERROR] Worker (pid:31) was sent SIGKILL! Perhaps out of memory?
[2026-03-04 11:02:18 +0000] [44] [INFO] Booting worker with pid: 44
"""


def test_only_the_kill_of_a_worker_that_timed_out_first_is_found() -> None:
    assert kills_after_timeout(TIMEOUT_THEN_KILL.splitlines()) == {1}
    assert kills_after_timeout(KILL_ALONE.splitlines()) == frozenset()
    other_pid = TIMEOUT_THEN_KILL.replace("(pid:31) was sent", "(pid:32) was sent")
    assert kills_after_timeout(other_pid.splitlines()) == frozenset()
    # A kill reported before the timeout is not the arbiter's answer to it.
    assert kills_after_timeout(TIMEOUT_THEN_KILL.splitlines()[::-1]) == frozenset()


def test_a_timed_out_worker_killed_by_the_arbiter_is_a_timeout() -> None:
    result = default_matcher().match(TIMEOUT_THEN_KILL)
    assert [m.entry_id for m in result.matches][:1] == ["http-status-code-504"]


def test_a_sigkill_with_no_timeout_before_it_is_still_out_of_memory() -> None:
    result = default_matcher().match(KILL_ALONE)
    assert [m.entry_id for m in result.matches][:1] == ["vm-out-of-memory"]
