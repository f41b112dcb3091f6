"""What a watch pattern may be: a glob over Azure ML names, nothing that could surprise."""

from __future__ import annotations

import re

PATTERN = re.compile(r"^[A-Za-z0-9*?\[\]!._/-]{1,255}$")


def valid_pattern(pattern: str) -> bool:
    return bool(PATTERN.match(pattern)) and _sets_closed(pattern)


def _sets_closed(pattern: str) -> bool:
    """Every `[` opens a set that a later `]` closes, and no `]` stands alone. fnmatch reads an
    unclosed `[` or a lone `]` as that character, which no Azure ML name contains: the watch
    would be accepted and never fire."""
    at = 0
    while at < len(pattern):
        if pattern[at] == "]":
            return False
        if pattern[at] == "[":
            first = at + 2 if pattern[at + 1:at + 2] == "!" else at + 1
            end = pattern.find("]", first + 1)  # a set holds at least one character
            if end == -1 or "[" in pattern[first:end]:
                return False
            at = end
        at += 1
    return True
