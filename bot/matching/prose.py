"""Search the entries' own text (title, cause, fix, both languages) for pastes without an error.

A question ("how do I see the logs of my endpoint now that App Insights isn't linked?") or a
description ("the container keeps restarting after deploy") has no error line for the
signatures to meet. Such a text is compared with what each entry says about itself: the words
the text shares with an entry's title, cause and fix steps, each weighed by how few entries use
it. The result is one more feature for the confidence model (features.prose_score) and, for
entries no signature found, a candidate with a modest score: the model decides whether the
overlap is enough to answer.

Built on first use, not at start: most pastes carry an error line and never need it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from threading import Lock

from bot.knowledge.model import KnowledgeBase
from bot.matching.tokens import background_weight, words

SPREAD = 30.0  # as index.SPREAD: a word's weight depends on how many entries use it
MIN_WEIGHT = 1.2  # as index.INFO_FLOOR: common words never decide
UNKNOWN_INFO = 1.0  # information of a word no entry uses
MIN_SHARE = 0.25  # of the text's information an entry must hold to be a candidate
MAX_RESULTS = 5


class ProseIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._lock = Lock()
        self._postings: dict[str, list[int]] | None = None
        self._weight: dict[str, float] = {}

    def _build(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(self._kb):
            parts = [*entry.title.values()]
            for body in entry.body.values():
                parts += [body.cause, *body.steps]
            for word in set(words(" ".join(parts))):
                postings[word].append(number)
        for word, entries in postings.items():
            fixed = background_weight(word)
            self._weight[word] = fixed if fixed is not None else math.log1p(SPREAD / len(entries))
        return dict(postings)

    def search(self, text: str) -> dict[int, float]:
        """Entry number -> share 0..1 of the text's information found in the entry's text."""
        with self._lock:
            if self._postings is None:
                self._postings = self._build()
        postings = self._postings
        asked = {word: self._weight[word] for word in sorted(set(words(text)))
                 if word in postings and self._weight[word] > MIN_WEIGHT}
        # Words no entry uses still count in what the text is about (a fixed, middling weight),
        # so a long description that merely mentions "endpoint" is not a close match.
        unknown = sum(UNKNOWN_INFO for word in set(words(text))
                      if word not in postings and background_weight(word) is None)
        total = sum(weight - MIN_WEIGHT for weight in asked.values()) + unknown
        if not asked or total <= 0:
            return {}
        found: dict[int, float] = defaultdict(float)
        for word, weight in asked.items():
            for entry in postings[word]:
                found[entry] += weight - MIN_WEIGHT
        # The share of the question an entry answers, damped for one-word questions.
        damp = min(1.0, total / (3 * MIN_WEIGHT))
        shares = {entry: damp * value / total for entry, value in found.items()}
        best = sorted(shares.items(), key=lambda item: item[1], reverse=True)[:MAX_RESULTS]
        return {entry: share for entry, share in best if share >= MIN_SHARE}
