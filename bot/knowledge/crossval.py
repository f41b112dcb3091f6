"""Learn the decision from labelled pastes and measure it honestly: grouped cross-validation.

Folds are by SOURCE REPOSITORY (the `owner/name` of an item's GitHub `source` URL, the host of
any other URL, the word before the colon of a non-URL source such as `constructed: ...`):
pastes from one project's tracker share wordings, and a variant shares its parent's source, so
a variant never sits on both sides of a split.

- `train_model`: fits the logistic regression (logistic.py) on every item, twice: the full
  model and the own-evidence model (the precedent features left out), which decides the
  confident tier (decision.py); and picks the tier thresholds on out-of-fold probabilities
  (each item judged by models that never saw its repository): the two confident thresholds on
  the own-evidence model's, the likely one on the full model's. They are held-out choices, not
  fitted ones.
- `cross_validated_decisions`: nested: for each outer fold, a model and its thresholds are
  learned from the other folds only (the thresholds on inner out-of-fold probabilities) and
  applied to the held-out fold. The figures made from its decisions were never tuned on the
  items they judge.

Threshold rule (on out-of-fold probabilities of the first candidate), one budget for both
confident rules. From round 11 (EXACT_MARGIN): confident is the lowest threshold at which the
pastes it makes confident, with exact matches at confident_exact = confident less EXACT_MARGIN
logits, keep unrelated pastes answered at most CONFIDENT_ON_NONE_MAX and confident answers
right at least CONFIDENT_PRECISION_MIN: one number, set where the evidence is dense, so the
exact threshold no longer lands on whichever exact match a partition put lowest
(_confident_pair). The likely threshold follows as below (on time-ordered probabilities with
LIKELY_ON_TIME, measured and not shipped). Before round 11 (EXACT_MARGIN None): confident_exact
is the lowest threshold for exact
matches (decision.EXACT_SCORE) at which unrelated pastes are answered confidently at most
CONFIDENT_ON_NONE_MAX and confident answers are right at least CONFIDENT_PRECISION_MIN;
confident is then the lowest threshold for everything else at which both still hold, counting
the confident answers of both rules together; likely is the lowest threshold below them at
which the likely band is right at least LIKELY_PRECISION_MIN. Exact matches claimed the budget
first because they are the stronger evidence: when the other rule went first, one partial-match
look-alike the model rated very sure (pip killed inside a docker build, p 0.99) used up the
budget and the verbatim documented errors came out "probably" (docs/eval.md, round 4); that is
the cost of tying the two thresholds (a very sure look-alike raises both), measured in round 11
as no loss on the pool or the time split. Either order keeps the two rules' confident answers
on unrelated pastes together within the one budget.

"Holds", for the two confident rules, means holds with a margin that comes from the data: each
figure must clear the issue's target (<= 0.03 unrelated, >= 0.85 confident right) at its one-sided
BOUND_LEVEL bound over a grouped bootstrap, not as a point estimate. A point estimate picked
just at the target on ~150 pastes is as likely to fall under it on the next set as not, and
every fresh holdout did (docs/eval.md). The bootstrap resamples SOURCE GROUPS, not pastes: a
variant and its parent, and pastes of one tracker, are not independent evidence, and a fresh
set differs from this one by being other repositories; a Wilson interval over pastes would
count each variant as new evidence and give too narrow a margin. The margin shrinks as the set
grows and widens where the evidence is thin, which a fixed stricter target (the 0.015 used
before) cannot do. The likely band's target (>= 0.70 right) holds on the point estimate: the
margin bought it almost nothing on fresh sets and hid right tentative answers
(_lowest_precise_threshold). Constructed cases train the model but never set a threshold
(_firsts).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

import numpy as np

from bot.knowledge.evaluation import (
    NONE_LABEL,
    RANKED,
    Decided,
    EvalItem,
    EvalReport,
    summarise_by_kind,
)
from bot.matching.context import ContextModel, fit_context
from bot.matching.decision import (
    BUILD_NOT_SHOWN_COLUMN,
    CONFIDENT_MIN_SCORE,
    EXACT_SCORE,
    INIT_CONTAINER_COLUMN,
    PROPOSES_COLUMN,
    TIER_UNKNOWN,
    ConfidenceModel,
    may_be_likely,
    may_be_probable,
    may_be_sure,
)
from bot.matching.features import (
    CONTEXT_COLUMN,
    FEATURE_NAMES,
    FEATURE_SIGNS,
    OWN_FEATURE_SIGNS,
    PRECEDENT_COLUMN,
)
from bot.matching.logistic import Fitted, fit
from bot.matching.matcher import Assessment, Matcher, Survey
from bot.matching.precedents import EMPTY_VERDICT, PrecedentIndex

CONFIDENT_ON_NONE_MAX = 0.03
CONFIDENT_PRECISION_MIN = 0.85
LIKELY_PRECISION_MIN = 0.70
BOUND_LEVEL = 0.95  # one-sided: a target is met when it holds in 95 % of the replicates
BOOTSTRAP_REPLICATES = 400
BOOTSTRAP_SEED = 20261130
LIKELY_FLOOR = 0.15  # never call anything below this probability likely
DEFAULT_FOLDS = 5
# Learn precedents (bot/matching/precedents.py) inside every fold. False: the matcher's
# signatures alone, for a before/after comparison in one process.
USE_PRECEDENTS = True
# The confident tier reads the own-evidence model (decision.py). False: the full model decides
# every tier, as before round 8, for a before/after comparison in one process.
CONFIDENT_ON_OWN_EVIDENCE = True
# The own-evidence model learns from and reads the paste's own candidates only (Assessed.own,
# round 10). False: the candidates the precedents added too, as in rounds 8 and 9, for a
# before/after comparison in one process.
OWN_CANDIDATES_ONLY = True
# A death-only line with no deployment around it is never confident (decision.may_be_sure).
# False: as in round 9, for a before/after comparison in one process.
DEATH_NEEDS_SERVING = True
# Round 12: a paste that asks for something (a feature, a way, documentation) and shows no
# failure line is never "probably" (nor sure of) a diagnosis (decision.may_be_probable); such
# pastes neither spend nor set any threshold. False: as before round 12, for a before/after
# comparison in one process.
ASKS_NOT_PROBABLE = True
# ... and such first candidates are left out of the pastes the thresholds are picked on (they
# can be neither confident nor likely). False: they still count where the thresholds are
# picked, as if the rule did not exist, and only the decision applies it.
ASKS_OUT_OF_THRESHOLDS = True
# Round 16 (hedge17): a first candidate only the paste's hedged words put first ("could this
# be OOM?", "메모리 문제인지 모르겠어요": hedges.py, Assessment.hedged) is never "probably" nor
# sure, and sets no threshold (as ASKS_NOT_PROBABLE). False: as before round 16, for a
# before/after comparison in one process.
HEDGES_NOT_PROBABLE = True
# Round 16: a proposal's first candidate (decision.may_be_sure, features.proposes) still counts
# where the thresholds are picked, as if the rule did not exist, so the pastes the rule holds
# back do not free the confident budget for other look-alikes (measured: pool 19 -> 18
# unrelated pastes sure, holdout 10 out of fold 2 -> 1, the time split unchanged; docs/eval.md,
# "Round 16, none17"). True: left out like the other never-sure pastes (round 15's rules).
PROPOSALS_OUT_OF_THRESHOLDS = False
# Round 17 (podfate19): a paste that writes about a failure (asking.writes_about) or whose
# container runs where the entries' fixes do not reach (scope.runs_elsewhere) is never sure.
# Not a feature, so the model is as without the rule; and its first candidate still counts
# where the thresholds are picked (HELD_BACK_OUT_OF_THRESHOLDS False), so the pastes the rule
# holds back do not free the confident budget for other look-alikes. HELD_BACK_NOT_SURE False:
# as before round 17, for a before/after comparison in one process.
HELD_BACK_NOT_SURE = True
HELD_BACK_OUT_OF_THRESHOLDS = False
# Round 18 (build20): an image-build first candidate held back from "probably" (builds.reading,
# decision.may_be_likely) still counts where the likely threshold is picked, as if the rule
# did not hold it (_likely_counted). True: left out of the band, as likely19's rule is.
BUILD_RULE_IN_THRESHOLDS = False
# ... and the full model does not learn the column (weight 0): the rule alone holds the
# first candidate back, and every fold's model is the one it would be without it. True: the
# column is a feature like request_without_model.
BUILD_RULE_LEARNED = False
# Learn the paste-context model (bot/matching/context.py) inside every fold. False: its feature
# stays NaN (no evidence either way), for a before/after comparison in one process.
USE_CONTEXT = True
SCORE_FEATURE = FEATURE_NAMES.index("score")
# Round 15 (ctx16): the paste-context model learns from the pastes whose first candidate the
# paste itself found with at least this score (0-100): the ones its feature can keep from
# "probably". A paste with no lead (a question with no error words, another product's log that
# matched nothing) is told from an answerable one by words the likely band never shows, and
# spent the model's weights on them. Time split likely .600 -> .626 (75 -> 77 right, 40 -> 36
# unrelated), pool CV .706 -> .711 (393 -> 403 right); docs/eval.md, round 15, ctx16.
CONTEXT_MIN_LEAD = 30.0
# Round 11: pick the likely threshold on time-ordered scores (time_ordered: each file judged by
# a model of the files collected before it), how a new stack's paste meets the model, instead
# of grouped folds, which mix every collection round. Measured, not shipped (docs/eval.md,
# round 11): the time split's "probably" gets more precise (0.556 -> 0.642) but 14 of its right
# ones and 78 of the pool's go unshown; the team's call, one switch and a retrain.
LIKELY_ON_TIME = False
# Round 11: the exact-match threshold is the general confident threshold less this many logits,
# both picked together on one budget (_confident_pair), instead of its own scan, which landed
# on whichever of the five or six lowest exact matches the partition put lowest (0.50 - 0.70 on
# the same data). None: its own scan, as before round 11.
EXACT_MARGIN: float | None = 2.0
# Which way each feature may push the own-evidence model (features.OWN_FEATURE_SIGNS; a
# variable so that a measurement can try others in one process).
OWN_SIGNS: tuple[int, ...] = OWN_FEATURE_SIGNS


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


def grouped_folds(items: Sequence[EvalItem], folds: int, seed: int | None = None) -> list[int]:
    """A fold number per item; whole repositories per fold, the largest placed first (with a
    `seed`, in a shuffled order instead: another partition of the same repositories, for
    repeated cross-validation), each into the fold holding the fewest items so far."""
    sizes: dict[str, int] = {}
    for item in items:
        sizes[source_group(item)] = sizes.get(source_group(item), 0) + 1
    load = [0] * folds
    fold_of: dict[str, int] = {}
    groups = sorted(sizes, key=lambda name: (-sizes[name], name))
    if seed is not None:
        groups = [groups[i] for i in np.random.default_rng(seed).permutation(len(groups))]
    for group in groups:
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
    # What the matcher found without precedents, and the matcher: each fold asks its own
    # precedents about the item again (with_precedents) without scoring it again.
    survey: Survey | None = field(default=None, compare=False, repr=False)
    matcher: Matcher | None = field(default=None, compare=False, repr=False)
    # The first candidate was found in the paste itself, not only by precedents: only such a
    # candidate may be likely (decision.ConfidenceModel.tier).
    first_in_paste: bool = True
    # The rows and labels of the paste's OWN candidates (Assessment.own_rows: the survey's
    # ranking, no candidate only the precedents found), which the own-evidence model learns
    # from and reads. None: the same as `rows` and `labels`.
    own_rows: np.ndarray | None = None
    own_labels: np.ndarray | None = None
    asks: bool = False  # Assessment.asks: the paste asks for something, no failure shown
    # Assessment.hedged: only the paste's hedged words put its first candidate first.
    hedged: bool = False
    # Assessment.held_back: the paste writes about a failure or runs where the fixes do not
    # reach; its first candidate is never sure (HELD_BACK_OUT_OF_THRESHOLDS).
    held_back: bool = False

    @property
    def own(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows, labels) the own-evidence model learns from and reads."""
        if self.own_rows is None or self.own_labels is None or not OWN_CANDIDATES_ONLY:
            return self.rows, self.labels
        return self.own_rows, self.own_labels


def _assessed(item: EvalItem, assessment: Assessment, matcher: Matcher,
              survey: Survey | None) -> Assessed:
    ids = [matcher.index.entry_ids[scored.entry] for scored in assessment.ranked[:RANKED]]
    rows, labels = _rows_and_labels(assessment.rows, ids, item.expected)
    own_rows, own_labels = (None, None) if survey is None else _rows_and_labels(
        survey.rows, [matcher.index.entry_ids[scored.entry] for scored in survey.ranked],
        item.expected)
    return Assessed(item, tuple(ids[:len(rows)]), tuple(ids[len(rows):]), rows, labels, survey,
                    matcher, assessment.first_in_paste(), own_rows, own_labels,
                    assessment.asks, assessment.hedged if HEDGES_NOT_PROBABLE else False,
                    assessment.held_back and HELD_BACK_NOT_SURE)


def _rows_and_labels(rows: list[list[float]], ids: Sequence[str], expected: str
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows as an array, and 1.0 for each whose candidate (`ids`, same order) is the
    `expected` entry."""
    count = len(rows)
    return (np.asarray(rows, dtype=np.float64).reshape(count, len(FEATURE_NAMES)),
            np.asarray([float(i == expected) for i in ids[:count]]))


def assess_all(items: Sequence[EvalItem], matcher: Matcher, *,
               precedents: bool = True) -> list[Assessed]:
    """The matcher's view of every item (features do not depend on any model), with the
    precedents of every other repository's items (teach_precedents, with_precedents);
    `precedents=False` leaves them out, for a caller that asks each fold's own (nested_folds)."""
    data = []
    for item in items:
        survey = matcher.survey(item.text)
        data.append(_assessed(item, matcher.conclude(survey, EMPTY_VERDICT), matcher, survey))
    return with_precedents(data, teach_precedents(data)) if precedents else data


def teach_precedents(data: Sequence[Assessed]) -> PrecedentIndex | None:
    """The precedent index of `data`'s items (None when precedents are off or nothing has
    a survey)."""
    usable = [a for a in data if a.survey is not None]
    if not USE_PRECEDENTS or not usable:
        return None
    return PrecedentIndex.build([a.survey.words for a in usable if a.survey is not None],
                                [a.item.expected for a in usable],
                                [source_group(a.item) for a in usable])


def with_precedents(data: Sequence[Assessed], precedents: PrecedentIndex | None
                    ) -> list[Assessed]:
    """`data` judged again with `precedents`, each item by the precedents of OTHER source
    repositories only: a training item's own repository (its variants, its tracker's other
    pastes) would vote for its label and teach the decision model to trust precedents more
    than a fresh repository's paste ever can; a held-out item's repository is not in the
    index anyway."""
    out = []
    for a in data:
        if a.survey is None or a.matcher is None:
            out.append(a)
            continue
        verdict = precedents.query(a.survey.words, exclude_group=source_group(a.item)) \
            if precedents is not None else EMPTY_VERDICT
        out.append(_assessed(a.item, a.matcher.conclude(a.survey, verdict), a.matcher,
                             a.survey))
    return out


def teach_context(data: Sequence[Assessed]) -> ContextModel | None:
    """The paste-context model of `data`'s public pastes (None when it is off or there are
    none of both kinds). Constructed cases are left out: all answerable and all in the
    server's own words, they would teach it the generator's vocabulary. Pastes without a
    lead of their own (_has_lead) too: what tells them from an answerable paste is not what the
    likely band needs told."""
    usable = [a for a in data if a.survey is not None and not a.item.constructed
              and _has_lead(a)]
    labels = [a.item.expected != NONE_LABEL for a in usable]
    if not USE_CONTEXT or not any(labels) or all(labels):
        return None
    return fit_context([a.survey.terms for a in usable if a.survey is not None], labels,
                       [source_group(a.item) for a in usable])


def _has_lead(a: Assessed) -> bool:
    """The paste's own first candidate scores at least CONTEXT_MIN_LEAD (teach_context)."""
    return bool(len(a.rows)) and a.first_in_paste \
        and float(a.rows[0][SCORE_FEATURE]) * 100.0 >= CONTEXT_MIN_LEAD


def with_context(data: Sequence[Assessed], model: ContextModel | None,
                 folds: int | None = None) -> list[Assessed]:
    """`data` with the context feature from `model` or, given `folds`, out of fold: each item
    by a context model learned from the other grouped folds (never its own repository), so
    the decision model learns what the feature is worth on pastes it was not fitted on."""
    values = np.full(len(data), np.nan)
    if folds is not None:
        fold_of = grouped_folds([a.item for a in data], folds)
        for fold in range(folds):
            inside = [i for i, f in enumerate(fold_of) if f == fold]
            learned = teach_context([a for a, f in zip(data, fold_of, strict=True) if f != fold])
            if learned is not None and inside:
                values[inside] = _context_none(learned, [data[i] for i in inside])
    elif model is not None:
        values = _context_none(model, data)
    out = []
    for a, value in zip(data, values, strict=True):
        rows = a.rows.copy()
        if len(rows):
            rows[:, CONTEXT_COLUMN] = value
        out.append(replace(a, rows=rows))
    return out


def _context_none(model: ContextModel, data: Sequence[Assessed]) -> np.ndarray:
    terms = [a.survey.terms if a.survey is not None else frozenset() for a in data]
    return 1.0 - model.answerable(terms)


def _fit(data: Sequence[Assessed]) -> Fitted:
    # Every candidate is a training row (is this entry the right one?), not only the first:
    # what the runner-up looks like when the first is right teaches the margins.
    rows = np.vstack([a.rows for a in data if len(a.rows)])
    labels = np.concatenate([a.labels for a in data if len(a.rows)])
    if not BUILD_RULE_LEARNED and rows.shape[1] > BUILD_NOT_SHOWN_COLUMN:
        # A column of zeros: weight 0, so the rule decides and the model is as without it.
        rows = rows.copy()
        rows[:, BUILD_NOT_SHOWN_COLUMN] = 0.0
    return fit(rows, labels, signs=np.asarray(FEATURE_SIGNS))


def _fit_own(data: Sequence[Assessed], full: Fitted) -> Fitted:
    """The own-evidence model: the paste's own candidates (Assessed.own) without the features
    learned from labelled pastes, as a model over every feature in `full`'s standardisation
    (the model file keeps one) with weight 0 on the learned features. The full model itself
    when the rule is off."""
    if not CONFIDENT_ON_OWN_EVIDENCE:
        return full
    pairs = [a.own for a in data if len(a.own[0])]
    rows = np.vstack([rows for rows, _ in pairs])[:, :PRECEDENT_COLUMN]
    labels = np.concatenate([labels for _, labels in pairs])
    own = fit(rows, labels, signs=np.asarray(OWN_SIGNS))
    return _restandardised(own, full.mean, full.scale)


def _restandardised(own: Fitted, mean: np.ndarray, scale: np.ndarray) -> Fitted:
    """`own` (fitted over the first columns, in its own standardisation) as the same function
    of the raw features over every column in (`mean`, `scale`): the own-evidence rows are
    not the full model's (no precedent-only candidate), so their means and spreads differ."""
    width = len(own.weights)
    weights = np.zeros(len(mean))
    weights[:width] = own.weights * scale[:width] / own.scale
    bias = own.bias + float(np.sum(own.weights * (mean[:width] - own.mean) / own.scale))
    return Fitted(mean, scale, weights, bias)


@dataclass(frozen=True)
class Probabilities:
    """Per item, each candidate's probability from the full model (`full`: the likely tier)
    and from the own-evidence model (`own`: the confident tier)."""

    full: list[np.ndarray]
    own: list[np.ndarray]


@dataclass(frozen=True)
class TimeOrdered:
    """As Probabilities, from models of the earlier files only (time_ordered); None for a
    paste that no earlier file judges."""

    full: list[np.ndarray | None]
    own: list[np.ndarray | None]


def _fit_both(data: Sequence[Assessed]) -> tuple[Fitted, Fitted]:
    full = _fit(data)
    return full, _fit_own(data, full)


def _out_of_fold(data: Sequence[Assessed], folds: int) -> Probabilities:
    fold_of = grouped_folds([a.item for a in data], folds)
    full: list[np.ndarray] = [np.empty(0)] * len(data)
    own: list[np.ndarray] = [np.empty(0)] * len(data)
    for fold in range(folds):
        training = [a for a, f in zip(data, fold_of, strict=True) if f != fold]
        if not training:
            continue
        fitted, fitted_own = _fit_both(training)
        for position, (a, f) in enumerate(zip(data, fold_of, strict=True)):
            if f == fold and len(a.rows):
                full[position] = fitted.probabilities(a.rows)
                own[position] = _own_probabilities(fitted_own, a)
    return Probabilities(full, own)


def time_ordered(data: Sequence[Assessed]) -> TimeOrdered:
    """Each paste scored by models fitted on the files collected before its own (the order
    the files first appear in `data`, which is the order they were read: collection order),
    as a fresh file is met; the pastes of the first file, which nothing earlier judges, get
    None."""
    files = list(dict.fromkeys(a.item.origin for a in data))
    full: list[np.ndarray | None] = [None] * len(data)
    own: list[np.ndarray | None] = [None] * len(data)
    for rank, name in enumerate(files[1:], start=1):
        earlier = set(files[:rank])
        training = [a for a in data if a.item.origin in earlier]
        if not any(len(a.rows) for a in training):
            continue
        fitted, fitted_own = _fit_both(training)
        for position, a in enumerate(data):
            if a.item.origin == name:
                full[position] = fitted.probabilities(a.rows) if len(a.rows) else np.empty(0)
                own[position] = _own_probabilities(fitted_own, a) if len(a.rows) \
                    else np.empty(0)
    return TimeOrdered(full, own)


def _fresh(data: Sequence[Assessed]) -> TimeOrdered | None:
    """What picks the likely threshold besides grouped folds: time_ordered with LIKELY_ON_TIME."""
    return time_ordered(data) if LIKELY_ON_TIME else None


def _own_probabilities(fitted_own: Fitted, a: Assessed) -> np.ndarray:
    """The own-evidence model's probabilities of the paste's own candidates; only the first
    is read (its tier), and only when it is also the first of `a.rows` (in the paste)."""
    rows = a.own[0]
    return fitted_own.probabilities(rows) if len(rows) else np.zeros(1)


def _is_exact(a: Assessed) -> bool:
    """The first candidate is an exact match (decision.EXACT_SCORE) that may be sure."""
    return _sure_for_thresholds(a) and a.rows[0][SCORE_FEATURE] * 100.0 >= EXACT_SCORE


def _may_be_confident(a: Assessed) -> bool:
    """The first candidate scores at least the floor of decision.CONFIDENT_MIN_SCORE and may
    be sure."""
    return _sure_for_thresholds(a) and a.rows[0][SCORE_FEATURE] * 100.0 >= CONFIDENT_MIN_SCORE


def _without_proposal(a: Assessed) -> Assessed:
    """`a` as the thresholds see it: a proposal's first candidate counts as if the rule did
    not hold it back (PROPOSALS_OUT_OF_THRESHOLDS False); its decision still applies the rule."""
    # Round 17: an init container's deciding line (decision._init_columns) likewise.
    columns = [column for column in (PROPOSES_COLUMN, INIT_CONTAINER_COLUMN)
               if len(a.rows) and a.rows[0][column] > 0.5]
    if PROPOSALS_OUT_OF_THRESHOLDS or not columns:
        return a
    rows = np.array(a.rows, dtype=float)
    rows[0, columns] = 0.0
    return replace(a, rows=rows)


def _as_without_rules(a: Assessed) -> Assessed:
    """`a` as the thresholds see it: a proposal's and a held-back paste's first candidate count
    as if their rules did not hold them back (PROPOSALS_OUT_OF_THRESHOLDS,
    HELD_BACK_OUT_OF_THRESHOLDS False); their decisions still apply the rules."""
    counted = _without_proposal(a)
    if not HELD_BACK_OUT_OF_THRESHOLDS and counted.held_back:
        counted = replace(counted, held_back=False)
    return counted


def _likely_counted(row: np.ndarray) -> np.ndarray:
    """A first candidate's row as the likely threshold sees it: with BUILD_RULE_IN_THRESHOLDS
    False, a build held back by builds.reading counts as if the rule did not hold it (round 18,
    build20), so the rule removes wrong "probably" answers instead of buying a lower likely
    threshold; the decision still applies it."""
    if BUILD_RULE_IN_THRESHOLDS or len(row) <= BUILD_NOT_SHOWN_COLUMN \
            or row[BUILD_NOT_SHOWN_COLUMN] < 0.5:
        return row
    counted = np.array(row, dtype=float)
    counted[BUILD_NOT_SHOWN_COLUMN] = 0.0
    return counted


def _sure_for_thresholds(a: Assessed) -> bool:
    return _may_be_sure(_as_without_rules(a))


def _may_be_sure(a: Assessed) -> bool:
    """The first candidate's evidence allows the confident tier (decision.may_be_sure, and
    _may_be_probable): what can never be confident never spends the confident budget, nor
    sets its thresholds."""
    return bool(len(a.rows)) and (not DEATH_NEEDS_SERVING or may_be_sure(a.rows[0])) \
        and not a.held_back and _counts_for_thresholds(a)


def _counts_for_thresholds(a: Assessed) -> bool:
    return not ASKS_OUT_OF_THRESHOLDS or _may_be_probable(a)


def _may_be_probable(a: Assessed) -> bool:
    """The first candidate may be likely or confident at all (decision.may_be_probable): not
    a diagnosis for a paste that asks for something. Such a first candidate is in no band a
    threshold is picked on."""
    return not len(a.rows) or (
        (not ASKS_NOT_PROBABLE or may_be_probable(a.rows[0], a.asks, a.held_back))
        and not a.hedged)


def replicate_weights(groups: Sequence[str], replicates: int | None = None,
                      seed: int | None = None) -> np.ndarray:
    """(1 + replicates) x len(groups) weights: row 0 counts every item once (the point
    estimate); each other row is one grouped bootstrap replicate, in which every source group
    is drawn as often as a draw with replacement of as many groups as there are picks it, and
    each of its items counts that many times. Fixed seed: the same data, the same thresholds."""
    replicates = BOOTSTRAP_REPLICATES if replicates is None else replicates
    seed = BOOTSTRAP_SEED if seed is None else seed
    names = sorted(set(groups))
    if not names:
        return np.ones((1, 0))
    column = {name: position for position, name in enumerate(names)}
    draws = np.random.default_rng(seed).multinomial(
        len(names), np.full(len(names), 1.0 / len(names)), size=replicates)
    weights = draws[:, [column[group] for group in groups]].astype(np.float64)
    return np.vstack([np.ones((1, len(groups))), weights])


@dataclass(frozen=True)
class _Firsts:
    """The first candidate of every public paste, in the arrays the threshold scans read."""

    p: np.ndarray  # its out-of-fold probability (-1 when the matcher found no candidate)
    right: np.ndarray  # it is the expected entry
    none: np.ndarray  # the paste is labelled none
    floor: np.ndarray  # it scores at least CONFIDENT_MIN_SCORE
    # The paste's own words found it (not only precedents) and it may be "probably" the answer
    # (_may_be_probable): the pastes the likely band is picked on.
    probable: np.ndarray
    exact: np.ndarray  # it is an exact match
    weights: np.ndarray  # replicate_weights of the pastes' source groups
    unrelated: np.ndarray  # per replicate: the weight of all pastes labelled none


def _firsts(data: Sequence[Assessed], probabilities: Sequence[np.ndarray | None]) -> _Firsts:
    # Constructed cases teach the model (_fit) but never set a threshold: they are easy by
    # construction, and thresholds must hold on the pastes people write (evaluation.py).
    # None: the paste has no out-of-fold score at all (the first file of a time-ordered scan,
    # which no earlier file judges): it neither answers nor counts among the pastes judged.
    chosen = [(a, p) for a, p in zip(data, probabilities, strict=True)
              if not a.item.constructed and p is not None]
    has = [bool(len(p)) for _, p in chosen]
    weights = replicate_weights([source_group(a.item) for a, _ in chosen])
    none = np.asarray([a.item.expected == NONE_LABEL for a, _ in chosen], dtype=bool)
    return _Firsts(
        p=np.asarray([float(p[0]) if ok else -1.0 for (_, p), ok in zip(chosen, has, strict=True)]),
        right=np.asarray([ok and a.candidates[0] == a.item.expected
                          for (a, _), ok in zip(chosen, has, strict=True)], dtype=bool),
        none=none,
        floor=np.asarray([_may_be_confident(a) for a, _ in chosen], dtype=bool),
        probable=np.asarray([a.first_in_paste and _counts_for_thresholds(_as_without_rules(a))
                             and (not len(a.rows) or may_be_likely(_likely_counted(a.rows[0])))
                             for a, _ in chosen], dtype=bool),
        exact=np.asarray([_is_exact(a) for a, _ in chosen], dtype=bool),
        weights=weights,
        unrelated=weights[:, none].sum(axis=1),
    )


def pick_thresholds(data: Sequence[Assessed], probabilities: Sequence[np.ndarray | None],
                    own: Sequence[np.ndarray | None] | None = None,
                    fresh: TimeOrdered | None = None) -> tuple[float, float, float]:
    """(confident, likely, confident_exact) thresholds by the rule in the module docstring:
    the confident ones on the `own`-evidence model's probabilities (the full model's when not
    given), the likely one on the full model's `probabilities`, or on `fresh` ones, the same
    models' time-ordered probabilities (time_ordered), when given."""
    firsts = _firsts(data, probabilities if own is None else own)
    confident, confident_exact = _confident_thresholds(firsts)
    # The likely band: every first candidate not confident by either rule, on the scores it
    # is picked on.
    if fresh is not None:
        firsts = _firsts(data, fresh.own)
        full = _firsts(data, fresh.full)
    else:
        full = firsts if own is None else _firsts(data, probabilities)
    is_confident = (firsts.floor & (firsts.p >= confident)) \
        | (firsts.exact & (firsts.p >= confident_exact))
    likely = _lowest_precise_threshold(full, (full.p >= 0.0) & ~is_confident & full.probable,
                                       confident_exact)
    return float(confident), float(min(likely, confident_exact)), float(confident_exact)


def _confident_thresholds(firsts: _Firsts) -> tuple[float, float]:
    """(confident, confident_exact): with EXACT_MARGIN, the pair _confident_pair picks; else
    exact matches claim the budget first with their own scan, the general rule gets the rest."""
    answerable = firsts.p >= 0.0
    if EXACT_MARGIN is not None:
        return _confident_pair(firsts, EXACT_MARGIN)
    confident_exact, answered = _lowest_safe_threshold(firsts, answerable & firsts.exact)
    # Everything the exact rule leaves (partial matches, and exact ones below its threshold,
    # which the general rule may still take) within what is left of the same budget.
    taken = firsts.exact & (firsts.p >= confident_exact)
    confident, _ = _lowest_safe_threshold(firsts, answerable & firsts.floor & ~taken,
                                          already=answered)
    # decision.ConfidenceModel keeps confident_exact <= confident: an exact match is confident
    # at whichever of the two it reaches first, and the scan above counted both.
    return confident, min(confident_exact, confident)


def exact_below(confident: float | np.ndarray, margin: float) -> np.ndarray:
    """The exact-match threshold that goes with a confident threshold: `margin` logits lower,
    never under 0.5 (what no confident rule goes below)."""
    return np.maximum(1.0 / (1.0 + np.exp(-(_logit(confident) - margin))), 0.5)


def _logit(p: float | np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1.0 - 1e-9)
    return np.log(p / (1.0 - p))


def _confident_pair(firsts: _Firsts, margin: float, ceiling: float = 0.999
                    ) -> tuple[float, float]:
    """The lowest confident threshold c, with the exact one `margin` logits below it
    (exact_below), at which every first candidate the two make confident together keeps the
    bounds of _lowest_safe_threshold (one budget, as before). One number is picked, on every
    paste either rule can take; the exact threshold follows it instead of resting on the
    lowest few exact matches."""
    answerable = firsts.p >= 0.0
    general = answerable & firsts.floor
    exact = answerable & firsts.exact
    # Where the answered set changes: a paste's own p, or the c that puts an exact match's p
    # exactly `margin` logits below it.
    lifted = 1.0 / (1.0 + np.exp(-(_logit(firsts.p[exact]) + margin)))
    candidates = np.unique(np.concatenate([firsts.p[general], lifted, [ceiling]]))
    candidates = candidates[(candidates >= 0.5) & (candidates <= ceiling)]
    below = exact_below(candidates, margin)
    member = ((general[None, :] & (firsts.p[None, :] >= candidates[:, None]))
              | (exact[None, :] & (firsts.p[None, :] >= below[:, None] - 1e-12))
              ).astype(np.float64)
    # A threshold that answers nothing says nothing (and has no precision to bound).
    answers = member.any(axis=1)
    candidates, below, member = candidates[answers], below[answers], member[answers]
    right = firsts.weights @ (member * firsts.right).T  # replicates x candidates
    count = firsts.weights @ member.T
    wrong = firsts.weights @ (member * firsts.none).T
    on_none = _upper(_ratio(wrong, firsts.unrelated[:, None]))
    precision = _lower(_ratio(right, count))
    safe = (np.nan_to_num(on_none) <= CONFIDENT_ON_NONE_MAX) \
        & (np.nan_to_num(precision, nan=1.0) >= CONFIDENT_PRECISION_MIN)
    if not safe.any():
        return ceiling, float(exact_below(ceiling, margin))
    first = int(np.flatnonzero(safe)[0])
    return float(candidates[first]), float(below[first])


def _scan(firsts: _Firsts, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chosen pastes by probability (highest first), the running weight of right answers
    and of all answers per replicate down that order, and which positions may end a threshold
    (a threshold takes every paste of the same probability)."""
    order = np.flatnonzero(chosen)[np.argsort(-firsts.p[chosen], kind="stable")]
    weights = firsts.weights[:, order]
    right = np.cumsum(weights * firsts.right[order], axis=1)
    count = np.cumsum(weights, axis=1)
    p = firsts.p[order]
    ends = np.append(p[1:] != p[:-1], True) if len(p) else np.zeros(0, dtype=bool)
    return order, np.stack([right, count]), ends


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, NaN where a replicate holds nothing to divide by (it says nothing)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def _lower(values: np.ndarray) -> np.ndarray:
    """Per column: the point estimate (row 0) and the one-sided lower bound (BOUND_LEVEL) of
    the bootstrap rows, whichever is lower."""
    bound = np.nanquantile(values[1:], 1.0 - BOUND_LEVEL, axis=0) if len(values) > 1 \
        else values[0]
    return np.fmin(values[0], np.nan_to_num(bound, nan=values[0]))


def _upper(values: np.ndarray) -> np.ndarray:
    bound = np.nanquantile(values[1:], BOUND_LEVEL, axis=0) if len(values) > 1 else values[0]
    return np.fmax(values[0], np.nan_to_num(bound, nan=values[0]))


def _lowest_safe_threshold(firsts: _Firsts, chosen: np.ndarray, *,
                           already: np.ndarray | None = None, ceiling: float = 0.999
                           ) -> tuple[float, np.ndarray]:
    """The lowest probability p such that answering every chosen paste at or above p, with
    what is `already` answered (per replicate: right, count, unrelated), keeps the upper bound
    of the share of unrelated pastes answered within CONFIDENT_ON_NONE_MAX and the lower bound
    of the confident answers' precision at least CONFIDENT_PRECISION_MIN; `ceiling` when there
    is none. Returns it and the per-replicate totals at it."""
    totals = np.zeros((len(firsts.weights), 3)) if already is None else already
    order, (right, count), ends = _scan(firsts, chosen)
    if not len(order):
        return ceiling, totals
    wrong = np.cumsum(firsts.weights[:, order] * firsts.none[order], axis=1)
    right, count, wrong = (right + totals[:, :1], count + totals[:, 1:2], wrong + totals[:, 2:])
    on_none = _upper(_ratio(wrong, firsts.unrelated[:, None]))
    precision = _lower(_ratio(right, count))
    safe = ends & (firsts.p[order] >= 0.5) & (np.nan_to_num(on_none) <= CONFIDENT_ON_NONE_MAX) \
        & (np.nan_to_num(precision, nan=1.0) >= CONFIDENT_PRECISION_MIN)
    if not safe.any():
        return ceiling, totals
    last = int(np.flatnonzero(safe)[-1])
    return float(firsts.p[order[last]]), np.stack([right[:, last], count[:, last],
                                                   wrong[:, last]], axis=1)


def _lowest_precise_threshold(firsts: _Firsts, chosen: np.ndarray, ceiling: float) -> float:
    """The lowest probability (at least LIKELY_FLOOR) at which the chosen pastes at or above
    it are right at least LIKELY_PRECISION_MIN on the point estimate; `ceiling` when none.

    The likely band takes no bootstrap margin, unlike the confident rules. Measured (docs/eval.md,
    "Thresholds with a margin from the data"): the margin lifted the band's CV precision 0.71 ->
    0.81 but on three fresh holdouts only +0.01 to +0.02, since what they differ by is other
    stacks, not sampling, while it hid 3 to 11 points of right "probably" answers behind "no
    known fix", the very complaint of issue 10. A wrong tentative answer is shown as tentative,
    beside the other candidates; a right one hidden is not shown at all.
    """
    order, (right, count), ends = _scan(firsts, chosen)
    if not len(order):
        return ceiling
    precision = _ratio(right, count)[0]
    precise = ends & (firsts.p[order] >= LIKELY_FLOOR) \
        & (np.nan_to_num(precision) >= LIKELY_PRECISION_MIN)
    return float(firsts.p[order[np.flatnonzero(precise)[-1]]]) if precise.any() else ceiling


def _decided(a: Assessed, probabilities: np.ndarray, own: np.ndarray, confident: float,
             likely: float, confident_exact: float) -> Decided:
    tier = TIER_UNKNOWN
    if len(probabilities):
        model = ConfidenceModel(FEATURE_NAMES, np.zeros(0), np.ones(0), np.zeros(0), 0.0,
                                confident, likely, confident_exact=confident_exact)
        tier = model.tier(float(probabilities[0]), float(a.rows[0][SCORE_FEATURE]) * 100.0,
                          own=float(own[0]), in_paste=a.first_in_paste,
                          may_be_sure=_may_be_sure(a), may_be_probable=_may_be_probable(a),
                          may_be_likely=may_be_likely(a.rows[0]))
    return Decided(a.item.id, a.item.expected, a.candidates + a.rest, tier, a.item.kind,
                   a.item.origin)


def cross_validated_decisions(items: Sequence[EvalItem], matcher: Matcher,
                              folds: int = DEFAULT_FOLDS) -> list[Decided]:
    """What the nested cross-validation decided for every item, out of fold: the material of
    its report, for figures per file (evaluation.summarise_by_file) from the same run."""
    return held_out_decisions(assess_all(items, matcher, precedents=False), folds)


def held_out_decisions(data: Sequence[Assessed], folds: int) -> list[Decided]:
    return [one for fold in nested_folds(data, folds) for one in fold.held_out]


def cross_validate_assessed(data: Sequence[Assessed], folds: int) -> EvalReport:
    return summarise_by_kind(held_out_decisions(data, folds))


@dataclass(frozen=True)
class Fold:
    """One outer fold of the nested cross-validation, decided at the thresholds picked on the
    training part: `believed` is the training part's own inner out-of-fold predictions (what
    the threshold rule saw when it picked them), `held_out` the fold's unseen repositories.
    The gap between the two is what a fresh set of repositories does to the figures."""

    believed: tuple[Decided, ...]
    held_out: tuple[Decided, ...]


def nested_folds(data: Sequence[Assessed], folds: int, seed: int | None = None) -> list[Fold]:
    """Nested grouped cross-validation, fold by fold (`seed`: grouped_folds)."""
    fold_of = grouped_folds([a.item for a in data], folds, seed)
    out = []
    for fold in range(folds):
        training = [a for a, f in zip(data, fold_of, strict=True) if f != fold]
        held_out = [a for a, f in zip(data, fold_of, strict=True) if f == fold]
        if training and held_out:
            out.append(judge_fold(training, held_out, folds - 1))
    return out


def judge_fold(training: Sequence[Assessed], held_out: Sequence[Assessed], inner: int) -> Fold:
    """Learn precedents, model and thresholds from `training` alone (the thresholds on `inner`
    grouped folds of it) and decide `held_out` with them."""
    # The fold's precedents are its training items only; they judge both sides again.
    precedents = teach_precedents(training)
    training = with_precedents(training, precedents)
    held_out = with_precedents(held_out, precedents)
    # So is its context model (after the precedents: their rows are made again from the survey).
    held_out = with_context(held_out, teach_context(training))
    training = with_context(training, None, inner)
    probabilities = _out_of_fold(training, inner)
    confident, likely, exact = pick_thresholds(training, probabilities.full, probabilities.own,
                                               _fresh(training))
    fitted, fitted_own = _fit_both(training)
    believed = tuple(_decided(a, p, own, confident, likely, exact) for a, p, own
                     in zip(training, probabilities.full, probabilities.own, strict=True))
    judged = tuple(_decided(a, fitted.probabilities(a.rows) if len(a.rows) else np.empty(0),
                            _own_probabilities(fitted_own, a) if len(a.rows) else np.empty(0),
                            confident, likely, exact)
                   for a in held_out)
    return Fold(believed, judged)


def time_split(data: Sequence[Assessed], files: Sequence[str], held: str
               ) -> tuple[list[Assessed], list[Assessed]]:
    """(training, held out) for scoring the file named `held` as on the day it was fresh:
    `files` are in the order they were collected, and the model learns from the files before
    `held` only, never from it or from any later one."""
    earlier = set(files[:list(files).index(held)])
    return ([a for a in data if a.item.origin in earlier],
            [a for a in data if a.item.origin == held])


def time_split_decisions(items: Sequence[EvalItem], matcher: Matcher, files: Sequence[str],
                         latest: int, folds: int = DEFAULT_FOLDS) -> list[Decided]:
    """Each of the `latest` files of `files` (in collection order) decided by precedents, a
    model and thresholds learned, as `kb train` does with `folds` folds, from the files
    collected before it (time_split).

    Why beside the grouped cross-validation: its folds mix every collection round, so a
    held-out repository still has its round's other stacks and wordings on the training side.
    Each fresh holdout was scored by a model that had seen only earlier rounds, and did worse
    (docs/eval.md, rounds 8 and 9): this replays that split for the spent ones."""
    data = assess_all(items, matcher, precedents=False)
    out: list[Decided] = []
    for held in files[len(files) - latest:]:
        training, held_out = time_split(data, files, held)
        if training and held_out:
            out.extend(judge_fold(training, held_out, folds).held_out)
    return out


def training_hash(items: Sequence[EvalItem]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda item: (item.id, item.text)):
        digest.update(json.dumps([item.id, item.text, item.expected], ensure_ascii=False)
                      .encode("utf-8"))
    return digest.hexdigest()


def train_model(items: Sequence[EvalItem], matcher: Matcher, folds: int = DEFAULT_FOLDS
                ) -> tuple[ConfidenceModel, EvalReport, PrecedentIndex | None,
                           ContextModel | None]:
    """The model fitted on every item, thresholds from out-of-fold probabilities, the
    precedent index and the paste-context model of every item, and the nested
    cross-validation report of the same procedure."""
    data = assess_all(items, matcher)
    precedents = teach_precedents(data)
    context = teach_context(data)
    for learned in (precedents, context):
        if learned is not None:
            learned.info.update({"training_items": len(items),
                                 "training_data_sha256": training_hash(items)})
    # Each paste's context feature out of fold, as in every fold of the cross-validation.
    data = with_context(data, None, folds)
    out_of_fold = _out_of_fold(data, folds)
    confident, likely, exact = pick_thresholds(data, out_of_fold.full, out_of_fold.own,
                                               _fresh(data))
    fitted, fitted_own = _fit_both(data)
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
                            fitted.bias, confident, likely, info, exact,
                            fitted_own.weights if CONFIDENT_ON_OWN_EVIDENCE else None,
                            fitted_own.bias if CONFIDENT_ON_OWN_EVIDENCE else 0.0)
    return model, report, precedents, context
