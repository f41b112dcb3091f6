"""Round 15 (top16): how a memory kill is written, and how people say it was not one.

kubectl describe spaces its columns (`Exit Code:    137` under `Last State: Terminated`), and
the exit-137 pattern and the masking read only `exit code 137`-like text: a pod killed with 137
and no reason in the paste did not list the memory entry on its pattern. And people deny a
memory kill in the words the memory entry's patterns look for ("it never ran out of memory",
"not an OOM", "no OOM kill"): with the stated-cause rule (ranking.py) the denial put the memory
entry above the crash loop it had just ruled out (negation.py). The pastes are written for these
tests in kubectl's and people's formats; no evaluation paste is copied.
"""

from __future__ import annotations

import pytest

from bot.matching.masking import mask
from bot.matching.matcher import default_matcher
from bot.matching.negation import all_denied, denied

DESCRIBE_137 = (
    "our scoring pod restarts every few minutes, kubectl describe pod says:\n"
    "    State:          Running\n"
    "      Started:      Tue, 02 Jan 2024 09:14:00 +0000\n"
    "    Last State:     Terminated\n"
    "      Exit Code:    137\n"
    "      Started:      Tue, 02 Jan 2024 09:01:00 +0000\n"
    "      Finished:     Tue, 02 Jan 2024 09:13:58 +0000\n"
    "    Ready:          True\n"
    "    Restart Count:  9\n")


def _ids(paste: str) -> list[str]:
    return [m.entry_id for m in default_matcher().match(paste).matches]


def test_column_spaced_exit_code_keeps_its_code_when_masked() -> None:
    assert "137" in mask("      Exit Code:    137")
    assert "137" in mask("Exit Code: 137")


def test_a_describe_block_with_exit_137_lists_the_memory_entry_first() -> None:
    assert _ids(DESCRIBE_137)[:1] == ["vm-out-of-memory"]


def test_a_describe_block_with_reason_error_stays_a_failed_start() -> None:
    # Reason: Error beside 137 is a SIGKILL from elsewhere (a liveness probe's restart): the
    # crash loop is the answer, and the 137 is never the memory entry's pattern evidence
    paste = ("    State:          Waiting\n      Reason:       CrashLoopBackOff\n"
             "    Last State:     Terminated\n      Reason:       Error\n"
             "      Exit Code:    137\n    Ready:          False\n    Restart Count:  5\n")
    result = default_matcher().match(paste)
    assert result.matches[0].entry_id == "service-launch-fails"


DENIALS = [
    "The pod keeps restarting but it never ran out of memory, the limits are fine. "
    "CrashLoopBackOff: back-off 5m0s restarting failed container",
    "no OOM kill in the events; the scoring container exits with Back-off restarting failed "
    "container",
    "It is not OOMKilled, memory stays at 30%. Back-off restarting failed container scorer in "
    "pod scorer-7d9f8b6c5-x2kqz",
]


@pytest.mark.parametrize("paste", DENIALS)
def test_a_denied_memory_kill_does_not_outrank_the_crash_loop(paste: str) -> None:
    result = default_matcher().match(paste)
    assert result.matches[0].entry_id == "service-launch-fails"
    memory = [m for m in result.matches if m.entry_id == "vm-out-of-memory"]
    assert not memory or memory[0].tier == "unknown"


@pytest.mark.parametrize(("line", "words"), [
    ("it never ran out of memory", "out of memory"),
    ("this is not an OOM", "OOM"),
    ("no OOM kill in the events", "OOM kill"),
    ("the container wasn't even getting OOMKilled", "OOMKilled"),
    ('"OOMKilled": false,', "OOMKilled"),
    ("OOMKilled 는 아니에요", "OOMKilled"),
])
def test_denials(line: str, words: str) -> None:
    start = line.index(words)
    assert denied(line, start, start + len(words), runtime_denial=False)


@pytest.mark.parametrize(("line", "words"), [
    ("the pod was OOMKilled again", "OOMKilled"),
    ("I don't know why it is OOMKilled", "OOMKilled"),
    ("Not sure why, but the pod got OOMKilled", "OOMKilled"),
    ("can't figure out the OOMKilled", "OOMKilled"),
    ("the model server ran out of memory while loading", "out of memory"),
])
def test_statements_are_not_denials(line: str, words: str) -> None:
    start = line.index(words)
    assert not denied(line, start, start + len(words), runtime_denial=False)


def test_an_oom_said_and_denied_in_one_paste_still_counts() -> None:
    assert not all_denied(["no OOM in the first run", "then the pod was OOMKilled"], False)
    assert all_denied(["no OOM in the first run"], False)
