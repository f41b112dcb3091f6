"""Precedents: the labelled pastes most like this one, and what they were labelled.

The signatures only know the wordings someone wrote down; the labelled pool (tests/eval, about
a thousand pastes) knows how people really paste each problem, and which pastes are no problem
of ours at all (`none`: a SageMaker endpoint, a training job, a laptop's conda solve). A paste is
compared with every labelled one by TF-IDF cosine over the words the scorer already reads (the
key lines' words of scoring.prepare: masked, stemmed, logger columns dropped); the K nearest
vote for their labels, each by its similarity. What comes out is, per label, the share of the
vote ("like 4 earlier reports of ..."): a feature of each candidate for the decision model
(features.py), and a modest extra candidate for an entry the signatures missed (matcher.py).

Artefacts are dropped by design, not by listing them: a word counts only when pastes from at
least MIN_GROUPS different source repositories use it (a repository's name, the words of its
paths and URLs, its class names cannot), and what masking replaces (ids, hashes, pod names,
timestamps, numbers other than status and exit codes) never is a word at all.

The index is small and versioned (knowledge/_model/precedents.json, written by `kb train` from
the same pool as the confidence model, checked by `kb check`): the vocabulary with its idf and,
per pasted item, its label and its TOP_WORDS heaviest words. It is read once per process.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from pathlib import Path

import numpy as np

from bot.matching.error_lines import is_error_line
from bot.matching.korean_words import english_of, is_hangul
from bot.matching.scoring import PreparedPaste
from bot.matching.trained_files import file_object, read_trained_file
from bot.paths import project_folder

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KIND = "precedents"
NONE_LABEL = "none"
MIN_GROUPS = 3  # source repositories that must use a word before it counts (module docstring)
TOP_WORDS = 32  # heaviest words kept per labelled paste: the index stays small
NEIGHBOURS = 10  # the K nearest precedents that vote
MIN_SIMILARITY = 0.05  # a precedent less similar than this says nothing about the paste
# Words of the paste the index knows, for the neighbours to say anything: found through one or
# two words ("502", "503 error"), the nearest pastes are those that share a status code, and
# their vote is on that code's company (mostly other products' 502s: none), not on the paste.
# Below this the verdict is "no opinion" (EMPTY_VERDICT), as for an entry the index never saw.
MIN_KNOWN_WORDS = 3
WEIGHT_DIGITS = 4


def precedents_path() -> Path:
    return project_folder("knowledge") / "_model" / "precedents.json"


class PrecedentFileError(ValueError):
    """The precedents file cannot be used; the message says why."""


def paste_words(paste: PreparedPaste) -> Counter[str]:
    """How many of the paste's key lines use each word (the term counts of its vector).

    A listed Korean word counts as its English word only (korean_words.english_of; the line
    holds both, scoring.prepare): the labelled pastes are English but for a few Korean
    openings around English logs ("배포가 계속 실패하는데 이거 뭔가요?"), so "배포" and "계속"
    found those pastes, whatever their label, and not the English twins of a Korean
    description."""
    counts: Counter[str] = Counter()
    for line in paste.line_words:
        counts.update(word for word in line if not (is_hangul(word) and english_of(word)))
    return counts


def words_of_many_groups(pastes: Iterable[Iterable[str]], groups: Sequence[str]) -> list[str]:
    """The words (or terms) that pastes of at least MIN_GROUPS different source groups use,
    sorted: the one rule by which a learned vocabulary leaves out a project's own names and
    paths (here and in context.py)."""
    users: dict[str, set[str]] = {}
    for words, group in zip(pastes, groups, strict=True):
        for word in words:
            users.setdefault(word, set()).add(group)
    return sorted(word for word, seen in users.items() if len(seen) >= MIN_GROUPS)


@dataclass(frozen=True)
class Verdict:
    """What the nearest precedents say about one paste."""

    shares: dict[str, float]  # label -> share of the neighbours' weighted vote (0..1)
    counts: dict[str, int]  # label -> how many of the neighbours carry it
    known: frozenset[str]  # every label the index holds (the others get no opinion)
    nearest: float = 0.0  # the similarity of the closest precedent
    # For the evidence line of a candidate only the precedents found (line_for): the
    # neighbours' document numbers, the paste's vector and the index that holds them.
    neighbours: tuple[int, ...] = field(default=(), repr=False)
    vector: dict[int, float] = field(default_factory=dict, repr=False)
    index: PrecedentIndex | None = field(default=None, repr=False, compare=False)

    def share(self, label: str) -> float | None:
        """The label's share of the vote; None for a label the index does not know (a team
        entry), which the decision model reads as no evidence either way."""
        return self.shares.get(label, 0.0) if label in self.known else None

    def line_for(self, label: str, paste: PreparedPaste) -> int:
        """The error line carrying most of the label's weight; -1 when no error line shares a
        word. Never a chat line (evidence.py): a paste with no error line ("배포 실패했습니다
        도와주세요") gets no candidate from the precedents, as it gets no incident summary."""
        pull = self.index.word_pull(label, self.neighbours, self.vector) \
            if self.index is not None else {}
        signals = paste.signals or tuple(0.0 for _ in paste.lines)
        errors = [number for number, line in enumerate(paste.lines)
                  if is_error_line(line, signals[number])]
        best, best_weight = -1, 0.0
        for number in errors:
            weight = sum(pull.get(word, 0.0) for word in sorted(paste.line_words[number]))
            if weight > best_weight:
                best, best_weight = number, weight
        return best


EMPTY_VERDICT = Verdict({}, {}, frozenset())


class PrecedentIndex:
    """Labelled pastes as sparse TF-IDF vectors, searched through an inverted index."""

    def __init__(self, vocabulary: Sequence[str], idf: Sequence[float], labels: Sequence[str],
                 documents: Sequence[tuple[int, Sequence[int], Sequence[float]]],
                 groups: Sequence[str] | None = None, info: dict[str, object] | None = None
                 ) -> None:
        self.vocabulary = list(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.labels = list(labels)
        self.documents = list(documents)  # (label number, word numbers, weights)
        self.info = dict(info or {})
        self.word_number = {word: number for number, word in enumerate(self.vocabulary)}
        self.doc_labels = np.asarray([label for label, _, _ in self.documents], dtype=np.int64)
        # Only while training: each document's source repository, so a training paste is
        # judged by precedents from other repositories only (crossval.py).
        self.groups = list(groups) if groups is not None else None
        self._group_members: dict[str, list[int]] | None = None
        if self.groups is not None:
            self._group_members = {}
            for number, group in enumerate(self.groups):
                self._group_members.setdefault(group, []).append(number)
        self.postings = _postings(self.documents)
        self.known = frozenset(self.labels)

    def __len__(self) -> int:
        return len(self.documents)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, pastes: Sequence[Counter[str]], labels: Sequence[str],
              groups: Sequence[str], info: dict[str, object] | None = None
              ) -> PrecedentIndex:
        """The index of labelled pastes (word counts as paste_words gives them), each with its
        label and its source group."""
        df: Counter[str] = Counter(word for counts in pastes for word in counts)
        vocabulary = words_of_many_groups(pastes, groups)
        total = len(pastes)
        idf = [math.log((1 + total) / (1 + df[word])) + 1.0 for word in vocabulary]
        label_names = sorted(set(labels))
        label_number = {label: number for number, label in enumerate(label_names)}
        number_of = {word: number for number, word in enumerate(vocabulary)}
        documents = []
        for counts, label in zip(pastes, labels, strict=True):
            vector = _vector(counts, number_of, idf)
            top = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]
            documents.append((label_number[label], [word for word, _ in top],
                              [round(weight, WEIGHT_DIGITS) for _, weight in top]))
        return cls(vocabulary, idf, label_names, documents, list(groups), info)

    # -- searching -------------------------------------------------------------------------

    def query(self, counts: Counter[str], exclude_group: str | None = None) -> Verdict:
        """The K nearest precedents' vote (precedents of `exclude_group` left out)."""
        if not self.documents:
            return EMPTY_VERDICT
        vector = _vector(counts, self.word_number, self.idf)
        if len(vector) < MIN_KNOWN_WORDS:
            return EMPTY_VERDICT
        found = [(self.postings[word], vector[word]) for word in sorted(vector)
                 if word in self.postings]  # a fixed order: the same sums in every process
        if not found:
            return Verdict({}, {}, self.known)
        similarity = np.bincount(
            np.concatenate([docs for (docs, _), _ in found]),
            np.concatenate([weights * value for (_, weights), value in found]),
            minlength=len(self.documents))
        if exclude_group is not None and self._group_members is not None:
            similarity[self._group_members.get(exclude_group, [])] = 0.0
        order = np.argsort(-similarity, kind="stable")[:NEIGHBOURS]
        order = order[similarity[order] >= MIN_SIMILARITY]
        if not len(order):
            return Verdict({}, {}, self.known)
        votes: dict[str, float] = {}
        counts_by_label: Counter[str] = Counter()
        for number in map(int, order):
            label = self.labels[int(self.doc_labels[number])]
            votes[label] = votes.get(label, 0.0) + float(similarity[number])
            counts_by_label[label] += 1
        # Shares of the vote, not its mass (summed similarity over NEIGHBOURS): with the mass,
        # grouped CV by file answered more unrelated pastes confidently (0.024 against 0.020).
        total = sum(votes.values())
        return Verdict({label: vote / total for label, vote in votes.items()},
                       dict(counts_by_label), self.known, float(similarity[order[0]]),
                       tuple(map(int, order)), vector, self)

    def word_pull(self, label: str, neighbours: Sequence[int], vector: dict[int, float]
                  ) -> dict[str, float]:
        """Per word: how much it adds to the similarity of the paste with the neighbours
        labelled `label` (which words made them alike)."""
        pull: dict[str, float] = {}
        for number in neighbours:
            doc_label, words, weights = self.documents[number]
            if self.labels[doc_label] != label:
                continue
            for word, weight in zip(words, weights, strict=True):
                if word in vector:
                    name = self.vocabulary[word]
                    pull[name] = pull.get(name, 0.0) + weight * vector[word]
        return pull

    # -- the file --------------------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        return {"format_version": FORMAT_VERSION, "kind": KIND,
                "settings": {"min_groups": MIN_GROUPS, "top_words": TOP_WORDS},
                "labels": self.labels, "vocabulary": self.vocabulary,
                "idf": [round(float(value), WEIGHT_DIGITS) for value in self.idf],
                "documents": [[label, list(words), list(weights)]
                              for label, words, weights in self.documents],
                **self.info}

    def top_words(self, label: str, count: int = 12) -> list[tuple[str, float]]:
        """The words that weigh most in the precedents of `label` (what the index learned)."""
        if label not in self.known:
            return []
        number = self.labels.index(label)
        summed: Counter[str] = Counter()
        for doc_label, words, weights in self.documents:
            if doc_label == number:
                for word, weight in zip(words, weights, strict=True):
                    summed[self.vocabulary[word]] += weight
        return [(word, round(weight, 2)) for word, weight in summed.most_common(count)]


def _postings(documents: Sequence[tuple[int, Sequence[int], Sequence[float]]]
              ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """word number -> (the documents holding it, ascending; its weight in each), as views into
    one sorted copy of every document's words: a loop over the 33,000 (document, word) pairs
    was most of the time to read the shipped index, once per process."""
    lengths = [len(words) for _, words, _ in documents]
    total = sum(lengths)
    words = np.fromiter(chain.from_iterable(words for _, words, _ in documents),
                        dtype=np.int64, count=total)
    weights = np.fromiter(chain.from_iterable(weights for _, _, weights in documents),
                          dtype=np.float64, count=total)
    order = np.argsort(words, kind="stable")  # each word's documents stay in their order
    words = words[order]
    docs = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)[order]
    weights = weights[order]
    if not total:
        return {}
    edges = [0, *(np.flatnonzero(np.diff(words)) + 1).tolist(), total]
    return {int(words[start]): (docs[start:end], weights[start:end])
            for start, end in pairwise(edges)}


def _vector(counts: Counter[str], number_of: dict[str, int], idf: Sequence[float] | np.ndarray
            ) -> dict[int, float]:
    """The L2-normalised TF-IDF vector (sublinear term frequency) of a paste's word counts."""
    # In a fixed order (a paste's words come from sets, whose order depends on the hash seed):
    # the norm's floating-point sum, and so every tie between precedents, is the same in
    # every process.
    vector = {number_of[word]: (1.0 + math.log(count)) * float(idf[number_of[word]])
              for word, count in sorted(counts.items()) if word in number_of}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {word: value / norm for word, value in vector.items()} if norm else {}


def index_from_json(data: object) -> PrecedentIndex:
    """The index in a parsed file; PrecedentFileError says what is wrong with it."""
    data = file_object(data, KIND, FORMAT_VERSION, PrecedentFileError)
    try:
        labels = [str(label) for label in data["labels"]]
        vocabulary = [str(word) for word in data["vocabulary"]]
        idf = [float(value) for value in data["idf"]]
        documents = [(int(label), [int(word) for word in words],
                      [float(weight) for weight in weights])
                     for label, words, weights in data["documents"]]
    except (KeyError, TypeError, ValueError) as error:
        raise PrecedentFileError(f"missing or malformed field: {error}") from error
    if len(idf) != len(vocabulary) or not all(math.isfinite(value) for value in idf):
        raise PrecedentFileError("idf must hold one finite number per vocabulary word")
    for label, words, weights in documents:
        if not 0 <= label < len(labels) or len(words) != len(weights) \
                or any(not 0 <= word < len(vocabulary) for word in words) \
                or not all(math.isfinite(weight) for weight in weights):
            raise PrecedentFileError("a document names a label or word the file does not have")
    known = {"format_version", "kind", "settings", "labels", "vocabulary", "idf", "documents"}
    info = {key: value for key, value in data.items() if key not in known}
    return PrecedentIndex(vocabulary, idf, labels, documents, info=info)


def read_index(path: Path) -> PrecedentIndex:
    return read_trained_file(path, index_from_json, PrecedentFileError)


def write_index(index: PrecedentIndex, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # One document per line: the file stays readable and its diffs small.
    data = index.to_json()
    documents = data.pop("documents")
    head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    rows = ",\n".join(json.dumps(row, separators=(",", ":")) for row in documents)  # type: ignore[attr-defined]
    path.write_text(head[:-1] + ',"documents":[\n' + rows + "\n]}\n", encoding="utf-8")


def unknown_labels(index: PrecedentIndex, entry_ids: Iterable[str]) -> list[str]:
    """Labels of the index that are neither `none` nor an entry of the knowledge base."""
    ids = set(entry_ids)
    return [label for label in index.labels if label != NONE_LABEL and label not in ids]


_shipped: dict[str, PrecedentIndex | None] = {}


def shipped_precedents() -> PrecedentIndex | None:
    """The index beside the KB, read once; None (and a warning) when it cannot be used: the
    matcher then works from its signatures alone, as before precedents existed."""
    key = str(precedents_path())
    if key not in _shipped:
        try:
            _shipped[key] = read_index(precedents_path())
        except PrecedentFileError as error:
            log.warning("precedents not used: %s", error)
            _shipped[key] = None
    return _shipped[key]
