"""Small helpers shared by the command modules."""

from __future__ import annotations

import sys


def read_text_argument(value: str | None) -> str:
    """TEXT from the argument, or standard input for `-` or no argument.

    Bytes that are not UTF-8 are replaced rather than fatal: people paste binary junk.
    """
    if value is not None and value != "-":
        return value
    return sys.stdin.buffer.read().decode("utf-8", errors="replace")
