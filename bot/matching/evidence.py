"""The part of the paste that decided, as the person wrote it, trimmed to fit a message.

Evidence is always an error line: when the best window of a signature spans a wrapped error and
a chat line ("배포 실패했습니다 ㅠ 도와주세요", "any idea?"), only the error line is shown, and a
paste whose error lines exist never gets a chat line as its evidence. The incident summary uses
the same line (MatchResult.deciding_line).
"""

from __future__ import annotations

from bot.matching.error_lines import is_error_line
from bot.matching.scoring import Evidence, PreparedPaste

EVIDENCE_CHARS = 200


def deciding_lines(paste: PreparedPaste, found: Evidence) -> list[int]:
    """The line numbers (into paste.lines) that decided `found`, error lines only when any."""
    if found.line < 0 or found.line >= len(paste.lines):
        return []
    window = list(range(found.line, min(found.last_line, len(paste.lines) - 1) + 1))
    signals = paste.signals or tuple(0.0 for _ in paste.lines)
    error_lines = [line for line, signal in enumerate(signals)
                   if is_error_line(paste.lines[line], signal)]
    erroneous = [line for line in window if line in error_lines]
    if erroneous:
        return erroneous
    if not error_lines:
        return window  # a description or a question: the text itself decided
    # A plain or chat line scored best, but the paste has errors: show the one nearest to it.
    return [min(error_lines, key=lambda line: (abs(line - found.line), line))]


def naming_line(paste: PreparedPaste) -> str:
    """The line that names a paste nothing matched: its first error line that is not chat,
    else its first line."""
    signals = paste.signals or tuple(0.0 for _ in paste.lines)
    for line, signal in zip(paste.lines, signals, strict=True):
        if is_error_line(line, signal):
            return line
    return paste.lines[0] if paste.lines else ""


def evidence_text(paste: PreparedPaste, found: Evidence) -> str:
    chosen = deciding_lines(paste, found)
    if not chosen:
        return ""
    text = " ".join(" ".join(paste.lines[line].split()) for line in chosen)
    if len(text) <= EVIDENCE_CHARS:
        return text
    # Centre the window on what matched: the pattern's span, else the signature's first word.
    same_line = chosen[0] == found.line
    centre = _centre(text, paste.lines[chosen[0]], found if same_line else None)
    start = max(0, min(centre - EVIDENCE_CHARS // 2, len(text) - EVIDENCE_CHARS))
    piece = text[start: start + EVIDENCE_CHARS - 2]
    return ("…" if start > 0 else "") + piece.strip() + ("…" if start + len(piece) < len(text)
                                                          else "")


def evidence_line(paste: PreparedPaste, found: Evidence) -> str:
    """The first deciding line, whole (the incident summary masks and cuts it)."""
    chosen = deciding_lines(paste, found)
    return paste.lines[chosen[0]] if chosen else ""


def _centre(text: str, first_line: str, found: Evidence | None) -> int:
    if found is None:
        return 0
    if found.span is not None:
        offset = len(" ".join(first_line[: found.span[0]].split()))
        return offset + (found.span[1] - found.span[0]) // 2
    lowered = text.lower()
    for word in found.source.lower().split():
        position = lowered.find(word.strip("\"'.,:;()[]<>"))
        if position >= 0 and len(word) > 3:
            return position + len(found.source) // 2
    return 0
