"""Find the error-bearing lines of a paste, so a 40,000-character log is judged on its errors.

A short paste is all signal: every line is kept. A long one is mostly noise (INFO lines, pip
output, health checks), so each line gets an "error-ness" score from cheap regular expressions
(error words and levels, Kubernetes event reasons, non-zero exit codes and kill signals,
HTTP 4xx/5xx, JSON error bodies, Python exception lines, the last frames of a traceback) and
the best lines are kept, in paste order.

All work is bounded whatever comes in: the text is cut to MAX_CHARS (head and tail, errors sit
at the end of logs), to MAX_LINES lines, and every line to MAX_LINE_CHARS before any regex runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 200_000
HEAD_CHARS = 20_000  # the top of a paste often holds the person's question
MAX_LINES = 4_000
MAX_LINE_CHARS = 600
MAX_KEY_LINES = 32
SHORT_PASTE_LINES = 24  # up to this many non-empty lines, every line is a key line

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]+")
_ESCAPED_NEWLINE = re.compile(r"\\r\\n|\\n")
_ERROR_WORDS = re.compile(
    r"(?i)\b(error|errors|exception|traceback|fail(?:ed|ure|s)?|fatal|critical|crash(?:ed)?|"
    r"killed|unhealthy|refused|denied|timed?\s*out|timeout|insufficient|unable|cannot|"
    r"can't|couldn't|could not|not found|no such|invalid|unavailable|bad gateway|"
    r"conflict|oom|out of memory|back-?off|aborted|terminated|panic|sigkill|sigterm)\b")
_LEVEL = re.compile(r"(?i)(^|[\s\[|])(error|critical|fatal|severe|exception)([\s\]|:]|$)")
_K8S_REASON = re.compile(
    r"\b(CrashLoopBackOff|OOMKilled|FailedScheduling|BackOff|Evicted|Unhealthy|"
    r"ImagePullBackOff|ErrImagePull|FailedMount|FailedCreate|CreateContainerError|"
    r"RunContainerError|ContainerCannotRun|DeadlineExceeded|NodeNotReady|Preempting|"
    r"Insufficient|Pending|Killing|FailedAttachVolume|FailedPostStartHook)\b")
_HTTP_ERROR = re.compile(r"(?<![\w.:/,-])[45]\d\d(?![\w.:/,-])")
# A line its program logged at INFO/DEBUG is rarely the error, whatever words it contains
# ("Invoking user's init function", "Users's init has completed successfully").
_BENIGN_LEVEL = re.compile(r"(^|[\s\[|])(INFO|DEBUG|TRACE|I\d{4})([\s\]|:]|$)")
_EXIT_CODE = re.compile(r"(?i)\bexit(?:ed)?[\s_]*(?:with\s+)?(?:code|status)\W{0,3}[1-9]"
                        r"|\bsignal\W{0,3}(?:9|15|SIG[A-Z]+)\b|\bSIGKILL\b|\bSIGSEGV\b")
_JSON_ERROR = re.compile(r"(?i)\"(code|message|error|errorcode|reason|details?)\"\s*:")
_EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|"
                             r"Interrupt|Failure|Fault|NotFound|Killed)\b\s*(:|$)")
_TRACEBACK_START = re.compile(r"\bTraceback \(most recent call last\)")
_FRAME = re.compile(r"^\s*File \"[^\"]*\", line \d+, in \S+")
_QUESTION = re.compile(r"[?？]|[\uac00-\ud7a3]")
# A person talking about the error rather than the error itself: "I deployed and it failed, any
# idea?", "Hi all, my endpoint fails", "배포 실패했습니다 ㅠ 도와주세요".
_CHAT = re.compile(r"(?i)[?？]|[\uac00-\ud7a3]|^(hi|hello|hey|thanks|please|any ?(one|body|idea)|"
                   r"i |i'm |i've |my |we |we're |our |can (someone|anyone|you)|does anyone)")
CHAT_MAX_SIGNAL = 2.0  # a line with an exception name, event reason or exit code is no chat
# What a log collector puts in front of a line (pipeline/container timestamps, a logger's
# `2021-06-30 03:05:58,100 | root | ERROR |` or `2023-09-29 19:00:24,282 E [65] azmlinfsrv -`
# columns). The line's own text starts after it: a traceback frame or an exception line that
# carries such a prefix is still a frame or an exception line.
_TIMESTAMP_PREFIX = re.compile(
    r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s*)+")
_LOGGER_COLUMNS = re.compile(
    r"^(?:\|?\s*[\w.\[\]-]+\s*\|\s*(?:INFO|DEBUG|WARNING|WARN|ERROR|CRITICAL)\s*\|"
    r"|[IWEDC]\s+\[\d+\]\s+[\w.-]+\s+-)\s?")


@dataclass(frozen=True)
class Extracted:
    key_lines: tuple[str, ...]  # error-bearing lines, paste order, unmasked, each bounded
    error_lines: tuple[str, ...]  # those of them that carry an error signal (fingerprint input)
    signals: tuple[float, ...] = ()  # error-ness of each key line (0 = plain text)
    causes: tuple[bool, ...] = ()  # the key lines that name an exception (`KeyError: 'data'`)


def unread_characters(text: object) -> int:
    """How many characters in the middle of `text` normalise() leaves out (0 for most pastes)."""
    return max(0, len(text) - MAX_CHARS) if isinstance(text, str) else 0


def normalise(text: object) -> str:
    """Any input to bounded, printable text with real newlines."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_CHARS:
        text = text[:HEAD_CHARS] + "\n" + text[-(MAX_CHARS - HEAD_CHARS):]
    # Logs fetched through APIs arrive JSON-escaped: "Traceback ...\n  File ..." on one line.
    text = _ESCAPED_NEWLINE.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub(" ", text)


def split_lines(text: str) -> list[str]:
    """Non-empty lines, at most MAX_LINES (the last ones), each cut to MAX_LINE_CHARS."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > MAX_LINES:
        lines = lines[:20] + lines[-(MAX_LINES - 20):]
    return [_bounded(line) for line in lines]


def _bounded(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    # Keep the part around the first error word rather than an arbitrary head.
    found = _ERROR_WORDS.search(line)  # linear, and the text is capped at MAX_CHARS
    start = max(0, found.start() - MAX_LINE_CHARS // 4) if found else 0
    return line[start: start + MAX_LINE_CHARS]


def line_body(line: str) -> str:
    """The line without the timestamp and logger columns a log collector put in front of it."""
    body = _TIMESTAMP_PREFIX.sub("", line, count=1)
    if body is not line:
        body = _LOGGER_COLUMNS.sub("", body, count=1)
    return body


def chat_line(line: str, signal: float) -> bool:
    """True for a person's own words around an error (never the evidence or the summary)."""
    return signal < CHAT_MAX_SIGNAL and bool(_CHAT.search(line_body(line)[:200]))


def line_signal(line: str) -> float:
    """How strongly one line looks like it carries an error (0 = not at all)."""
    level_zone = line[:80]
    line = line_body(line)
    # What names an error outright: an exception line, a Kubernetes event reason.
    strong = (3.0 if _EXCEPTION_LINE.match(line) else 0.0) + (
        2.5 if _K8S_REASON.search(line) else 0.0) + (2.0 if _EXIT_CODE.search(line) else 0.0)
    if _BENIGN_LEVEL.search(level_zone):
        return strong  # an INFO/DEBUG line's error words are not the error
    weak = 1.5 if _LEVEL.search(level_zone) else 0.0
    weak += 1.5 if _JSON_ERROR.search(line) else 0.0
    weak += 1.0 if _HTTP_ERROR.search(line) else 0.0
    weak += min(3, len(_ERROR_WORDS.findall(line))) * 1.0
    return strong + weak


def extract(text: object) -> Extracted:
    """The key lines of a paste. Never raises; bounded work on any input."""
    lines = split_lines(normalise(text))
    if not lines:
        return Extracted((), ())
    signals = [line_signal(line) for line in lines]
    _boost_tracebacks(lines, signals)
    if len(lines) <= SHORT_PASTE_LINES:
        chosen = list(range(len(lines)))
    else:
        chosen = _best_lines(lines, signals)
    key_lines = tuple(lines[index] for index in chosen)
    error_lines = tuple(lines[index] for index in chosen if signals[index] > 0)
    return Extracted(key_lines, error_lines, tuple(signals[index] for index in chosen),
                     tuple(bool(_EXCEPTION_LINE.match(line_body(lines[index])))
                           for index in chosen))


def _boost_tracebacks(lines: list[str], signals: list[float]) -> None:
    """The last two frames of a traceback and its exception line say where and what failed."""
    last_frames: list[int] = []
    for index, raw in enumerate(lines):
        line = line_body(raw)
        if _TRACEBACK_START.search(line):
            last_frames = []
        elif _FRAME.match(line):
            last_frames.append(index)
        elif last_frames and _EXCEPTION_LINE.match(line):
            for frame in last_frames[-2:]:
                signals[frame] += 2.0
            # `in init` / `in run` frames tell a start-up crash from a failing request.
            for frame in last_frames:
                if re.search(r", in (init|run)\b", line_body(lines[frame])):
                    signals[frame] += 2.0
            signals[index] += 2.0
            last_frames = []


def _best_lines(lines: list[str], signals: list[float]) -> list[int]:
    # The person's own words, if they wrote any above the log, are kept too.
    head = [index for index in range(min(3, len(lines))) if _QUESTION.search(lines[index])]
    ranked = sorted((index for index in range(len(lines)) if signals[index] > 0),
                    key=lambda index: (signals[index], index), reverse=True)
    chosen: list[int] = []
    seen: set[str] = set()
    for index in ranked:
        # A log repeats its error for every retry: one copy is enough.
        shape = re.sub(r"\d+", "0", lines[index][:200])
        if shape in seen:
            continue
        seen.add(shape)
        chosen.append(index)
        if len(chosen) >= MAX_KEY_LINES - len(head):
            break
    return sorted(set(chosen) | set(head))
