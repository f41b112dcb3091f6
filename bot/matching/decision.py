"""The learned decision: how sure the bot is of each candidate, and which tier that puts it in.

A logistic regression over features.FEATURE_NAMES gives each of the top candidates the
probability that it is the right entry. The matcher's first candidate gets a tier from its
probability and the two thresholds stored with the model (the model judges the order, it does
not change it: re-ranking by probability lowered top-1 in cross-validation):

- `confident` (p >= thresholds.confident and a score of at least CONFIDENT_MIN_SCORE, or an
  exact match, a score of at least EXACT_SCORE, with p >= thresholds.confident_exact): the bot
  presents it as the answer;
- `likely` (p >= thresholds.likely): probably right; shown as a tentative answer;
- `unknown`: the bot says it does not know and lists the candidates.

The confident tier stands on the paste's own evidence (round 8): its two rules read the
probability of a second logistic regression over the same features without the precedents'
(`own_weights`: zero on the features learned from labelled pastes: precedent_entry,
precedent_none and, from round 9, context_none), while the likely tier and the probability
shown read the full model. From round 10 it reads the rows of the paste's own candidates
(Assessment.own_rows), so its margins never count a candidate only the precedents found; and
a first candidate whose evidence is a bare kill with no deployment in sight is never
confident (may_be_sure). The nearest labelled pastes still find candidates and lift an entry
to "probably", and the paste's context (context.py) can keep one from it; neither makes the
bot sure. Out of fold by file (a model that
never saw the stack), the full model's confident threshold swung from 0.84 to 0.98 between
folds and a fold at the low end answered three unrelated pastes of round 7's holdout; the own
evidence model's stayed between 0.92 and 0.96 (docs/eval.md, round 8).

Only the first candidate can be confident or likely: the bot presents one answer. The model and
its thresholds live in a small versioned JSON file beside the KB (knowledge/_model/
confidence.json), written by `troubleshoot-bot kb train` and checked by `kb check`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.matching.features import FEATURE_NAMES, PRECEDENT_COLUMN, PROCEDURE_COLUMN
from bot.matching.trained_files import read_trained_file
from bot.paths import project_folder

log = logging.getLogger(__name__)

# 2 (round 10): the own-evidence weights are learned over the paste's own candidates (no
# candidate only the precedents found) and the death features read the kill's own words as
# no deployment; a file of version 1 was fitted to the old features: retrain.
FORMAT_VERSION = 2
TIER_CONFIDENT = "confident"
TIER_LIKELY = "likely"
TIER_UNKNOWN = "unknown"
TIERS = (TIER_CONFIDENT, TIER_LIKELY, TIER_UNKNOWN)
# A floor under the learned decision: a first entry scoring below this is at most likely,
# whatever its probability. Partial wordings (`Back-off pulling image` against `Back-off
# restarting failed container`) and descriptions in prose can be probably right, never sure:
# on ~140 unrelated pastes the model alone cannot learn every such look-alike.
CONFIDENT_MIN_SCORE = 72.0
# An exact match: the whole of one of the entry's signatures (or a full-strength pattern) is in
# the paste. Its own, lower threshold exists because one threshold for everything is set by the
# few unrelated look-alikes the model rates very sure, and then the verbatim documented error
# (`Worker ... was sent SIGKILL! Perhaps out of memory?`), a team's approved signature or an
# operator's own entry came out only "probably". Both thresholds share one budget of confident
# answers on unrelated pastes; from round 11 the exact one is the general one less a fixed
# margin in logits, the two picked together (crossval._confident_pair), since a scan of its own
# landed on whichever of the few lowest exact matches a partition put lowest.
EXACT_SCORE = 99.5
TIER_CONFIDENT_EXACT = "confident_exact"
DEATH_OUTSIDE_COLUMN = FEATURE_NAMES.index("death_outside_serving")
IMPORT_OUTSIDE_COLUMN = FEATURE_NAMES.index("import_outside_serving")
BUILD_OUTSIDE_COLUMN = FEATURE_NAMES.index("build_outside_deployment")
DEATH_NOT_OOM_COLUMN = FEATURE_NAMES.index("death_not_oom")
WEB_APP_COLUMN = FEATURE_NAMES.index("web_app_only")
DISCUSSES_COLUMN = FEATURE_NAMES.index("discusses")
PROPOSES_COLUMN = FEATURE_NAMES.index("proposes")
NO_MODEL_COLUMN = FEATURE_NAMES.index("no_model_served")
DEVELOPS_COLUMN = FEATURE_NAMES.index("develops")
REQUEST_WITHOUT_MODEL_COLUMN = FEATURE_NAMES.index("request_without_model")
BUILD_NOT_SHOWN_COLUMN = FEATURE_NAMES.index("build_not_shown")
INIT_CONTAINER_COLUMN = FEATURE_NAMES.index("init_container_line")
# Round 17 (podfate19): a first candidate decided by an init container's line is neither sure
# nor "probably" a diagnosis (may_be_sure, may_be_probable).
INIT_NOT_SURE = True
# Round 16 (likely17): "probably" needs a model served or a pod in sight (may_be_likely).
LIKELY_NEEDS_MODEL = True
# Round 16 (likely18): development work on the software is never "probably" (may_be_likely).
LIKELY_NOT_DEVELOPMENT = True
# Round 17 (likely19): a failing request with no model named is never "probably" (may_be_likely).
LIKELY_REQUEST_NEEDS_MODEL = True
# Round 18 (build20): an image-build first candidate needs a deployment's build shown failing
# to be "probably" (may_be_likely).
LIKELY_BUILD_NEEDS_FAILURE = True


def _flagged(row: Sequence[float], columns: Sequence[int]) -> bool:
    """One of the 0/1 features at `columns` is on in `row` (a row may be shorter: an old
    model's)."""
    return any(len(row) > column and row[column] > 0.5 for column in columns)


def may_be_sure(row: Sequence[float]) -> bool:
    """Whether a first candidate's own features (a row in FEATURE_NAMES order) allow the
    confident tier at all. Not when its evidence says only that some process was killed and
    nothing but the kill's own words shows a deployment (features.death_outside_serving): any
    program killed by the OS prints those lines, and the fix for a deployment's memory is not
    the fix for a benchmark script or a batch job. The hand rule (confidence.py) never
    answered such a paste; as a learned feature alone it was outweighed by the exact match
    of a documented death line, and round 9's holdout had two such look-alikes answered
    confidently (docs/eval.md, round 10). Such a paste can still be "probably" out of memory.
    Likewise a missing Python module with nothing around it that is a deployment's
    (features.import_outside_serving, round 13): retraining on round 12's holdout lowered the
    confident threshold and a local script's `No module named 'main'` became a sure "service
    fails to start"; the weights alone cannot hold that line between a few thousandths.
    And a build-stage entry when nothing shows a deployment (features.build_outside_deployment,
    round 14): any project's Docker build prints a missing compiler, and retraining on round
    13's holdout made such a bare build a sure "image build fails".
    Nor a kill the container runtime itself says was not the OOM killer's
    (features.death_not_oom, round 14): `Reason: Error` beside exit code 137, or Docker's
    `"OOMKilled": false`; the kill is a liveness probe's or a platform's, and every such paste
    of the pool was labelled something other than out of memory (docs/eval.md, round 14).
    Round 15: nor a paste whose only setting is a plain web app (features.web_app_only: a web
    stack named, nothing of a model served or of a Kubernetes pod; a Django site's WORKER
    TIMEOUT was a sure "scoring timeout"), nor one that talks about a failure instead of
    reporting it (features.discusses: a pull request, a proposal, a documentation issue; an
    OpenShift feature request describing `OOMKilled` was a sure "out of memory"). Both may
    still be "probably" the first, unless the paste only talks about the failure
    (may_be_probable).
    Round 16: nor a paste that proposes a change about a failure and shows none happening
    (features.proposes: "Handle pod CrashLoopBackOff", "oc status should report oom kill");
    such titles were a third of the unrelated pastes answered sure on the time split. It may
    still be "probably" the first: the pool labels some such requests by the failure they
    are about.
    Round 17: nor a first candidate decided by an init container's line (_init_columns), nor
    one whose paste writes about a failure or runs where the fixes do not reach (the matcher's
    `held_back`, features.PasteShape.held_back: not a column, so passed beside the row)."""
    return not _flagged(row, (DEATH_OUTSIDE_COLUMN, IMPORT_OUTSIDE_COLUMN, BUILD_OUTSIDE_COLUMN,
                              DEATH_NOT_OOM_COLUMN, WEB_APP_COLUMN, DISCUSSES_COLUMN,
                              PROPOSES_COLUMN, *_init_columns()))


def _init_columns() -> tuple[int, ...]:
    """Round 17 (podfate19): the deciding line is about a pod's init container
    (features.init_container_line: `Init:CrashLoopBackOff`, a storage initializer), which
    tests/eval/LABELS.md keeps `none` whatever it shows (the serving container never started,
    and no entry's fix is for the init step). As a learned feature alone it left Seldon's
    `Triton Server Init:CrashLoopBackOff` a sure "service fails to start"."""
    return (INIT_CONTAINER_COLUMN,) if INIT_NOT_SURE else ()


def may_be_probable(row: Sequence[float], asks: bool, held_back: bool = False) -> bool:
    """Whether a first candidate (its row in FEATURE_NAMES order) may be "probably" the answer,
    or sure, for a paste that `asks` for something (features.PasteShape.asks: a feature
    request, a how-to question, a documentation request, with no failure line of a program's
    own). Such a paste reports no failure, so a diagnosis (a cause or a symptom entry) is the
    wrong shape of answer however many of its words the paste shares: it stays a listed
    candidate. So does a paste that talks about a failure instead of reporting one (the row's
    `discusses`, asking.discusses, round 15: a pull request, a design proposal, a
    documentation issue), whatever error lines it quotes. A procedure entry (get logs, debug
    locally) is what a how-to question asks for, so "how do I see the logs of my endpoint?"
    keeps its answer (issue 10's convention).
    Round 18 (writes20): a `held_back` paste (features.PasteShape.held_back: it writes about a
    failure, asking.writes_about, or runs where the entries' fixes do not reach,
    scope.runs_elsewhere) asks for no procedure either: a docs pull request titled "Update
    how-to-deploy-local.md" was "probably" the debug-locally entry. Its first candidate is
    never "probably" whatever its kind (in the pool and the time split that one paste was the
    only held-back first candidate a procedure, and unrelated)."""
    if held_back:
        return False
    talks_about = _flagged(row, (DISCUSSES_COLUMN, PROPOSES_COLUMN, *_init_columns()))
    return not (asks or talks_about) or _flagged(row, (PROCEDURE_COLUMN,))


def may_be_likely(row: Sequence[float]) -> bool:
    """Whether a first candidate (its row in FEATURE_NAMES order) may be "probably" the answer:
    not when nothing in the paste shows a model being served or a Kubernetes pod
    (features.no_model_served: a pip install, a desktop app in Docker, a debugger attaching,
    a framework's own memory monitor). Such a paste shares an entry's words (a timeout, an
    exit code, a build step) and nothing of the setting the entry is for. The confident tier
    is not touched: it stands on the paste's own evidence (an exact match of a documented
    line), and the own-evidence model does not read this column.
    Round 16 (likely18): nor when the paste is development work on the software itself
    (features.develops: a `feat:` or `chore:` commit, a pull request's description, a diff, a
    fix the writer proposes for the program's code): its writer develops the framework, and
    nothing of theirs failed to deploy.
    Round 17 (likely19): nor a request-stage entry (a 502, 503 or 504, the scoring function
    failing on its input) when the paste names no model at all, a pod or an ingress aside
    (features.request_without_model): ingress-nginx's 504 in front of "one of our
    applications", a Selenium Grid, a Django site's WORKER TIMEOUT on Kubernetes. A pod in
    sight makes a pod's own fate ours (the non-model pod rule), not the requests of whatever
    runs in it; in the pool's cross-validation such first candidates shown "probably" were
    unrelated 8 times in 9.
    Round 18 (build20): nor a build-stage entry (the image build failing) when the paste shows
    no deployment's image build failing (features.build_not_shown, builds.reading): no build
    failed at all ("I built the image and ran it", a TensorRT engine built on the fly), the
    build was a training run's, a local environment's, a development image's or another
    product's, or it worked and a container then failed. Out of fold in the pool at the
    round-18 start, such first candidates shown "probably" were right 0 times in 27 (20
    unrelated, 7 another entry), against 46 of 51 for the rest (docs/eval.md, round 18)."""
    return not _flagged(row, [column for column, on in (
        (NO_MODEL_COLUMN, LIKELY_NEEDS_MODEL), (DEVELOPS_COLUMN, LIKELY_NOT_DEVELOPMENT),
        (REQUEST_WITHOUT_MODEL_COLUMN, LIKELY_REQUEST_NEEDS_MODEL),
        (BUILD_NOT_SHOWN_COLUMN, LIKELY_BUILD_NEEDS_FAILURE)) if on])


def setting_unseen(row: Sequence[float]) -> bool:
    """may_be_likely() holds the first candidate back only because nothing in the paste shows
    a model served or a pod (the no-model columns), not because the paste is development work:
    naming the endpoint, the deployment or the pod would make it "probably" the answer. The
    replies say so (MatchResult.setting_unseen) instead of "no known fix": in a team's incident
    channel a bare "the container exited with exit code 137" is usually theirs, and the person
    can tell in a word."""
    # Round 18: a build held back for want of a deployment's build failing is not a setting
    # the person can name in a word.
    return not may_be_likely(row) and not (
        LIKELY_NOT_DEVELOPMENT and _flagged(row, (DEVELOPS_COLUMN,))) and not (
        LIKELY_BUILD_NEEDS_FAILURE and _flagged(row, (BUILD_NOT_SHOWN_COLUMN,)))


def model_path() -> Path:
    return project_folder("knowledge") / "_model" / "confidence.json"


class ModelFileError(ValueError):
    """The model file cannot be used; the message says why."""


@dataclass(frozen=True)
class ConfidenceModel:
    feature_names: tuple[str, ...]
    mean: np.ndarray  # per feature: subtracted before weighing (standardisation)
    scale: np.ndarray  # per feature: divided by after subtracting the mean
    weights: np.ndarray
    bias: float
    confident: float  # probability threshold of the confident tier
    likely: float  # probability threshold of the likely tier
    info: dict[str, object] = field(default_factory=dict)  # training data hash, figures, ...
    # Probability threshold of the confident tier for an exact match; a model file without one
    # (written before it existed) keeps the one threshold for everything.
    confident_exact: float | None = None
    # The own-evidence model (module docstring): weights over the same standardised features,
    # zero on the precedent features, and its bias. None (a file written before round 8): the
    # full model decides the confident tier too.
    own_weights: np.ndarray | None = None
    own_bias: float = 0.0

    def probabilities(self, rows: list[list[float]]) -> np.ndarray:
        return self._logistic(rows, self.weights, self.bias)

    def own_probabilities(self, rows: list[list[float]]) -> np.ndarray:
        """What the paste's own evidence says, the precedents left out: what the confident
        tier reads (the full model's probabilities for a file without an own-evidence part)."""
        if self.own_weights is None:
            return self.probabilities(rows)
        return self._logistic(rows, self.own_weights, self.own_bias)

    def _logistic(self, rows: list[list[float]], weights: np.ndarray, bias: float) -> np.ndarray:
        if not rows:
            return np.empty(0)
        rows_ = np.asarray(rows, dtype=np.float64)
        # NaN: the feature has no value for this candidate (features.candidate_features, an
        # entry the precedents do not know): its mean, which adds nothing to the logit.
        rows_ = np.where(np.isnan(rows_), self.mean, rows_)
        values = (rows_ - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(values @ weights + bias)))

    def tier(self, probability: float, score: float = 100.0, own: float | None = None,
             in_paste: bool = True, may_be_sure: bool = True,
             may_be_probable: bool = True, may_be_likely: bool = True) -> str:
        """The tier of a first candidate: `probability` from the full model, `own` from the
        own-evidence model (None: the full model's probability stands for both); `in_paste`
        False when only the precedents found it (no signature, pattern or entry text did);
        `may_be_sure` False when its evidence cannot make it confident (may_be_sure());
        `may_be_probable` False when the paste asks for something and the candidate is a
        diagnosis (may_be_probable()): neither sure nor "probably", a listed candidate;
        `may_be_likely` False when nothing shows a model served (may_be_likely()): sure on
        its own evidence or a listed candidate, never "probably"."""
        if not may_be_probable:
            return TIER_UNKNOWN
        if not in_paste:
            # "Probably X" must rest on something in the paste. Out of fold on the pool, the
            # first candidates only precedents found were right 4 times in 14 (8 of the 14
            # pastes unrelated), against 0.74 for the rest of the likely band: a payment
            # service's "card issuer declined the transaction" came out "probably cannot be
            # scheduled" because its few known words sat near scheduling reports. They stay
            # listed as candidates.
            return TIER_UNKNOWN
        sure = probability if own is None else own
        if not may_be_sure:
            sure = -1.0
        if sure >= self.confident and score >= CONFIDENT_MIN_SCORE:
            return TIER_CONFIDENT
        if (self.confident_exact is not None and score >= EXACT_SCORE
                and sure >= self.confident_exact):
            return TIER_CONFIDENT
        if probability >= self.likely and may_be_likely:
            return TIER_LIKELY
        return TIER_UNKNOWN

    def to_json(self) -> dict[str, object]:
        return {
            "format_version": FORMAT_VERSION,
            "kind": "logistic-regression",
            "feature_names": list(self.feature_names),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(float(self.bias), 6),
            "thresholds": {TIER_CONFIDENT: round(self.confident, 6),
                           TIER_LIKELY: round(self.likely, 6),
                           **({TIER_CONFIDENT_EXACT: round(self.confident_exact, 6)}
                              if self.confident_exact is not None else {})},
            **({"own_evidence": {"weights": [round(float(v), 6) for v in self.own_weights],
                                 "bias": round(float(self.own_bias), 6)}}
               if self.own_weights is not None else {}),
            **self.info,
        }


def model_from_json(data: object) -> ConfidenceModel:
    """The model in a parsed file; ModelFileError says what is wrong with it."""
    if not isinstance(data, dict):
        raise ModelFileError("not a JSON object")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"format_version {version!r} is not known (this bot reads "
                             f"{FORMAT_VERSION}): retrain with `troubleshoot-bot kb train`")
    names = data.get("feature_names")
    if not isinstance(names, list) or tuple(names) != FEATURE_NAMES:
        raise ModelFileError("its feature names do not match the code's (features.py changed): "
                             "retrain with `troubleshoot-bot kb train`")
    try:
        mean, scale, weights = (np.asarray(data[key], dtype=np.float64)
                                for key in ("mean", "scale", "weights"))
        bias = float(data["bias"])
        thresholds = data["thresholds"]
        confident = float(thresholds[TIER_CONFIDENT])
        likely = float(thresholds[TIER_LIKELY])
        exact = thresholds.get(TIER_CONFIDENT_EXACT)
        confident_exact = None if exact is None else float(exact)
        own = data.get("own_evidence")
        own_weights = None if own is None else np.asarray(own["weights"], dtype=np.float64)
        own_bias = 0.0 if own is None else float(own["bias"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"missing or malformed field: {error}") from error
    if not (mean.shape == scale.shape == weights.shape == (len(names),)):
        raise ModelFileError("mean, scale and weights must have one number per feature")
    if own_weights is not None:
        if own_weights.shape != (len(names),):
            raise ModelFileError("own_evidence weights must have one number per feature")
        if np.any(own_weights[PRECEDENT_COLUMN:] != 0.0):
            raise ModelFileError("own_evidence must not weigh the features learned from "
                                 "labelled pastes (precedents, paste context): the confident "
                                 "tier stands on the paste's own evidence")
    numbers = [*mean, *scale, *weights, bias, confident, likely,
               *([] if confident_exact is None else [confident_exact]),
               *([] if own_weights is None else [*own_weights, own_bias])]
    if not all(math.isfinite(value) for value in numbers) or not np.all(scale > 0):
        raise ModelFileError("numbers must be finite and scales positive")
    if not 0.0 < likely <= confident < 1.0:
        raise ModelFileError(f"thresholds must satisfy 0 < likely <= confident < 1, got "
                             f"likely {likely}, confident {confident}")
    if confident_exact is not None and not likely <= confident_exact <= confident:
        raise ModelFileError(f"thresholds must satisfy likely <= confident_exact <= confident, "
                             f"got confident_exact {confident_exact}")
    known = {"format_version", "kind", "feature_names", "mean", "scale", "weights", "bias",
             "thresholds", "own_evidence"}
    info = {key: value for key, value in data.items() if key not in known}
    return ConfidenceModel(tuple(names), mean, scale, weights, bias, confident, likely, info,
                           confident_exact, own_weights, own_bias)


def read_model(path: Path) -> ConfidenceModel:
    return read_trained_file(path, model_from_json, ModelFileError)


def write_model(model: ConfidenceModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")


_shipped: dict[str, ConfidenceModel | None] = {}


def shipped_model() -> ConfidenceModel | None:
    """The model beside the KB, read once; None (and a warning) when it cannot be used, in
    which case the matcher falls back to the hand-written rule (confidence.py)."""
    key = str(model_path())
    if key not in _shipped:
        try:
            _shipped[key] = read_model(model_path())
        except ModelFileError as error:
            log.warning("confidence model not used, falling back to the fixed rule: %s", error)
            _shipped[key] = None
    return _shipped[key]
