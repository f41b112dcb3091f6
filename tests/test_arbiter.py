"""gunicorn's own kill of a timed-out worker (bot/matching/arbiter.py)."""

from __future__ import annotations

from bot.matching.arbiter import arbiter_kills


def test_a_kill_after_the_same_pid_timed_out_is_the_arbiter_s() -> None:
    bodies = ["WORKER TIMEOUT (pid:17)", "Worker exiting (pid: 17)",
              "Worker (pid:17) was sent SIGKILL! Perhaps out of memory?"]
    assert arbiter_kills(bodies) == {2}


def test_a_kill_of_another_pid_or_before_the_timeout_is_not() -> None:
    assert arbiter_kills(["WORKER TIMEOUT (pid:17)",
                          "Worker (pid:18) was sent SIGKILL! Perhaps out of memory?"]) == set()
    # newest-first log views put the kill above the timeout: left as it reads
    assert arbiter_kills(["Worker (pid:17) was sent SIGKILL! Perhaps out of memory?",
                          "WORKER TIMEOUT (pid:17)"]) == set()
