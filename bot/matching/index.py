"""Everything about the knowledge base the scorer needs.

- every signature, masked and lower-cased (what the shape check compares), with its words;
- a weight per word: rare, discriminating words (`nvidia.com`, `CrashLoopBackOff`, `SIGKILL`)
  weigh more than common ones (`error`, `failed`, `the`). The weight depends on how many entries
  use a word, not on how many entries there are, so 10,000 unrelated team entries do not shift
  the weights of the shipped ones;
- an inverted index word -> signatures, so a paste is compared in full only with the
  signatures that share its words (the step that keeps 10,000 entries fast);
- every pattern filed under a word it cannot match without (literals.py), so a pattern runs
  only when that word is in the paste; it is compiled when it first runs.

Computed once per KB, and for a large KB once per change: build_index() keeps it in the disk
cache (bot/disk_cache.py) for the next process.
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from itertools import accumulate, chain
from operator import attrgetter

import numpy as np

from bot.disk_cache import cached, code_fingerprint
from bot.knowledge.model import KnowledgeBase
from bot.matching.literals import literal_runs, required_any
from bot.matching.masking import mask, mask_both
from bot.matching.tokens import background_weight, stem, words

# Weight of a word used by `df` entries: ln(1 + SPREAD / df). SPREAD is the number of entries at
# which a word stops being informative; it is a constant so that weights do not depend on KB size.
SPREAD = 30.0
SHARED_SCAN_LIMIT = 64
# Below this many entries indexing takes well under a second: no disk cache (the shipped KB).
MIN_CACHED_ENTRIES = 500
# What decides the index built from given entries: a change to any of them is a new key.
_INDEXING_MODULES = ("bot.matching.index", "bot.matching.masking", "bot.matching.tokens",
                     "bot.matching.literals")
# Of a signature's weight, found over all key lines, to be a candidate (scoring._candidates).
MIN_TEXT_COVERAGE = 0.3
# A word more signatures use than this is crowded (`error`, `failed`: in a team KB of 10,000
# entries, 20,000 signatures hold `error`). Adding its weight to each of them per paste was the
# part of a short paste's cost that grew with the KB, so scoring adds it only to the signatures
# a less crowded word of the paste finds, and to those crowded words alone could make
# candidates (KnowledgeIndex.crowded_capable): the same candidates, at the same coverage.
CROWDED = 512
# A word carries information only above this weight, so that ten common words (`error`,
# `traceback`, `most recent call last`) never add up to one rare one (scoring.py, features.py).
INFO_FLOOR = 1.2
# Words that name the call to a deployed model's scoring endpoint. A status code next to them is
# the service's own answer to a request, not a code any Azure or Kubernetes API could return
# (a 409 from App Service, a 504 while polling a deployment).
# (Phrases, not words: `webservice` alone is part of every `WebserviceException`.)
SCORING_CALL = re.compile(r"(?i)\bservice\.run\(|\bscoring[_ ]?uri\b|/score\b|\bscore\.py\b|"
                          r"\bscoring (?:script|file|request)|\bwebservice object\b",
                          re.ASCII)  # `scoring_uri로`: a Korean particle ends the word too
_REGEX_CLASS = re.compile(r"\\[A-Za-z]")  # \b, \d, \w ... are not words of the pattern
_WHOLE_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{3,}(?![A-Za-z0-9])")


@dataclass(frozen=True)
class SignatureChoice:
    entry: int  # index into KnowledgeIndex.entry_ids
    text: str  # as written in the KB
    fuzzy_text: str  # fully masked, lower-cased, spaces collapsed: the shape check's
    weights: dict[str, float]  # word -> weight, each word once
    total: float  # sum of the weights
    # (How much of its weight another entry's signature also has, which tells a wrapper
    # message from the error: KnowledgeIndex.shared_share(), computed when first needed.)
    # Codes the masking kept (HTTP status, exit and signal codes): `Response Code: 409` is not
    # `Response Code: 504`, however alike the rest of the words are.
    codes: frozenset[str] = frozenset()
    # The signature puts its code in the scoring call (`when calling service.run()`,
    # `scoring_uri`, `on the webservice object`): there a 502 or 504 says which problem it is.
    scoring_call: bool = False


@dataclass(frozen=True)
class PatternChoice:
    entry: int
    text: str
    # The words the author wrote into the pattern (`409`, `conflict`, `progress`): a match is
    # worth the weight of those words in the matched text, not of everything `.*` swallowed.
    words: frozenset[str] = frozenset()

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: a pattern runs only when a paste holds its anchor word, and
        compiling 10,000 team patterns up front was a third of the start-up time.

        ASCII word boundaries: Korean joins a particle to the word before it (`502가`,
        `OOMKilled로`), and with Unicode `\\b` there is no boundary between `2` and `가`."""
        return re.compile(self.text, re.ASCII)

    @cached_property
    def needs(self) -> tuple[str, ...] | None:
        """Lower-cased strings one of which every match holds (literals.required_any), or
        None: a key line holding none of them is not searched. Read on first use, as the regex
        is compiled (parsing 10,000 team patterns up front would slow the start)."""
        return required_any(self.text)


_SIGNATURE_FIELDS = tuple(field.name for field in fields(SignatureChoice))
_signature_fields = attrgetter(*_SIGNATURE_FIELDS)  # a choice's fields as a tuple, in C


def signal_exit_code(word: str) -> bool:
    """An exit code 129..159: 128 + the number of the signal that killed the process.

    Unlike an HTTP status, which every API returns for its own reasons, `137` means SIGKILL in
    every program, so it is weighed like a word by the entries that use it. (Whether the killed
    process was a deployment at all is the confidence rule's question.)
    """
    return word.isdigit() and len(word) == 3 and 129 <= int(word) <= 159


def _shared_postings(postings: dict[str, list[int]], owners: list[int]) -> dict[str, list[int]]:
    """The postings _shared_share() scans: words of more than one entry, and not so common
    (SHARED_SCAN_LIMIT) that they weigh little anyway. Most words of a large team KB are one
    entry's own, and skipping them up front is a tenth of the time to index it."""
    return {word: posting for word, posting in postings.items()
            if len(posting) <= SHARED_SCAN_LIMIT
            and any(owners[other] != owners[posting[0]] for other in posting)}


def _shared_share(choice: SignatureChoice, scanned: dict[str, list[int]],
                  signatures: list[SignatureChoice]) -> float:
    """KnowledgeIndex.shared_share() of `choice` (`scanned`: see _shared_postings)."""
    if scanned.keys().isdisjoint(choice.weights):
        return 0.0  # no word another entry's signature also has (most team signatures)
    entry = choice.entry
    shared: dict[int, float] = defaultdict(float)
    for word, weight in choice.weights.items():
        posting = scanned.get(word)
        if posting is None:
            continue
        for other in posting:
            if signatures[other].entry != entry:
                shared[other] += weight
    # Parallel signatures told apart by their code (`HTTPError: 502 ...` / `HTTPError: 504
    # ...`) are not wrappers: the code decides, and a missing code is damped in scoring.
    if choice.codes:
        shared = {other: weight for other, weight in shared.items()
                  if choice.codes == signatures[other].codes}
    if not shared or not choice.total:
        return 0.0
    return max(shared.values()) / choice.total


class Postings(Mapping[str, np.ndarray]):
    """word -> the positions of the signatures holding it, ascending, as an int32 array.

    Every word's list lies in one flat array (tens of thousands of small arrays, each made or
    pickled on its own, cost more than the index's own work), and a word's array is a view
    into it made when the word is asked for: a paste asks for a few dozen words, and making
    the views of all 80,000 words of a large team KB up front was a twentieth of indexing it
    and of reading it back from the disk cache.
    """

    __slots__ = ("_flat", "_number", "_starts")

    def __init__(self, flat: np.ndarray, words: list[str], starts: list[int]) -> None:
        self._flat = flat
        self._number = dict(zip(words, range(len(words)), strict=True))  # word -> its place
        self._starts = starts  # where each word's positions start in `flat` (and one past the end)

    @classmethod
    def of(cls, postings: dict[str, list[int]]) -> Postings:
        flat = np.fromiter(chain.from_iterable(postings.values()), dtype=np.int32,
                           count=sum(map(len, postings.values())))
        return cls(flat, list(postings), list(accumulate(map(len, postings.values()),
                                                         initial=0)))

    def __getitem__(self, word: str) -> np.ndarray:
        number = self._number[word]
        return self._flat[self._starts[number]: self._starts[number + 1]]

    def __contains__(self, word: object) -> bool:
        return word in self._number

    def __iter__(self) -> Iterator[str]:
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)

    def __reduce__(self) -> tuple[type[Postings], tuple[np.ndarray, list[str], list[int]]]:
        return Postings, (self._flat, list(self._number), self._starts)


def _information(weights: Iterable[float]) -> float:
    """`sum(max(0.0, weight - INFO_FLOOR) for weight in weights)`, the same float: the same
    terms above zero in the same order, the zeros (adding nothing) left out, and the int 0 of
    an empty sum kept. A call of max() per word was a twentieth of indexing 10,000 entries."""
    weights = list(weights)
    if not weights:
        return 0
    return sum([weight - INFO_FLOOR for weight in weights if weight > INFO_FLOOR], 0.0)


def _names_scoring_call(text: str) -> bool:
    # Each alternative of SCORING_CALL holds `scor` or `service` (tests/test_index_build.py): an
    # ASCII text with neither, most signatures, cannot match. (Other text goes to the regex:
    # the shortcut stays exact whatever flags SCORING_CALL is compiled with.)
    if text.isascii():
        lowered = text.lower()
        if "scor" not in lowered and "service" not in lowered:
            return False
    return bool(SCORING_CALL.search(text))


def fuzzy_form(text: str) -> str:
    return " ".join(mask(text).lower().split())


def word_form(text: str) -> set[str]:
    return set(words(mask(text, keep_words=True)))


def signature_forms(text: str) -> tuple[str, set[str]]:
    """`(fuzzy_form(text), word_form(text))`, masking once where the two masks cannot differ."""
    full, kept = mask_both(text)
    return " ".join(full.lower().split()), set(words(kept))


class KnowledgeIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.entry_ids: list[str] = [entry.id for entry in kb]
        self.entry_kinds: list[str] = [entry.kind for entry in kb]
        self.entry_stages: list[str] = [entry.stage for entry in kb]
        # id -> its entry numbers (one each, unless a KB built by hand repeats an id): the
        # precedents name entries by id, and looking up their few labels costs nothing, where a
        # pass over every entry per paste cost 3 ms with 10,000 team entries.
        self.entry_numbers: dict[str, list[int]] = defaultdict(list)
        for number, entry_id in enumerate(self.entry_ids):
            self.entry_numbers[entry_id].append(number)
        self.entry_numbers = dict(self.entry_numbers)
        signature_words: list[tuple[int, str, set[str], str]] = []
        entry_words: list[set[str]] = [set() for _ in self.entry_ids]
        for number, entry in enumerate(kb):
            for signature in dict.fromkeys(entry.signatures):  # each signature once
                fuzzy, found = signature_forms(signature)
                if not found:
                    continue
                signature_words.append((number, signature, found, fuzzy))
                entry_words[number] |= found
        frequency: Counter[str] = Counter()  # words first seen first, as a plain loop would
        for found in entry_words:
            frequency.update(found)
        self.weight: dict[str, float] = {}
        for word, count in frequency.items():
            fixed = background_weight(word)
            if fixed is not None and not signal_exit_code(word):
                self.weight[word] = fixed
            else:
                self.weight[word] = math.log1p(SPREAD / count)

        # Per entry: its words with their weights, and their total information above the
        # floor of common words (features.py: how much of an entry a paste shows).
        self.entry_words: list[dict[str, float]] = [
            {word: self.weight[word] for word in sorted(found)} for found in entry_words]
        self.entry_information: list[float] = [
            _information(weights.values()) for weights in self.entry_words]

        # Each signature's words, weights and codes, and the postings its share of another
        # entry's words is computed from when a paste first needs it (shared_share()).
        postings: dict[str, list[int]] = defaultdict(list)
        drafts: list[tuple[int, str, str, dict[str, float], frozenset[str]]] = []
        weight = self.weight
        for position, (number, text, found, fuzzy) in enumerate(signature_words):
            ordered = sorted(found)
            weights = dict(zip(ordered, map(weight.__getitem__, ordered), strict=True))
            drafts.append((number, text, fuzzy, weights, frozenset(filter(str.isdigit, found))))
            for word in found:
                postings[word].append(position)
        self._share_postings = _shared_postings(postings, [draft[0] for draft in drafts])
        self._shares: dict[int, float] = {}  # shared_share() of the signatures asked about
        self.signatures: list[SignatureChoice] = [
            SignatureChoice(number, text, fuzzy, weights, sum(weights.values()), codes=codes,
                            scoring_call=_names_scoring_call(text))
            for number, text, fuzzy, weights, codes in drafts]
        self.postings = Postings.of(postings)
        self.totals = np.asarray([s.total for s in self.signatures], dtype=np.float64)
        self.crowded = frozenset(word for word, items in postings.items()
                                 if len(items) > CROWDED)
        self.crowded_capable = self._crowded_capable()

        self.patterns: list[PatternChoice] = []
        self.pattern_problems: list[tuple[str, str, str]] = []  # entry id, pattern, error
        self.patterns_by_word: dict[str, list[int]] = defaultdict(list)
        self.unanchored_patterns: list[int] = []
        self.pattern_anchor: list[str | None] = []  # per pattern: a word it needs, or None
        for number, entry in enumerate(kb):
            for pattern in entry.patterns:
                try:
                    # Read once, here, for the anchor word and to report a broken pattern;
                    # compiled on first use (PatternChoice.regex).
                    runs = literal_runs(pattern)
                except (re.error, OverflowError, RecursionError) as error:
                    self.pattern_problems.append((entry.id, pattern, str(error)))
                    continue
                position = len(self.patterns)
                written = frozenset(words(_REGEX_CLASS.sub(" ", pattern)))
                self.patterns.append(PatternChoice(number, pattern, written))
                anchor = self._anchor_word(runs)
                self.pattern_anchor.append(anchor)
                if anchor:
                    self.patterns_by_word[anchor].append(position)
                else:
                    self.unanchored_patterns.append(position)

    # Pickled for the disk cache in a compact form, about half the size and time: the
    # signatures and patterns as tuples of their fields (a pattern's compiled regex is left
    # out: compiled on use); the postings pickle as their one flat array (Postings).
    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_shares"] = {}  # computed again by each process, for its own pastes
        state["signatures"] = list(map(_signature_fields, self.signatures))
        state["patterns"] = [(choice.entry, choice.text, choice.words)
                             for choice in self.patterns]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        signatures = state.pop("signatures")
        patterns = state.pop("patterns")
        self.__dict__.update(state)
        self.signatures = [SignatureChoice(*fields) for fields in signatures]  # type: ignore[attr-defined]
        self.patterns = [PatternChoice(*fields) for fields in patterns]  # type: ignore[attr-defined]

    def _crowded_capable(self) -> np.ndarray:
        """The signatures crowded words alone could make candidates, ascending: the largest
        coverage they can give (scoring._candidates) is at least MIN_TEXT_COVERAGE. Summed as
        scoring sums them, word by word in sorted order: a sum of fewer of the words (those of
        a paste) is never larger, in floating point too, so none is missed."""
        found = np.zeros(len(self.signatures), dtype=np.float64)
        for word in sorted(self.crowded):
            found[self.postings[word]] += self.weight[word]
        return np.flatnonzero(found / np.maximum(self.totals, 1e-9) >= MIN_TEXT_COVERAGE)

    def shared_share(self, position: int) -> float:
        """The largest share of signature `position`'s weight that one signature of another
        entry also has. A signature that mostly repeats another entry's ("Service deployment
        polling reached non-successful terminal state" beside "Image creation polling reached
        non-successful terminal state") is a wrapper around the real error, not the error.

        Computed for a signature when a paste first makes it a candidate: scoring reads it
        for a few dozen signatures per paste, and computing it for all 40,000 signatures of
        a large team KB was a tenth of a cold start.
        """
        share = self._shares.get(position)
        if share is None:
            share = _shared_share(self.signatures[position], self._share_postings,
                                  self.signatures)
            self._shares[position] = share  # the same value whichever thread stores it
        return share

    def compile_problems(self) -> list[tuple[str, str, str]]:
        """Patterns that parse but do not compile (entry id, pattern, error): for kb check."""
        problems = []
        for choice in self.patterns:
            try:
                choice.regex  # noqa: B018 - compiling is the check
            except (re.error, OverflowError, RecursionError) as error:
                problems.append((self.entry_ids[choice.entry], choice.text, str(error)))
        return problems

    def _anchor_word(self, runs: list[str]) -> str | None:
        """The rarest word in a pattern's required literal text (`runs`), if any."""
        candidates: list[str] = []
        for literal in runs:
            # Only whole words inside a literal are safe anchors: in `back-?off`, `back` is
            # the end of a run and may continue (`backoff`), so runs are cut at their edges.
            literal_words = set(words(literal))
            for found in _WHOLE_WORD.finditer(literal):
                inside = found.start() > 0 and found.end() < len(literal)
                word = stem(found.group().lower())
                if inside and word in literal_words:
                    candidates.append(word)
        if not candidates:
            return None
        return max(candidates, key=lambda w: self.weight.get(w, math.log1p(SPREAD)))


def build_index(kb: KnowledgeBase) -> KnowledgeIndex:
    """KnowledgeIndex(kb); for a large knowledge base, read back from the disk cache when the
    entries' ids, kinds, stages, signatures and patterns and the indexing code are the same
    (bot/disk_cache.py)."""
    if len(kb) < MIN_CACHED_ENTRIES:
        return KnowledgeIndex(kb)
    inputs = [(entry.id, entry.kind, entry.stage, entry.signatures, entry.patterns)
              for entry in kb]
    key = (code_fingerprint(_INDEXING_MODULES) + np.__version__.encode() + b"\0"
           + pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL))
    return cached("index", key, lambda: KnowledgeIndex(kb))
