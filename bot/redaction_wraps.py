"""Secrets hard-wrapped across lines: put the line back together before the patterns look.

A terminal, a log shipper writing fixed-width records, `fold`, a kubeconfig viewer or a chat
client breaks a long line into pieces. Every pattern of `bot.redaction` works on one line, so
a secret cut by such a break was redacted up to the break and its other part was kept (or,
cut inside its name, `AccountK` + `ey=`, not recognised at all).

A line break is taken for a wrap when it sits inside a word (no space on either side) and
either the line before has a width terminals, loggers and base64 encoders wrap at, or the
next line is (or starts with) a run of token characters that looks encoded: letters of both
cases and a digit, or base64 padding. Such a break is undone only where a secret crosses it:
the two sides redacted together hide more than the two redacted apart. So an ordinary log stays
line by line; a line that starts like a new log record (a timestamp, a level, klog's `E0630`)
is never glued to the line before, so the line after a secret survives.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

# Terminal widths (80, 100, 120, 132, 160, 200), base64 line lengths (PEM 64, MIME 76) and
# the fixed record widths log collectors cut at (128, 256).
WRAP_WIDTHS = frozenset({64, 72, 76, 80, 100, 120, 128, 132, 160, 200, 256})
_TOKEN = r"[A-Za-z0-9+/=_.%~-]"
_TAIL = re.compile(_TOKEN + r"{16,}$")  # a long token run up to the end of the line
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_.%~-")
_MARKER = re.compile(r"\[REDACTED:[\w-]+\]")
# A line of its own that starts `NAME=value` or `name: value` begins a new pair, it does not
# continue the value before it (base64 has digits among its letters, or `=` only at the end).
_NAMED_VALUE = re.compile(r"[ \t]*[A-Za-z_][A-Za-z_.-]*[=:][^\s=;&]")
# The first word of a line and what follows it: a wrapped secret goes on to the first space.
_FIRST_WORD = re.compile(r"[ \t]*\S+")
# The next line is all token (a kubeconfig viewer may indent it) or starts with a token run
# that ends where a token ends.
_WHOLE = re.compile(r"[ \t]*(?P<run>" + _TOKEN + r"{8,})[ \t]*$")
_HEAD = re.compile(r"(?P<run>" + _TOKEN + r"{16,})(?=[\s&;\"',)\]}]|$)")
# What starts a new record: a date or time, a level word, klog's `E0630 `, a bracket, `at `.
_NEW_RECORD = re.compile(
    r"(?:\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|\[|\{|<|[IWEF]\d{4}[ \t]"
    r"|(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL|Traceback)\b)")


def _looks_encoded(run: str) -> bool:
    """Base64 and friends: both cases and a digit, or padding at the end."""
    return run.endswith("=") or (any(c.isdigit() for c in run) and any(c.islower() for c in run)
                                 and any(c.isupper() for c in run))


def _continuation(line: str, following: str) -> str | None:
    """What of `following` to append to `line` if the break between them may be a wrap.

    Runs for every line of every paste: the cheap tests first, and each pattern anchored."""
    if not line or not following or line[-1].isspace():
        return None
    if len(line) in WRAP_WIDTHS:
        return None if following[0].isspace() or _NEW_RECORD.match(following) else following
    if line[-1] not in _TOKEN_CHARS or _NAMED_VALUE.match(following):
        return None
    whole = _WHOLE.match(following)
    if whole and _looks_encoded(whole.group("run")):
        return None if _NEW_RECORD.match(following) else whole.group("run")
    head = _HEAD.match(following)
    if (head and _looks_encoded(head.group("run")) and _TAIL.search(line)
            and not _NEW_RECORD.match(following)):
        return following
    return None


# The longest line joining builds. Deciding a join redacts the line joined so far, so a paste
# of lines that all join (`password=…` lines exactly 80 wide, one after the other) cost the
# square of its length: 5 s for 40,000 characters. No secret a paste holds is longer (a 4096-bit
# key, base64-encoded in a kubeconfig, is about 4,400 characters).
MAX_JOINED = 8192


def _hidden(redacted: str) -> int:
    """How little of a text its redaction kept: the fewer characters outside markers, the more
    was found."""
    return -len(_MARKER.sub("", redacted))


def may_be_wrapped(text: str) -> bool:
    return "\n" in text


def unwrap_secrets(text: str, redact_lines: Callable[[str], str]) -> str:
    """`text` with each wrap that cuts through a secret undone (the pieces joined).

    `redact_lines` is redaction without this pass; a break is undone when redacting across it
    hides more than redacting each side."""
    lines = text.split("\n")
    out: list[str] = []
    current = lines[0]
    # `current` redacted, once known: a line joined whole was redacted to decide the join, and
    # the next decision needs it again (redacting it twice per join doubled the cost).
    known: dict[str, str] = {}

    def redact_cached(part: str) -> str:
        if part not in known:
            if len(known) >= 2:  # the line so far and the line with the next piece
                del known[next(iter(known))]
            known[part] = redact_lines(part)
        return known[part]

    for line, following in itertools.pairwise(lines):
        # The break is judged by the line as wrapped (its width), not by what it was joined to.
        piece = _continuation(line, following) if len(current) < MAX_JOINED else None
        joined = _join(current, piece, redact_lines, redact_cached) if piece is not None else None
        if joined is None:
            out.append(current)
            current = following
            continue
        current, rest = joined
        if rest:  # the words after the secret begin a line of their own
            out.append(current)
            current = rest
    out.append(current)
    return "\n".join(out)


def _join(current: str, piece: str, redact_lines: Callable[[str], str],
          redact_current: Callable[[str], str]) -> tuple[str, str] | None:
    """`current` with the secret's part from `piece`, and what is left of `piece`; or None when
    no secret crosses the break.

    Joined only if that hides more: a random token alone on its line is found, glued to a word
    before it may not be. A value that runs to the end of its line (`Cookie: …`, YAML) would
    swallow the words after the secret's end, so when they do not survive whole, only the first
    word is joined, if it looks like the rest of a token."""
    together = redact_current(current + piece)
    if "[REDACTED:" not in together:  # most breaks: nothing secret on either side
        return None
    apart = _hidden(redact_current(current)) + _hidden(redact_lines(piece))
    if _hidden(together) <= apart:
        return None
    first = _FIRST_WORD.match(piece)
    word, rest = (piece[:first.end()], piece[first.end():]) if first else (piece, "")
    if not rest.strip() or together.endswith(rest) or together.endswith(redact_lines(rest)):
        return current + piece, ""
    if not (len(word) >= 16 or _looks_encoded(word)):
        return None
    if _hidden(redact_lines(current + word)) <= apart - _hidden(redact_lines(rest)):
        return None
    return current + word, rest.lstrip()
