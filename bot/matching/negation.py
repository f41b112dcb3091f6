"""A memory kill the paste denies is no evidence of one.

People write what a problem is *not* as often as what it is: "it never ran out of memory",
"this is not an OOM", "no OOM kill in the events", "OOMKilled 는 아니에요". The memory entry's
patterns (`OOM ?Kill`, "ran out of memory", exit code 137) read those words all the same, and a
stated cause goes above the crash loop it explains (ranking.py), so a denial ranked the memory
entry first. The container runtime denies it too: Docker's `"OOMKilled": false`, and
Kubernetes' `Reason: Error` beside exit code 137 (the kubelet writes `OOMKilled` when memory
killed the container; `Error` with 137 is a SIGKILL from elsewhere, such as a liveness probe's
restart) when no `Reason: OOMKilled` is in the paste.

Only a pattern match that names the kill or the memory is read this way (scoring.py): error
messages carry their own negations ("Could not find base path", "did not respond in given
time"), and a "not" before them is part of the error, not a denial.
"""

from __future__ import annotations

import re

# The words of a memory kill inside a pattern's match: where the denial would sit before.
_KILL_WORDS = re.compile(r"(?i)OOM|out of (host |system |cpu |container )?(memory|RAM)\b|"
                         r"\b137\b|메모리")
# A negation right before those words, in the same clause: a negator, then at most four of the
# small words people put between it and the kill ("wasn't even getting OOMKilled", "not due to
# an OOM", "never ran out of memory", "no sign of OOMKilled"). Any other word ("I don't know why
# it is OOMKilled", "can't figure out the OOMKilled") or a clause mark (`,;:.!?`) ends it.
_FILLER = (r"(?:an?|any|the|it|its|been|being|be|get|got|gets|getting|was|were|is|are|ever|even|"
           r"really|actually|seeing|see|saw|find|found|hit|hitting|ran|run|runs|running|out|of|"
           r"due|to|caused|by|because|from|sign|signs|evidence|real|actual|related|just|always|"
           r"longer|more|exit|code|kill|killed|killing|OOM|memory)")
_DENIED_BEFORE = re.compile(
    r"(?i)(?:\b(?:no|not|never|without|nor)|n't|n’t)(?:\s+" + _FILLER + r"){0,4}\s*$")
# After the words: Docker's `"OOMKilled": false`; Korean puts the negation last ("OOM은 아니에요",
# "메모리 부족은 아닌 것 같아요", "OOMKilled 는 없었어요").
_DENIED_AFTER = re.compile(
    r"(?i)^(?:\W{0,3}\s*[:=]\s*\W?false\b|[^\n.,;]{0,8}?(?:은|는|이|가|도)?\s*(?:아니|아님|아닌|아닙|없))")
# Kubernetes' reason beside the exit code (features.death_not_oom reads the same words).
OOM_DENIED = re.compile(r"(?i)\bOOMKilled\W{0,3}\s*[:=]\s*\W?false\b")
KILL_REASON_ERROR = re.compile(
    r"(?is)\b137\b.{0,200}?\breason\W{0,3}\s*[:=]?\s*\[?\W?Error\b"
    r"|\breason\W{0,3}\s*[:=]?\s*\[?\W?Error\b.{0,200}?\b137\b")
REASON_OOM = re.compile(r"(?i)\breason\W{0,3}\s*[:=]?\s*\[?\W?OOMKilled\b")
_CODE_137 = re.compile(r"\b137\b")


def names_a_kill(matched: str) -> bool:
    """The matched text names a memory kill (OOM, out of memory, exit code 137)."""
    return bool(_KILL_WORDS.search(matched))


def runtime_denies_137(text: str) -> bool:
    """Docker's `"OOMKilled": false`, or Kubernetes' `Reason: Error` beside exit code 137 with
    no `Reason: OOMKilled` anywhere (features.death_not_oom reads the paste the same way)."""
    return bool(OOM_DENIED.search(text)) or (
        bool(KILL_REASON_ERROR.search(text)) and not REASON_OOM.search(text))


def denied(line: str, start: int, end: int, runtime_denial: bool) -> bool:
    """The kill words matched at line[start:end] are denied where they stand.

    `runtime_denial`: the paste's container runtime says the 137 was not a memory kill
    (runtime_denies_137), which denies a bare exit code 137, never the word OOM.
    """
    matched = line[start:end]
    found = _KILL_WORDS.search(matched)
    if found is None:
        return False
    if runtime_denial and _CODE_137.search(matched) and "oom" not in matched.lower():
        return True
    before = line[max(0, start + found.start() - 80): start + found.start()]
    if _DENIED_BEFORE.search(before):
        return True
    return bool(_DENIED_AFTER.match(line[end: end + 24]))


def all_denied(lines: tuple[str, ...] | list[str], runtime_denial: bool) -> bool:
    """Every memory kill these lines name is denied (and they name at least one).

    For a signature that names a kill ("the scoring pod ran out of memory again") found on
    lines that say the opposite ("it never ran out of memory").
    """
    seen = False
    for line in lines:
        for found in _KILL_WORDS.finditer(line):
            seen = True
            if not denied(line, found.start(), found.end(), runtime_denial):
                return False
    return seen
