"""Read a fetched log for the team: which known problems it shows, and where. Pure, no I/O.

The log is redacted FIRST; everything after (matching, excerpts, the uploaded file) sees only
the redacted text. The matcher gets the error-bearing part of the log (error lines with a little
context, or the tail when nothing looks like an error) rather than thousands of routine lines:
that keeps it fast and keeps healthy noise from outvoting the one line that matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.matching.matcher import Matcher, default_matcher
from bot.matching.result import MatchResult
from bot.redaction import redact

ERROR_LINE = re.compile(
    r"Traceback \(most recent call last\)|\b(?:\w*(?:error|exception)|fail(?:ed|ure|s)?|fatal|"
    r"critical|killed|oom|out of memory|crashloopbackoff|refused|denied|not found|no such file|"
    r"errno|timed? ?out|unhealthy|sigkill|exit code|status code [45]\d\d)\b", re.IGNORECASE)
CONTEXT_LINES = 2
MATCHER_TEXT_LIMIT = 20_000
EXCERPT_LINES = 12
EXCERPT_CHARS = 2_500
LINE_CHARS = 300
LINES_PER_FINDING = 3
# A log often shows several known problems at once (init() fails, so the worker fails to boot),
# where the matcher, built to give one answer to a paste, abstains between close candidates.
# For a log we report every entry that scores this high, strongest first.
FINDING_SCORE = 85.0
CANDIDATE_SCORE = 70.0


@dataclass(frozen=True)
class Finding:
    entry_id: str
    title: str
    score: float
    confident: bool
    lines: tuple[str, ...]  # the log lines that show it (redacted)


@dataclass(frozen=True)
class Diagnosis:
    redacted_log: str
    findings: tuple[Finding, ...]  # the known problems the log shows (confident matches)
    candidates: tuple[Finding, ...]  # weaker, "possibly related" matches
    excerpt: tuple[str, ...]  # the error lines, short
    result: MatchResult  # the matcher's answer over matched_text; the best finding confident
    matched_text: str  # what the matcher read (redacted)

    @property
    def best(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def _clip(line: str) -> str:
    line = line.rstrip()
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"


def error_line_numbers(lines: list[str]) -> list[int]:
    return [index for index, line in enumerate(lines) if ERROR_LINE.search(line)]


def text_for_matcher(lines: list[str]) -> str:
    wanted = error_line_numbers(lines)
    if not wanted:
        return "\n".join(lines[-100:])[-MATCHER_TEXT_LIMIT:]
    keep: set[int] = set()
    for index in wanted:
        keep.update(range(max(0, index - CONTEXT_LINES),
                          min(len(lines), index + CONTEXT_LINES + 1)))
    text = "\n".join(lines[index] for index in sorted(keep))
    # The end of a log is where a crash is: keep the tail when it is too long.
    return text[-MATCHER_TEXT_LIMIT:]


def error_excerpt(lines: list[str]) -> tuple[str, ...]:
    """The last error lines, capped in count and size: the short version for the message."""
    picked: list[str] = []
    total = 0
    for index in reversed(error_line_numbers(lines)):
        line = _clip(lines[index])
        if not line.strip() or line in picked:
            continue
        if total + len(line) > EXCERPT_CHARS or len(picked) >= EXCERPT_LINES:
            break
        picked.append(line)
        total += len(line) + 1
    return tuple(reversed(picked))


def lines_showing(evidence: str, lines: list[str]) -> tuple[str, ...]:
    """The log lines that contain the matcher's evidence (or come closest to it)."""
    needle = evidence.strip().lower()
    if not needle:
        return ()
    exact = [_clip(line) for line in lines if needle in line.lower()]
    if exact:
        return tuple(dict.fromkeys(exact))[:LINES_PER_FINDING]
    scored = sorted(((fuzz.partial_ratio(needle, line.lower()), index)
                     for index, line in enumerate(lines) if line.strip()), reverse=True)
    close = [_clip(lines[index]) for score, index in scored[:LINES_PER_FINDING] if score >= 80]
    return tuple(dict.fromkeys(close))


def diagnose(log_text: str, *, lang: str = "en", matcher: Matcher | None = None) -> Diagnosis:
    redacted = redact(log_text)
    lines = redacted.splitlines()
    matched_text = text_for_matcher(lines)
    result = (matcher or default_matcher()).match(matched_text, top=3, lang=lang)
    findings: list[Finding] = []
    candidates: list[Finding] = []
    for match in result.matches:
        finding = Finding(match.entry_id, match.title, match.score, match.confident,
                          lines_showing(match.evidence or match.signature, lines))
        if match.confident or match.score >= FINDING_SCORE:
            findings.append(finding)
        elif match.score >= CANDIDATE_SCORE:
            candidates.append(finding)
    if findings and not result.answer:
        # Record the incident under the strongest finding, as the message presents it.
        first = replace(result.matches[0], confident=True)
        result = replace(result, matches=(first, *result.matches[1:]))
    return Diagnosis(redacted_log=redacted, findings=tuple(findings),
                     candidates=tuple(candidates), excerpt=error_excerpt(lines),
                     result=result, matched_text=matched_text)
