"""Shortening text for people to read: between words, never inside an escape.

A cut in the middle of a word reads as another word or as half a link nobody can open
("see the runbook https:/…"), and a cut inside `&lt;` leaves `&l`, which Slack shows as
written. So a cut backs up to the last space when one is near (within WORD_BACKUP of the
limit); a long token with no space near (a URL, a hash) is still cut where it must be.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
WORD_BACKUP = 0.3  # how far back, as a share of the room, a cut may go to find a space
_PARTIAL_ESCAPE = re.compile(r"&[a-z]{0,4}$")  # what is left of &amp; &lt; &gt; cut short


def shorten(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit` characters, else its start and `marker`, within `limit`."""
    if len(text) <= limit:
        return text
    room = max(limit - len(marker), 0)
    cut = text[:room]
    if not text[room].isspace():  # the cut falls inside a word
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space >= room * (1 - WORD_BACKUP):
            cut = cut[:space]
    return _PARTIAL_ESCAPE.sub("", cut).rstrip() + marker
