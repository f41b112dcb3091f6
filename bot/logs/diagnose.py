"""Read a fetched log for the team: which known problems it shows, and where. Pure, no I/O.

The log is redacted FIRST; everything after (matching, excerpts, the uploaded file) sees only
the redacted text. A log is not one paste: it holds several episodes (a traceback from init(),
then the worker failing to boot, then a restart ...), and one problem per episode. So the log
is cut into error episodes (error lines and the lines between them when close together, plus a
little context) and the matcher answers each episode on its own; a whole-log match catches what
spans episodes. Findings are listed causes first (symptom and procedure entries last, by their
KB `kind`), then in the order the log shows them (by the first line of their evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.knowledge.model import KIND_CAUSE
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.result import Match, MatchResult
from bot.redaction import sanitize
from bot.textcut import shorten

ERROR_LINE = re.compile(
    r"Traceback \(most recent call last\)|\b(?:\w*(?:error|exception)|fail(?:ed|ure|s)?|fatal|"
    r"critical|killed|oom|out of memory|crashloopbackoff|refused|denied|not found|no such file|"
    r"errno|timed? ?out|unhealthy|sigkill|exit code|status code [45]\d\d)\b", re.IGNORECASE)
CONTEXT_LINES = 2
EPISODE_GAP = 4  # error lines at most this far apart belong to one episode (traceback frames)
EPISODE_LINES = 60
MAX_EPISODES = 12  # the last ones: the end of a log is where a crash is
MATCHER_TEXT_LIMIT = 20_000
EXCERPT_LINES = 12
EXCERPT_CHARS = 2_500
LINE_CHARS = 300
LINES_PER_FINDING = 3
# Over the whole log the matcher, built to give one answer to a paste, may abstain between two
# problems that are both there; an entry scoring this high is reported all the same.
FINDING_SCORE = 85.0
CANDIDATE_SCORE = 70.0


def names_a_cause(matcher: Matcher, entry_id: str) -> bool:
    """False for entries that name a symptom or give general advice (their KB `kind`).

    When a log also shows a cause (init() could not find the model), the cause is listed first:
    it is the fix.
    """
    entry = matcher.kb.get(entry_id)
    return entry is None or entry.kind == KIND_CAUSE


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
    return shorten(line.rstrip(), LINE_CHARS)  # the excerpt a person reads: between words


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


TRACEBACK_START = re.compile(r"Traceback \(most recent call last\)")
# A new log record (timestamped, or a bracketed level) ends a traceback.
RECORD_START = re.compile(
    r"^\s{0,2}(?:\[?\d{4}-\d{2}-\d{2}|\[?(?:INFO|WARN|WARNING|ERROR|DEBUG)\b)")


def episode_marks(lines: list[str]) -> list[tuple[int, bool]]:
    """(line number, starts a new episode) for every error line and every traceback line.

    A Python traceback belongs to the error line just before it ("init function failed") and
    keeps its frames (they carry the cause, e.g. `Model.get_model_path(...)`); whatever comes
    after it (the worker exiting, a restart) is a new episode."""
    marks: list[tuple[int, bool]] = []
    in_traceback = False
    split_next = False
    for index, line in enumerate(lines):
        if TRACEBACK_START.search(line):
            in_traceback = True
        elif in_traceback and (RECORD_START.match(line) or not line.strip()):
            in_traceback = False
            split_next = True
        if in_traceback or ERROR_LINE.search(line):
            marks.append((index, split_next))
            split_next = False
    return marks


def episodes(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line ranges of the error episodes, the last MAX_EPISODES of them."""
    found: list[list[int]] = []
    for index, new in episode_marks(lines):
        if found and not new and index - found[-1][1] <= EPISODE_GAP:
            found[-1][1] = index
        else:
            found.append([index, index])
    ranges = []
    for first, last in found[-MAX_EPISODES:]:
        start = max(0, first - CONTEXT_LINES)
        end = min(len(lines), last + CONTEXT_LINES + 1)
        ranges.append((max(start, end - EPISODE_LINES), end))
    return ranges


@dataclass
class _Seen:
    match: Match
    first_line: int
    lines: tuple[str, ...]
    text: str
    result: MatchResult


def diagnose(log_text: str, *, lang: str = "en", matcher: Matcher | None = None) -> Diagnosis:
    redacted = sanitize(log_text)
    lines = redacted.splitlines()
    matcher = matcher or default_matcher()
    matched_text = text_for_matcher(lines)
    whole = matcher.match(matched_text, top=3, lang=lang)

    seen: dict[str, _Seen] = {}

    def consider(match: Match, start: int, chunk: list[str], text: str,
                 result: MatchResult) -> None:
        shown = lines_showing(match.evidence or match.signature, chunk)
        # Where the problem shows: the first line of its evidence, else its episode's start.
        where = next((start + offset for offset, line in enumerate(chunk)
                      if shown and _clip(line) == shown[0]), start)
        previous = seen.get(match.entry_id)
        if previous is None or match.score > previous.match.score:
            seen[match.entry_id] = _Seen(match, where, shown, text, result)

    for start, end in episodes(lines):
        chunk = lines[start:end]
        text = "\n".join(chunk)
        result = matcher.match(text, top=3, lang=lang)
        for match in result.matches:
            # The answer, or, where the matcher abstains between close entries, each of them.
            if match.confident or (not result.answer and match.score >= FINDING_SCORE):
                consider(match, start, chunk, text, result)
    for match in whole.matches:
        if (match.confident or match.score >= FINDING_SCORE) and match.entry_id not in seen:
            consider(match, 0, lines, matched_text, whole)

    # Causes before symptoms, then top to bottom by the line that shows each problem: in a
    # cascade the root cause shows first.
    ordered = sorted(seen.values(), key=lambda item: (
        not names_a_cause(matcher, item.match.entry_id), item.first_line, -item.match.score))
    findings = tuple(Finding(item.match.entry_id, item.match.title, item.match.score, True,
                             item.lines) for item in ordered)
    candidates = tuple(
        Finding(m.entry_id, m.title, m.score, False,
                lines_showing(m.evidence or m.signature, lines))
        for m in whole.matches if m.entry_id not in seen and m.score >= CANDIDATE_SCORE)
    if ordered:
        # History records the strongest finding, with the episode that shows it: repeated
        # fetches of the same failure then group into one incident by its fingerprint.
        best = ordered[0]
        result = best.result
        if result.answer is None or result.answer.entry_id != best.match.entry_id:
            result = replace(result, matches=(replace(best.match, confident=True),))
        matched_text, whole = best.text, result
    return Diagnosis(redacted_log=redacted, findings=findings, candidates=candidates,
                     excerpt=error_excerpt(lines), result=whole, matched_text=matched_text)
