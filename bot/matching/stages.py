"""Which stages of a deployment a paste shows were passed, and where it shows it.

A deployment goes through stages (bot/knowledge/model.STAGES: build, schedule, start, serve).
Some log lines say a stage is over, whatever went wrong next: the kubelet pulled the image or
found it on the node (the build worked), the pod was assigned to a node or its container was
created (scheduling worked), the scoring server finished init() (the start worked). An entry of
a stage the paste shows was passed *after* that entry's own evidence is history, not the
answer: a `FailedScheduling` warning followed by `Successfully assigned ... to node` is a wait
that ended, and the ImportError in the entry script further down is why the pod crashed.

The markers are the platforms' own words, never a person's ("the image builds fine"), and a
marker of a later stage implies the earlier ones (a created container had an image).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.knowledge.model import STAGES

# stage -> the lines that say it is over. Only output of the platforms (kubelet events, Azure ML
# v1/v2 deployment progress, the inference server), so a description cannot pass a stage.
_PASSED: dict[str, re.Pattern[str]] = {
    "build": re.compile(
        r"(?i)\bSuccessfully pulled image\b|\bContainer image \S+ already present on machine"
        r"|\bUse the existing image\b|\bUserContainerImagePull:\s*Succeeded\b"),
    "schedule": re.compile(
        r"(?i)\bSuccessfully assigned \S+ to \S+|\b(Created|Started) container \S+"
        r"|\bSystemSetup:\s*Succeeded\b"),
    "start": re.compile(
        r"(?i)\bUsers?'s init has completed successfully\b"
        r"|\bWorker with pid \d+ ready for serving traffic\b"),
}

Position = tuple[int, int]  # (line index in the prepared paste, character offset in that line)

# The scoring servers (azmlinfsrv, the v1 server, the R server) say when they call init(); the
# "start" marker above says it returned. A timeout after the call with no return in between
# is a start that never finished: the request (or the platform) gave up on a container whose
# init() still runs, so the answer is the start-up failure, not a slow scoring request.
_INIT_CALLED = re.compile(r"(?i)\bInvoking user'?s init function\b")
_TIMED_OUT = re.compile(
    r"(?i)\btimed out\b|\btime-?out was reached\b|\bWORKER TIMEOUT\b|\bGateway Time-?out\b"
    r"|\bDeadline ?Exceeded\b|\bTimedOut\b")


def passed_stages(lines: Sequence[str]) -> dict[str, Position]:
    """stage -> where the paste last shows it was passed (a later stage's marker counts too)."""
    last: dict[str, Position] = {}
    for number, line in enumerate(lines):
        for stage, marker in _PASSED.items():
            for found in marker.finditer(line):
                last[stage] = max(last.get(stage, (-1, -1)), (number, found.start()))
    passed: dict[str, Position] = {}
    latest: Position | None = None
    for stage in reversed(STAGES):  # serve, start, schedule, build
        if stage in last:
            latest = max(latest or last[stage], last[stage])
        if latest is not None:
            passed[stage] = latest
    return passed


def passed_after(stage: str, evidence_at: Position, passed: dict[str, Position]) -> bool:
    """True when the paste shows `stage` was passed after the evidence at `evidence_at`."""
    marker = passed.get(stage) if stage else None
    return marker is not None and marker > evidence_at


def _last_init_call(text: str) -> int | None:
    """Where the last "Invoking user's init function" ends; a plain substring search first, so
    a 40,000-character log without it costs one pass."""
    lowered = text.lower()
    end = len(lowered)
    while (at := lowered.rfind("init function", 0, end)) >= 0:
        found = _INIT_CALLED.search(text, max(0, at - 20), at + len("init function") + 1)
        if found:
            return found.end()
        end = at
    return None


def unfinished_start(text: str) -> bool:
    """True when the paste shows init() called, never returning, and then a timeout.

    Read on the whole paste, not its key lines: "Invoking user's init function" is an INFO line
    that a long log's extraction leaves out, and its absence is the point."""
    after = _last_init_call(text)
    if after is None:
        return False
    return (_PASSED["start"].search(text, after) is None
            and _TIMED_OUT.search(text, after) is not None)


def unfinished_start_line(text: object, lines: Sequence[str]) -> int | None:
    """For a paste whose start never finished (unfinished_start), the last key line that shows
    the timeout, or -1 when extraction kept none; None for any other paste."""
    if not isinstance(text, str) or not unfinished_start(text):
        return None
    return max((number for number, line in enumerate(lines) if _TIMED_OUT.search(line)),
               default=-1)
