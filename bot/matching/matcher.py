"""The matcher: text in, ranked KB entries out, with a confidence decision and evidence. No I/O.

    paste -> extraction (key error lines) -> scoring (words + shape + patterns, per entry)
          -> ranking (cause before symptom, diagnosis before procedure)
          -> confidence (answer or abstain) ; fingerprint (masked key lines) ; evidence

The knowledge base is indexed once per Matcher (index.py); `match()` never raises and does
bounded work whatever it is given (extraction.py caps the input).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.matching.confidence import confident_count
from bot.matching.evidence import evidence_text
from bot.matching.extraction import Extracted, extract
from bot.matching.fingerprint import fingerprint
from bot.matching.index import KnowledgeIndex
from bot.matching.ranking import by_kind
from bot.matching.result import Match, MatchResult
from bot.matching.scoring import prepare, score_entries

log = logging.getLogger(__name__)


class Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = KnowledgeIndex(kb)

    def match(self, text: str, *, top: int = 3, lang: str = "en") -> MatchResult:
        try:
            return self._match(text, top=top, lang=lang)
        except Exception:  # a paste must never take the bot down; say "don't know" instead
            log.exception("matcher failed on a paste of %d characters", len(text or ""))
            return MatchResult(matches=(), fingerprint=fingerprint(Extracted((), ())))

    def _match(self, text: str, *, top: int, lang: str) -> MatchResult:
        extracted = extract(text)
        paste = prepare(extracted)
        ranked = by_kind(score_entries(self.index, paste), self.index.entry_kinds,
                         self.index.entry_stages)
        confident = confident_count(ranked, paste)
        matches = []
        for position, scored in enumerate(ranked[: max(int(top), 1)]):
            entry = self.kb.entries[scored.entry]
            matches.append(Match(
                entry_id=entry.id, title=entry.title_in(lang), score=round(scored.score, 2),
                confident=position < confident, evidence=evidence_text(paste, scored.best),
                signature=scored.best.source))
        return MatchResult(matches=tuple(matches), fingerprint=fingerprint(extracted),
                           key_lines=extracted.key_lines)


@lru_cache(maxsize=4)
def default_matcher(knowledge_path: str | None = None) -> Matcher:
    """The matcher over the shipped KB plus KNOWLEDGE_PATH, built once per process."""
    return Matcher(cached_knowledge_base(knowledge_path))
