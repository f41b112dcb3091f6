"""The matcher: text in, ranked KB entries out, with a confidence decision and evidence. No I/O.

PLACEHOLDER until the real matcher lands: it scores with the naive baseline so that the rest
of the system has something to call. The interface (Matcher(kb).match(...) -> MatchResult and
default_matcher()) is the contract.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.matching.naive import naive_scores
from bot.matching.result import Match, MatchResult


class Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def match(self, text: str, *, top: int = 3, lang: str = "en") -> MatchResult:
        scored = naive_scores(text, self.kb)[: max(top, 1)]
        matches = tuple(
            Match(entry_id=entry_id, title=self.kb.get(entry_id).title_in(lang),  # type: ignore[union-attr]
                  score=score, confident=index == 0 and score >= 90, evidence=signature,
                  signature=signature)
            for index, (entry_id, score, signature) in enumerate(scored))
        fingerprint = hashlib.sha256(text.strip().encode()).hexdigest()[:32]
        return MatchResult(matches=matches, fingerprint=fingerprint)


@lru_cache(maxsize=4)
def default_matcher(knowledge_path: str | None = None) -> Matcher:
    """The matcher over the shipped KB plus KNOWLEDGE_PATH, built once per process."""
    return Matcher(cached_knowledge_base(knowledge_path))
