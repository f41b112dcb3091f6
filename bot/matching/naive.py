"""The naive matcher: rapidfuzz `partial_ratio` of every signature over the raw paste.

Kept as the benchmark's baseline (the obvious approach the real matcher must beat on speed and
accuracy), not used to answer anyone.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.knowledge.model import KnowledgeBase


def naive_scores(text: str, kb: KnowledgeBase) -> list[tuple[str, float, str]]:
    """(entry id, best score, best signature) for every entry, best first."""
    scored = []
    for entry in kb:
        best, best_signature = 0.0, ""
        for signature in entry.signatures:
            score = fuzz.partial_ratio(signature, text)
            if score > best:
                best, best_signature = score, signature
        scored.append((entry.id, best, best_signature))
    scored.sort(key=lambda item: item[1], reverse=True)
    return scored
