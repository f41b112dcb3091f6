"""Is this paste from a setting the knowledge base answers? A paste-level classifier.

The entries' signatures recognise a symptom ("Readiness probe failed", a 502, exit 137); the
same symptom in another product or setting is labelled `none` (tests/eval/LABELS.md: other
vendors' hosted APIs, web apps outside Kubernetes, desktop apps, training jobs, feature
requests). What tells the two apart is the rest of the paste: the words around the error. Hand
lists (scope.py) name the products someone thought of; every fresh holdout brought others
(docs/eval.md, rounds 8 and 9). This model learns the setting from the labelled pastes:

- each paste is the set of its words and word pairs (letters only, lower case: ids, numbers
  and paths say nothing about the setting);
- a term counts only when pastes of at least MIN_GROUPS different source repositories use it
  (the rule of precedents.py's words, precedents.words_of_many_groups): a project's name or
  its paths never teach it anything;
- a logistic regression, strongly regularised (L2), predicts "the paste is one an entry
  answers" against `none`.

Its output is one feature of the decision model (features.context_none): the model learns how
much it weighs beside the evidence, and may only lower a probability with it. In
cross-validation and `kb train`, the value a training paste gets is out of fold (a model that
never saw its repository), like the precedents' vote, so the decision model never learns to
trust it more than a fresh paste can (crossval.with_context).

Stored as knowledge/_model/context.json (format version, the kept terms, their weights),
written by `kb train`, read once per process, checked by `kb check`; without it the feature is
NaN, which the decision model reads as its training mean (no evidence either way).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import numpy as np

from bot.matching.precedents import MIN_GROUPS, words_of_many_groups
from bot.matching.trained_files import file_object, read_trained_file
from bot.paths import project_folder

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KIND = "paste-context"
L2 = 1.0
MAX_CHARS = 20_000  # the setting shows early; a 40,000-character log says nothing more of it
STEPS = 400
_WORD = re.compile(r"[a-z][a-z_]{1,24}")


class ContextFileError(ValueError):
    pass


def context_path() -> Path:
    return project_folder("knowledge") / "_model" / "context.json"


def paste_terms(text: str) -> frozenset[str]:
    """The paste's words and pairs of neighbouring words."""
    words = _WORD.findall(text[:MAX_CHARS].lower())
    return frozenset([*words, *(f"{first} {second}" for first, second in pairwise(words))])


@dataclass(frozen=True)
class _Sparse:
    """Rows over a vocabulary as coordinate lists: presence, scaled to unit length per row (a
    long log does not outvote a short paste by its number of words)."""

    row: np.ndarray
    column: np.ndarray
    value: np.ndarray
    rows: int
    columns: int

    def times(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.row, weights=self.value * weights[self.column],
                           minlength=self.rows)

    def transposed_times(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.column, weights=self.value * values[self.row],
                           minlength=self.columns)


def _sparse(pastes: Sequence[frozenset[str]], number_of: dict[str, int]) -> _Sparse:
    row: list[int] = []
    column: list[int] = []
    value: list[float] = []
    for number, terms in enumerate(pastes):
        found = sorted(number_of[term] for term in terms if term in number_of)
        if not found:
            continue
        row += [number] * len(found)
        column += found
        value += [1.0 / math.sqrt(len(found))] * len(found)
    return _Sparse(np.asarray(row, dtype=np.int64), np.asarray(column, dtype=np.int64),
                   np.asarray(value), len(pastes), len(number_of))


@dataclass(frozen=True)
class ContextModel:
    vocabulary: tuple[str, ...]
    weights: np.ndarray  # one per word of the vocabulary
    bias: float
    info: dict[str, object] = field(default_factory=dict, compare=False)

    @cached_property
    def number_of(self) -> dict[str, int]:
        return {term: number for number, term in enumerate(self.vocabulary)}

    def answerable(self, pastes: Sequence[frozenset[str]]) -> np.ndarray:
        """Per paste, the probability that an entry answers it (not `none`)."""
        values = _sparse(pastes, self.number_of).times(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-values))

    def to_json(self) -> dict[str, object]:
        return {"format_version": FORMAT_VERSION, "kind": KIND,
                "settings": {"min_groups": MIN_GROUPS, "l2": L2, "max_chars": MAX_CHARS},
                "bias": round(self.bias, 6), "vocabulary": list(self.vocabulary),
                "weights": [round(float(w), 6) for w in self.weights], **self.info}


def fit_context(pastes: Sequence[frozenset[str]], answerable: Sequence[bool],
                groups: Sequence[str], l2: float | None = None) -> ContextModel:
    """The classifier of `pastes` (paste_terms), each from its source repository `groups`."""
    l2 = L2 if l2 is None else l2
    vocabulary = tuple(words_of_many_groups(pastes, groups))
    rows = _sparse(pastes, {term: number for number, term in enumerate(vocabulary)})
    weights, bias = _gradient_descent(rows, np.asarray(answerable, dtype=np.float64), l2)
    return ContextModel(vocabulary, weights, bias)


def _gradient_descent(rows: _Sparse, labels: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Mean log-loss + l2/2 |w|^2 / n by Nesterov's accelerated gradient: rows have unit
    length, so the loss is smooth with a known constant and a fixed step converges; a few
    hundred sparse products, no Hessian over thousands of words."""
    count = max(rows.rows, 1)
    step = 1.0 / (0.5 + l2 / count)
    weights, bias = np.zeros(rows.columns), 0.0
    previous, previous_bias = weights.copy(), 0.0
    for number in range(1, STEPS + 1):
        momentum = (number - 1) / (number + 2)
        look = weights + momentum * (weights - previous)
        look_bias = bias + momentum * (bias - previous_bias)
        residual = 1.0 / (1.0 + np.exp(-(rows.times(look) + look_bias))) - labels
        gradient = rows.transposed_times(residual) / count + l2 / count * look
        previous, previous_bias = weights, bias
        weights, bias = look - step * gradient, look_bias - step * float(residual.mean())
    return weights, bias


def context_from_json(data: object) -> ContextModel:
    data = file_object(data, KIND, FORMAT_VERSION, ContextFileError)
    try:
        vocabulary = tuple(str(term) for term in data["vocabulary"])
        weights = np.asarray([float(w) for w in data["weights"]])
        bias = float(data["bias"])
    except (KeyError, TypeError, ValueError) as error:
        raise ContextFileError(f"missing or malformed field: {error}") from error
    if len(vocabulary) != len(weights) or len(set(vocabulary)) != len(vocabulary) \
            or not np.all(np.isfinite(weights)) or not math.isfinite(bias):
        raise ContextFileError("the vocabulary must hold distinct words, one finite weight each")
    known = {"format_version", "kind", "settings", "bias", "vocabulary", "weights"}
    return ContextModel(vocabulary, weights, bias,
                        {k: v for k, v in data.items() if k not in known})


def read_context(path: Path) -> ContextModel:
    return read_trained_file(path, context_from_json, ContextFileError)


def write_context(model: ContextModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")


_shipped: dict[str, ContextModel | None] = {}


def shipped_context() -> ContextModel | None:
    """The model beside the KB, read once; None (and a warning) when it cannot be used: the
    feature is then NaN, no evidence either way."""
    key = str(context_path())
    if key not in _shipped:
        try:
            _shipped[key] = read_context(context_path())
        except ContextFileError as error:
            log.warning("paste context model not used: %s", error)
            _shipped[key] = None
    return _shipped[key]
