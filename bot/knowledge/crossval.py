"""Learn the decision from labelled pastes and measure it honestly: grouped cross-validation.

Folds are by SOURCE REPOSITORY (the `owner/name` of an item's GitHub `source` URL, the host of
any other URL, the word before the colon of a non-URL source such as `constructed: ...`):
pastes from one project's tracker share wordings, and a variant shares its parent's source, so
a variant never sits on both sides of a split.

- `train_model`: fits the logistic regression (logistic.py) on every item, and picks the tier
  thresholds on out-of-fold probabilities (each item judged by a model that never saw its
  repository), so the thresholds are held-out choices, not fitted ones.
- `cross_validate`: nested: for each outer fold, a model and its thresholds are learned from
  the other folds only (the thresholds on inner out-of-fold probabilities) and applied to the
  held-out fold. The figures it reports were never tuned on the items they judge.

Threshold rule (on out-of-fold probabilities of the first candidate), one budget for both
confident rules: confident_exact is the lowest threshold for exact matches (decision.EXACT_SCORE)
at which unrelated pastes are answered confidently at most CONFIDENT_ON_NONE_MAX and confident
answers are right at least CONFIDENT_PRECISION_MIN; confident is then the lowest threshold for
everything else at which both still hold, counting the confident answers of both rules together;
likely is the lowest threshold below them at which the likely band is right at least
LIKELY_PRECISION_MIN. Exact matches claim the budget first because they are the stronger
evidence: when the other rule went first, one partial-match look-alike the model rated very sure
(pip killed inside a docker build, p 0.99) used up the budget and the verbatim documented errors
came out "probably" (docs/eval.md, round 4). Either order keeps the two rules' confident answers
on unrelated pastes together within the one budget. Both aim a little
stricter than the issue's targets (<= 0.03, >= 0.85, >= 0.70): thresholds picked on one set are
slightly optimistic for the next. The share of unrelated pastes allowed is half the target
(0.015): on real pastes nobody here had seen, unrelated errors were answered confidently more
often than cross-validation predicted (issue 10: 5 % and 2 %), and a wrong confident answer costs
more than a tentative right one (docs/eval.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import numpy as np

from bot.knowledge.evaluation import NONE_LABEL, RANKED, Decided, EvalItem, EvalReport, summarise
from bot.matching.decision import (
    CONFIDENT_MIN_SCORE,
    EXACT_SCORE,
    TIER_UNKNOWN,
    ConfidenceModel,
)
from bot.matching.features import FEATURE_NAMES, FEATURE_SIGNS
from bot.matching.logistic import Fitted, fit
from bot.matching.matcher import Matcher

CONFIDENT_ON_NONE_MAX = 0.015
CONFIDENT_PRECISION_MIN = 0.85
LIKELY_PRECISION_MIN = 0.70
LIKELY_FLOOR = 0.15  # never call anything below this probability likely
DEFAULT_FOLDS = 5
SCORE_FEATURE = FEATURE_NAMES.index("score")


def source_group(item: EvalItem) -> str:
    """The repository an item came from (variants carry their parent's source)."""
    parsed = urlparse(item.source or "")
    parts = [part for part in parsed.path.split("/") if part]
    if parsed.netloc.lower() in ("github.com", "www.github.com") and len(parts) >= 2:
        return f"{parts[0]}/{parts[1]}".lower()
    if parsed.netloc:
        return parsed.netloc.lower()
    if item.source.strip():  # "constructed: ..." : one generator, one group
        return item.source.split(":")[0].strip().lower()
    return "item:" + item.id.split("~")[0]  # no source: the item and its variants


def grouped_folds(items: Sequence[EvalItem], folds: int) -> list[int]:
    """A fold number per item; whole repositories per fold, the largest placed first."""
    sizes: dict[str, int] = {}
    for item in items:
        sizes[source_group(item)] = sizes.get(source_group(item), 0) + 1
    load = [0] * folds
    fold_of: dict[str, int] = {}
    for group in sorted(sizes, key=lambda name: (-sizes[name], name)):
        target = min(range(folds), key=lambda fold: (load[fold], fold))
        fold_of[group] = target
        load[target] += sizes[group]
    return [fold_of[source_group(item)] for item in items]


@dataclass(frozen=True)
class Assessed:
    item: EvalItem
    candidates: tuple[str, ...]  # entry ids of the first features.CANDIDATES entries
    rest: tuple[str, ...]  # the entries ranked after them
    rows: np.ndarray  # one feature row per candidate
    labels: np.ndarray  # 1.0 where the candidate is the expected entry


def assess_all(items: Sequence[EvalItem], matcher: Matcher) -> list[Assessed]:
    """The matcher's view of every item (features do not depend on any model)."""
    out = []
    for item in items:
        assessed = matcher.assess(item.text)
        ids = [matcher.index.entry_ids[scored.entry] for scored in assessed.ranked[:RANKED]]
        count = len(assessed.rows)
        rows = np.asarray(assessed.rows, dtype=np.float64).reshape(count, len(FEATURE_NAMES))
        out.append(Assessed(item, tuple(ids[:count]), tuple(ids[count:]), rows,
                            np.asarray([float(i == item.expected) for i in ids[:count]])))
    return out


def _fit(data: Sequence[Assessed]) -> Fitted:
    # Every candidate is a training row (is this entry the right one?), not only the first:
    # what the runner-up looks like when the first is right teaches the margins.
    rows = np.vstack([a.rows for a in data if len(a.rows)])
    labels = np.concatenate([a.labels for a in data if len(a.rows)])
    return fit(rows, labels, signs=np.asarray(FEATURE_SIGNS))


def _out_of_fold(data: Sequence[Assessed], folds: int) -> list[np.ndarray]:
    fold_of = grouped_folds([a.item for a in data], folds)
    probabilities: list[np.ndarray] = [np.empty(0)] * len(data)
    for fold in range(folds):
        training = [a for a, f in zip(data, fold_of, strict=True) if f != fold]
        if not training:
            continue
        fitted = _fit(training)
        for position, (a, f) in enumerate(zip(data, fold_of, strict=True)):
            if f == fold and len(a.rows):
                probabilities[position] = fitted.probabilities(a.rows)
    return probabilities


def _is_exact(a: Assessed) -> bool:
    """The first candidate is an exact match (decision.EXACT_SCORE)."""
    return bool(len(a.rows)) and a.rows[0][SCORE_FEATURE] * 100.0 >= EXACT_SCORE


def _may_be_confident(a: Assessed) -> bool:
    """The first candidate scores at least the floor of decision.CONFIDENT_MIN_SCORE."""
    return bool(len(a.rows)) and a.rows[0][SCORE_FEATURE] * 100.0 >= CONFIDENT_MIN_SCORE


def pick_thresholds(data: Sequence[Assessed], probabilities: Sequence[np.ndarray]
                    ) -> tuple[float, float, float]:
    """(confident, likely, confident_exact) thresholds by the rule in the module docstring."""
    firsts = [(float(p[0]), a.candidates[0] == a.item.expected, a.item.expected == NONE_LABEL,
               _may_be_confident(a), _is_exact(a))
              for a, p in zip(data, probabilities, strict=True) if len(p)]
    unrelated = max(1, sum(1 for a in data if a.item.expected == NONE_LABEL))
    exact = sorted(((p, right, none) for p, right, none, _, is_exact in firsts if is_exact),
                   reverse=True)
    confident_exact, answered = _lowest_safe_threshold(exact, unrelated)
    # Everything the exact rule leaves (partial matches, and exact ones below its threshold,
    # which the general rule may still take) within what is left of the same budget.
    rest = sorted(((p, right, none) for p, right, none, floor, is_exact in firsts
                   if floor and not (is_exact and p >= confident_exact)), reverse=True)
    confident, _ = _lowest_safe_threshold(rest, unrelated, already=answered)
    # decision.ConfidenceModel keeps confident_exact <= confident: an exact match is confident
    # at whichever of the two it reaches first, and the scan above counted both.
    confident_exact = min(confident_exact, confident)
    likely = confident_exact
    # The likely band: every first candidate not confident by either rule.
    band = sorted(((p, is_right) for p, is_right, _, floor, is_exact in firsts
                   if not ((p >= confident and floor) or (is_exact and p >= confident_exact))),
                  reverse=True)
    right = 0
    for count, (p, is_right) in enumerate(band, start=1):
        right += is_right
        if count < len(band) and band[count][0] == p:
            continue
        if p >= LIKELY_FLOOR and right / count >= LIKELY_PRECISION_MIN:
            likely = p
    return float(confident), float(min(likely, confident_exact)), float(confident_exact)


def _lowest_safe_threshold(scored: Sequence[tuple[float, bool, bool]], unrelated: int, *,
                           already: tuple[int, int, int] = (0, 0, 0), ceiling: float = 0.999
                           ) -> tuple[float, tuple[int, int, int]]:
    """The lowest probability p such that answering everything in `scored` (sorted by
    probability, highest first) at or above p, with what is `already` answered (right, count,
    confident on unrelated), keeps confident answers on unrelated pastes within
    CONFIDENT_ON_NONE_MAX and their precision at least CONFIDENT_PRECISION_MIN; `ceiling`
    when there is none. Returns it and the totals at it."""
    right, count, wrong_none = already
    best = ceiling
    totals = already
    for seen, (p, is_right, is_none) in enumerate(scored, start=1):
        right += is_right
        wrong_none += is_none
        if seen < len(scored) and scored[seen][0] == p:
            continue  # a threshold takes every item of the same probability
        if p >= 0.5 and wrong_none / unrelated <= CONFIDENT_ON_NONE_MAX \
                and right / (count + seen) >= CONFIDENT_PRECISION_MIN:
            best, totals = p, (right, count + seen, wrong_none)
    return best, totals


def _decided(a: Assessed, probabilities: np.ndarray, confident: float, likely: float,
             confident_exact: float) -> Decided:
    tier = TIER_UNKNOWN
    if len(probabilities):
        model = ConfidenceModel(FEATURE_NAMES, np.zeros(0), np.ones(0), np.zeros(0), 0.0,
                                confident, likely, confident_exact=confident_exact)
        tier = model.tier(float(probabilities[0]), float(a.rows[0][SCORE_FEATURE]) * 100.0)
    return Decided(a.item.id, a.item.expected, a.candidates + a.rest, tier)


def cross_validate(items: Sequence[EvalItem], matcher: Matcher,
                   folds: int = DEFAULT_FOLDS) -> EvalReport:
    """Nested grouped cross-validation of the learned decision (see the module docstring)."""
    return cross_validate_assessed(assess_all(items, matcher), folds)


def cross_validate_assessed(data: Sequence[Assessed], folds: int) -> EvalReport:
    fold_of = grouped_folds([a.item for a in data], folds)
    decided: list[Decided] = []
    for fold in range(folds):
        training = [a for a, f in zip(data, fold_of, strict=True) if f != fold]
        held_out = [a for a, f in zip(data, fold_of, strict=True) if f == fold]
        if not training or not held_out:
            continue
        confident, likely, exact = pick_thresholds(training, _out_of_fold(training, folds - 1))
        fitted = _fit(training)
        for a in held_out:
            probabilities = fitted.probabilities(a.rows) if len(a.rows) else np.empty(0)
            decided.append(_decided(a, probabilities, confident, likely, exact))
    return summarise(decided)


def training_hash(items: Sequence[EvalItem]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda item: (item.id, item.text)):
        digest.update(json.dumps([item.id, item.text, item.expected], ensure_ascii=False)
                      .encode("utf-8"))
    return digest.hexdigest()


def train_model(items: Sequence[EvalItem], matcher: Matcher,
                folds: int = DEFAULT_FOLDS) -> tuple[ConfidenceModel, EvalReport]:
    """The model fitted on every item, thresholds from out-of-fold probabilities, and the
    nested cross-validation report of the same procedure."""
    data = assess_all(items, matcher)
    confident, likely, exact = pick_thresholds(data, _out_of_fold(data, folds))
    fitted = _fit(data)
    report = cross_validate_assessed(data, folds)
    info: dict[str, object] = {
        "training_items": len(items),
        "training_data_sha256": training_hash(items),
        "folds": folds,
        "entries": len(matcher.kb),
        "cross_validation": {key: round(float(getattr(report, key)), 4) for key in (
            "top1", "top3", "confident_precision", "likely_precision", "confident_on_none",
            "answered", "answered_or_likely")},
    }
    model = ConfidenceModel(FEATURE_NAMES, fitted.mean, fitted.scale, fitted.weights,
                            fitted.bias, confident, likely, info, exact)
    return model, report
