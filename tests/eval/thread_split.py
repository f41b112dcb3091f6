"""Which side of round 4 a public thread belongs to: the final holdout or the tuning data.

Round 4 collects a fresh final holdout and new tuning pastes at the same time, from the same
trackers. Splitting by repository (as the earlier holdouts did) left the final holdout on
stacks nobody tuned for; splitting by thread, with a hash nobody chooses, keeps both sides from
the same mix while no thread ever sits on both. The collector of one side never looks at the
other side's threads.
"""

from __future__ import annotations

import hashlib
import sys
from urllib.parse import urlsplit

FINAL_DIGITS = frozenset("01234567")  # half of the threads, by the first hex digit


def canonical_thread(url: str) -> str:
    """The thread's address: scheme and host lower-cased, no query, no fragment, no trailing slash.

    A comment link (`#issuecomment-…`) and the thread itself are one thread.
    """
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def side(url: str) -> str:
    """`"final"` for the round-4 final holdout, `"tune"` for tuning data."""
    digest = hashlib.sha1(canonical_thread(url).encode("utf-8")).hexdigest()
    return "final" if digest[0] in FINAL_DIGITS else "tune"


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(side(argument), canonical_thread(argument))
