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

from bot.matching.error_lines import (
    ERROR_WORDS,
    EXCEPTION_LINE,
    is_error_line,
    line_body,
    line_signal,
)

MAX_CHARS = 200_000
HEAD_CHARS = 20_000  # the top of a paste often holds the person's question
MAX_LINES = 4_000
MAX_LINE_CHARS = 600
MAX_KEY_LINES = 32
SHORT_PASTE_LINES = 24  # up to this many non-empty lines, every line is a key line

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]+")
_ESCAPED_NEWLINE = re.compile(r"\\r\\n|\\n")
_TRACEBACK_START = re.compile(r"\bTraceback \(most recent call last\)")
_FRAME = re.compile(r"^\s*File \"[^\"]*\", line \d+, in \S+")
_QUESTION = re.compile(r"[?？]|[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Extracted:
    key_lines: tuple[str, ...]  # error-bearing lines, paste order, unmasked, each bounded
    error_lines: tuple[str, ...]  # those that are error lines, not chat (fingerprint input)
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
    found = ERROR_WORDS.search(line)  # linear, and the text is capped at MAX_CHARS
    start = max(0, found.start() - MAX_LINE_CHARS // 4) if found else 0
    return line[start: start + MAX_LINE_CHARS]








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
    error_lines = tuple(lines[index] for index in chosen
                        if is_error_line(lines[index], signals[index]))
    return Extracted(key_lines, error_lines, tuple(signals[index] for index in chosen),
                     tuple(bool(EXCEPTION_LINE.match(line_body(lines[index])))
                           for index in chosen))


def has_error_line(text: object) -> bool:
    """The paste holds at least one error line (watch mode's test before matching anything)."""
    return bool(extract(text).error_lines)


def strongest_line(text: object) -> str | None:
    """The key line with the strongest error signal (the first of equals: an exception names
    the cause before the lines it drags along); None when extraction kept no line. What the
    digest's sample of an unknown error quotes."""
    return _strongest(extract(text), errors_only=False)


def strongest_error_line(text: object) -> str | None:
    """As strongest_line, among the paste's error lines only (error_lines.is_error_line): None
    when the paste is only a person's own words ("모델 배포가 계속 실패하는데 왜 그런지
    모르겠어요"). What a draft's signature quotes: a signature is error text the matcher looks
    for, and a sentence of someone's would match other people's chatter."""
    return _strongest(extract(text), errors_only=True)


def _strongest(extracted: Extracted, *, errors_only: bool) -> str | None:
    signals = extracted.signals or (0.0,) * len(extracted.key_lines)
    wanted = set(extracted.error_lines) if errors_only else None
    candidates = [index for index, line in enumerate(extracted.key_lines)
                  if wanted is None or line in wanted]
    if not candidates:
        return None
    best = max(candidates, key=lambda index: (signals[index], -index))
    return extracted.key_lines[best]


def _boost_tracebacks(lines: list[str], signals: list[float]) -> None:
    """The last two frames of a traceback and its exception line say where and what failed.

    A traceback cut before its exception line (a paste trimmed by hand, a log line interleaved
    by another worker) still says where it failed: its last frames get a smaller boost.

    Every boost is of a frame or follows one, and a frame's line holds `File "` (line_body
    only cuts a prefix off): a log without one, most long logs, skips the three regexes per
    line (about 1 ms of a 40,000-character log)."""
    if not any('File "' in line for line in lines):
        return
    last_frames: list[int] = []
    for index, raw in enumerate(lines):
        line = line_body(raw)
        if _TRACEBACK_START.search(line):
            _boost_frames(lines, signals, last_frames, CUT_FRAME_BOOST)
            last_frames = []
        elif _FRAME.match(line):
            last_frames.append(index)
        elif last_frames and EXCEPTION_LINE.match(line):
            _boost_frames(lines, signals, last_frames, FRAME_BOOST)
            signals[index] += FRAME_BOOST
            last_frames = []
    _boost_frames(lines, signals, last_frames, CUT_FRAME_BOOST)


FRAME_BOOST = 2.0
CUT_FRAME_BOOST = 1.0  # half a whole traceback's: no exception line confirms these frames
# `in init` / `in run` frames tell a start-up crash from a failing request.
_ENTRY_FRAME = re.compile(r", in (init|run)\b")


def _boost_frames(lines: list[str], signals: list[float], frames: list[int],
                  amount: float) -> None:
    """A traceback's last two frames, and every init()/run() frame of it, gain `amount`."""
    for frame in frames[-2:]:
        signals[frame] += amount
    for frame in frames:
        if _ENTRY_FRAME.search(line_body(lines[frame])):
            signals[frame] += amount


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
