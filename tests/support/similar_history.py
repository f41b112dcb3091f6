"""What the find_similar index tests share: the error lines their generated histories are made
of, a matched question as the answer service would pass it, and the indexes a migration left."""

from __future__ import annotations

from sqlalchemy import text

from bot.matching.result import Match, MatchResult
from bot.storage import session_scope

LINES = ["0/{n} nodes are available: {n} Insufficient nvidia.com/gpu.",
         "Back-off restarting failed container {w} in pod scoring-{n}",
         "ModuleNotFoundError: No module named '{w}'",
         "Liveness probe failed: HTTP probe failed with statuscode: 50{n}"]
WORDS = ["torch", "sklearn", "numpy", "inference", "tokenizer"]


def question(line: str, fingerprint: str, entry_id: str | None) -> MatchResult:
    """A paste whose deciding line is `line`, answered with `entry_id` (or nothing)."""
    matches = (Match(entry_id=entry_id, title=entry_id, score=96.0, confident=True,
                     evidence=line),) if entry_id else ()
    return MatchResult(matches=matches, fingerprint=fingerprint, key_lines=(line,))


def incident_indexes(url: str) -> set[str]:
    """The names of the incidents table's indexes, as the migration left them."""
    with session_scope(url) as session:
        if url.startswith("sqlite"):
            query = "SELECT name FROM sqlite_master WHERE tbl_name = 'incidents'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE tablename = 'incidents'"
        return set(session.scalars(text(query)))
