"""The part of the paste that matched, as the person wrote it, trimmed to fit a message."""

from __future__ import annotations

from bot.matching.scoring import Evidence, PreparedPaste

EVIDENCE_CHARS = 200


def evidence_text(paste: PreparedPaste, found: Evidence) -> str:
    if found.line < 0 or found.line >= len(paste.lines):
        return ""
    lines = paste.lines[found.line: found.last_line + 1]
    text = " ".join(" ".join(line.split()) for line in lines)
    if len(text) <= EVIDENCE_CHARS:
        return text
    # Centre the window on what matched: the pattern's span, else the signature's first word.
    centre = _centre(text, paste.lines[found.line], found)
    start = max(0, min(centre - EVIDENCE_CHARS // 2, len(text) - EVIDENCE_CHARS))
    piece = text[start: start + EVIDENCE_CHARS - 2]
    return ("…" if start > 0 else "") + piece.strip() + ("…" if start + len(piece) < len(text)
                                                          else "")


def _centre(text: str, first_line: str, found: Evidence) -> int:
    if found.span is not None:
        offset = len(" ".join(first_line[: found.span[0]].split()))
        return offset + (found.span[1] - found.span[0]) // 2
    lowered = text.lower()
    for word in found.source.lower().split():
        position = lowered.find(word.strip("\"'.,:;()[]<>"))
        if position >= 0 and len(word) > 3:
            return position + len(found.source) // 2
    return 0
