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
from bot.matching.korean import english_words
from bot.matching.korean_words import is_hangul
from bot.matching.tokens import FUNCTION_WEIGHT, background_weight, words

SPREAD = 30.0  # as index.SPREAD: a word's weight depends on how many entries use it
MIN_WEIGHT = 1.2  # as index.INFO_FLOOR: common words never decide
UNKNOWN_INFO = 1.0  # information of a word no entry uses
MIN_SHARE = 0.25  # of the text's information an entry must hold to be a candidate
MAX_RESULTS = 5
# Words that say something is wrong, or ask whether it works, without saying what: "my
# deployment is broken", "is the bot working?", "봇이 작동하나요? 문제가 생겼어요". Each is in the
# text of one or two entries by chance (a fix step says "if nothing works"), so a small KB
# weighs it as a rare word and a vague complaint became a "probably" answer on that one word.
# They weigh as function words here; a candidate needs a word naming its problem.
_COMPLAINT_TEXT = """
broken break breaks working works worked work nothing wrong issue issues problem problems
trouble bot anyone someone somebody idea stuck weird strange alive happen happened happening
fine okay ok something anything down dead
고장 고장났어요 고장났나요 안돼요 안되나요 안돼 돼요 되나요 돼 작동 작동해요 작동하나요 작동을
문제 문제가 문제예요 문제있어요 이상해요 이상 망가졌어요 살아있나요 살아 있나요 죽었나요 봇 봇이
도와주세요 도움 뭔가 무슨 왜
"""
COMPLAINT_WORDS = frozenset(words(_COMPLAINT_TEXT))


def _fixed_weight(word: str) -> float | None:
    """A word's weight whatever the entries say (tokens.background_weight, complaint words as
    function words); None when it depends on how many entries use it."""
    fixed = background_weight(word)
    if fixed is None and word in COMPLAINT_WORDS:
        return FUNCTION_WEIGHT
    return fixed


def _read_words(found: list[str], known: dict[str, list[int]]) -> set[str]:
    """The text's words, each listed Korean word (korean_words.py) read as its English word
    where the entries' text uses that word: both languages of an entry say the same thing,
    and its English text names it the same way in every entry where the translations vary
    ("파드" in one entry's Korean, "컨테이너" in the next, "pod" and "container" in both
    English texts). Read as both, a Korean word counted twice, and counted as a rare word
    for the few entries whose translation happens to use it: "파드가 자꾸 죽는데" found the
    entries whose Korean says 파드 before the one its English twin finds. A listed word whose
    English no entry uses keeps its own form, as an unlisted word does (korean20: the
    entries' own Korean wording still finds them)."""
    read: set[str] = set()
    for word in found:
        english = [form for form in english_words([word]) if form in known] \
            if is_hangul(word) else []
        read.update(english or [word])
    return read


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
            fixed = _fixed_weight(word)
            self._weight[word] = fixed if fixed is not None else math.log1p(SPREAD / len(entries))
        return dict(postings)

    def search(self, text: str) -> dict[int, float]:
        """Entry number -> share 0..1 of the text's information found in the entry's text."""
        with self._lock:
            if self._postings is None:
                self._postings = self._build()
        postings = self._postings
        text_words = _read_words(words(text), postings)
        asked = {word: self._weight[word] for word in sorted(text_words)
                 if word in postings and self._weight[word] > MIN_WEIGHT}
        # Words no entry uses still count in what the text is about (a fixed, middling weight),
        # so a long description that merely mentions "endpoint" is not a close match.
        unknown = sum(UNKNOWN_INFO for word in text_words
                      if word not in postings and _fixed_weight(word) is None)
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
