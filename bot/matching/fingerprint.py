"""A stable hash of a paste's error: repeats of one error group into one incident.

It hashes the masked error lines, so the same error on another pod, at another time, with
another request id has the same fingerprint, while a different error has a different one. Line
order and repeats do not matter (a log repeats its error for every retry); the person's chat
around the error does not count when the paste has error lines.
"""

from __future__ import annotations

import hashlib

from bot.matching.extraction import Extracted
from bot.matching.masking import mask

MAX_FINGERPRINT_LINES = 8


def fingerprint(extracted: Extracted) -> str:
    """32 hex characters; the same for an empty paste and for noise without error lines."""
    lines = extracted.error_lines or extracted.key_lines
    shapes = sorted({" ".join(mask(line).lower().split()) for line in lines})
    # A paste may hold many error lines; the first few shapes (sorted, so order-free) suffice
    # and keep one stray extra line in a long log from splitting an incident.
    joined = "\n".join(shapes[:MAX_FINGERPRINT_LINES])
    return hashlib.sha256(joined.encode("utf-8", errors="replace")).hexdigest()[:32]
