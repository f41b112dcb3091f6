"""What the confidence model sees of a (paste, entry) pair: a short vector of numbers.

The learned decision (decision.py) replaces hand-set thresholds with a logistic regression over
these features. They describe the evidence, never the entry itself: no feature depends on an
entry's id, so team entries loaded through KNOWLEDGE_PATH are judged the same way as the
shipped ones. Feature names are stored in the model file; `kb check` fails when they no longer
match FEATURE_NAMES, so a model is never applied to features it was not trained on.

Every feature is cheap (set operations on the prepared paste, a few regexes on one line): the
matcher computes them for its top CANDIDATES entries on every paste.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.knowledge.model import KIND_CAUSE, KIND_PROCEDURE, KIND_SYMPTOM
from bot.matching.asking import asks, develops, discusses, proposes, writes_about
from bot.matching.builds import BuildReading, reading
from bot.matching.confidence import (
    confident_count,
    deployment_context,
    process_death_only,
    serving_around_a_death,
    serving_context,
)
from bot.matching.elsewhere import other_setting
from bot.matching.error_lines import line_body
from bot.matching.extraction import Extracted
from bot.matching.index import KnowledgeIndex
from bot.matching.korean import english_words, glossed_terms
from bot.matching.korean_words import is_hangul
from bot.matching.negation import runtime_denies_137
from bot.matching.precedents import NONE_LABEL, Verdict
from bot.matching.scope import (
    after_image_pull,
    gpu_memory,
    no_model_named,
    no_model_served,
    out_of_scope,
    runs_elsewhere,
    waits_for_volume_only,
    web_app_only,
)
from bot.matching.scoring import INFO_FLOOR, EntryScore, PreparedPaste

CANDIDATES = 5  # entries per paste that get features, a probability and a place in the order
INFO_CAP = 10.0  # information beyond this says nothing more (one or two rare words are plenty)

_K8S_EVENT = re.compile(r"\b(FailedScheduling|CrashLoopBackOff|OOMKilled|BackOff|Unhealthy|"
                        r"Evicted|FailedMount|Killing|Insufficient|ErrImagePull|"
                        r"ImagePullBackOff|FailedCreate)\b", re.ASCII)  # "OOMKilled로" too
_JSON_BODY = re.compile(r"(?i)[\"'](code|message|error|errorcode|reason|details?)[\"']\s*:")
_FRAME = re.compile(r"^\s*File \"[^\"]*\", line \d+, in \S+")
# The deciding line says only that Python could not import a module. Any script of one's own
# prints it (`import main` in a local run.py, a web app's `main:app`); only the serving stack
# around it (the v1 server's aml_blueprint.py frame, a pod, score.py) makes it a deployment's.
_MISSING_MODULE = re.compile(r"\b(ModuleNotFoundError|ImportError): No module named\b")
# Words only an Azure ML deployment prints (the SDKs, the CLI, the serving stack, the hosts).
_AZURE = re.compile(r"(?i)\b(azure|azureml|aml|aks|aci|webservice|azmlinfsrv|"
                    r"inference\.ml|ml\.azure|az ml|online[ -]?endpoint|online[ -]?deployment|"
                    r"managed ?online|AciWebservice|AksWebservice|InferenceConfig)"
                    # The same product in Korean: 온라인 엔드포인트, 온라인 배포, 관리형 온라인,
                    # and the SDK's webservice written as one Korean word (웹서비스; "웹
                    # 서비스" with its space is any web service, as "web service" is).
                    r"|온라인\s?(엔드포인트|배포)|관리형\s?온라인|웹서비스")
MAX_CONTEXT_CHARS = 200_000  # as extraction.MAX_CHARS: one linear regex over what is kept
# The deciding line is about a pod's init container (`Init:CrashLoopBackOff`, KServe's storage
# initializer downloading the model), not the serving container: the server never started, and
# nothing in a crash loop of the model container's kind explains why.
_INIT_CONTAINER = re.compile(r"\bInit:(CrashLoopBackOff|Error|OOMKilled|\d+/\d+)|"
                             r"(?i:\binit[- ]containers?\b|\bstorage[- ]initiali[sz])")
# The paste shows something other than a model being served, running when the process died:
# - an install or image-build step: pip killed inside a Docker build is a build on someone's
#   machine, not a deployment's server, even when the build step's name says "container"
#   (BuildKit's `[base-container 8/11]`); a compiler killed mid-build;
# - a CI job's own step killed (GitHub Actions, Azure Pipelines, GitLab and Jenkins print these
#   when the step's process exits; a deployment failing inside a job makes the CLI exit 1, not
#   the step die with 137);
# - a training run (the script, the launcher, the epochs it was counting).
# Kills of these are `none` (tests/eval/LABELS.md), and the words a deployment is recognised by
# (SERVING_CONTEXT: container, pod, deployment) are as common around them.
_OTHER_ACTIVITY = re.compile(
    r"(?i)\bpip3?\W{1,4}install\b|\bfailed to solve\b|\bdid not complete successfully\b|"
    r"returned a non-zero code|\bmake(\[\d+\])?: \*\*\*|Killed signal terminated program|"
    r"\bProcess completed with exit code\b|\bERROR: Job failed\b|\bscript returned exit code\b|"
    r"##\[error\].{0,80}\b(exit(ed)?|failed) with (exit )?code\b|"
    r"##\[error\]Exit code \d+ returned from process\b|"
    r"\btrain(ing)?\.py\b|\btraining (job|run|script)s?\b|\bEpoch \d+/\d+|\btorchrun\b|"
    r"torch\.distributed\.(elastic|run)\b|\bChildFailedError\b|\baccelerate launch\b|"
    # A training run in Korean: 학습/훈련 (training) job, script, run or "during training".
    r"(학습|훈련)\s?(작업|잡|스크립트|실행|중)")
# Korean asks without a question mark as often as with one: "왜 그럴까요", "어떻게 하나요",
# "뭔가요" (why, how, what, and the -까요/-인가요 endings of a question).
_QUESTION = re.compile(r"[?？]|\b(how|why|what|where|can i|is there)\b|"
                       r"왜|어떻게|무엇|(까|인가|건가|뭔가)요", re.IGNORECASE)

FEATURE_NAMES: tuple[str, ...] = (
    "score",  # the entry's score 0..1 (best piece plus agreement)
    "best_line_score",  # the best single piece of evidence 0..1
    "matched_info",  # rare-word information of the best piece, capped
    "specific_info",  # the most information any well-scoring piece carries
    "pattern_hit",  # an authored pattern matched with full strength
    "support",  # how many different signatures/patterns agreed (0..1)
    "rare_overlap",  # information of all the entry's words found anywhere in the paste
    "entry_coverage",  # share of the entry's own information found in the paste
    "prose_score",  # overlap with the entry's own text (title, cause, fix) 0..1
    "line_exception",  # the deciding line names an exception (a traceback's tail)
    "line_frame",  # the deciding line is a traceback frame
    "line_event",  # the deciding line holds a Kubernetes event reason
    "line_json",  # the deciding line is part of a JSON error body
    "line_plain",  # the deciding line carries no error signal at all (chat, a hint)
    "line_signal",  # how error-like the deciding line is
    "kind_cause",
    "kind_symptom",
    "kind_procedure",
    "is_first",  # ranked first
    "gap_to_first",  # how far below the first entry (0 for the first)
    "margin_next",  # lead over the next entry in the ranking
    "margin_rival",  # lead over the next entry that is not explained by this one
    "explained",  # ranked below the cause it is a symptom of
    "rule_confident",  # the hand-written rule (confidence.py) would answer with it
    "process_death_only",  # the evidence only says some process was killed ...
    "death_outside_serving",  # ... and no deployment shows, or a build, CI job or training does
    "death_not_oom",  # ... and the container runtime says the OOM killer did not do it
    "build_outside_deployment",  # a build-stage entry, and nothing shows a deployment
    "import_outside_serving",  # the evidence is only a missing Python module, nothing else ours
    "init_container_line",  # the deciding line is about a pod's init container, not the server
    "uncovered_cause",  # the evidence is a cause no entry fixes: an image pull, a volume wait
    "azure_context",  # the paste shows Azure ML (a look-alike from another product does not)
    "out_of_scope",  # another product's hosting, a training job, a local script's missing file
    "gpu_memory",  # a GPU ran out of memory, not the host (scope.gpu_memory): no entry fixes it
    "web_app_only",  # a web stack and nothing of a model served or a pod (scope.web_app_only)
    "discusses",  # the paste talks about a failure, not reports one: a PR, a proposal, a doc
    "proposes",  # a task's title proposes a change about a failure; nothing printed shows one
    "paste_length",  # log of the characters
    "paste_lines",  # log of the lines
    "error_line_share",  # share of key lines that carry an error signal
    "has_traceback",
    "question",  # the paste reads as a question
    "no_error_line",  # nothing in the paste looks like an error (a description)
    "precedent_entry",  # share of the nearest labelled pastes' vote naming this entry
    "precedent_none",  # share of their vote naming no entry (`none`: not one of ours)
    "no_model_served",  # no word of a model served or of a pod (scope.no_model_served)
    "develops",  # development work on the software: a feat/chore commit, a PR body (asking)
    "request_without_model",  # a request-stage entry, and no model named (scope.no_model_named)
    "build_not_shown",  # a build-stage entry, and no deployment's image build failing (builds)
    "context_none",  # the paste's words read like a setting the KB does not answer (context.py)
)

# The features learned from labelled pastes come last: the precedents' vote and the paste
# context, and between them `no_model_served` and `develops` (round 16) and
# `request_without_model` (round 17) and `build_not_shown` (round 18), which only the likely
# tier needs.
# The own-evidence model (decision.py) reads none of them: they may make an answer
# "probably" or not, never sure (docs/matching.md).
PRECEDENT_COLUMN = FEATURE_NAMES.index("precedent_entry")
PROCEDURE_COLUMN = FEATURE_NAMES.index("kind_procedure")
CONTEXT_COLUMN = FEATURE_NAMES.index("context_none")

# Which way a feature may push the probability (logistic.fit): evidence for the entry only up,
# evidence against it only down; 0 leaves the data to say.
_RAISES = ("score", "best_line_score", "matched_info", "specific_info", "pattern_hit",
           "support", "rare_overlap", "entry_coverage", "prose_score", "is_first", "margin_next",
           "margin_rival", "rule_confident", "precedent_entry")
_LOWERS = ("gap_to_first", "explained", "death_outside_serving", "death_not_oom",
           "build_outside_deployment",
           "import_outside_serving",
           "init_container_line", "uncovered_cause", "out_of_scope", "gpu_memory", "web_app_only",
           "discusses", "proposes", "no_model_served", "develops", "request_without_model",
           "build_not_shown",
           "context_none",
           "precedent_none")
FEATURE_SIGNS: tuple[int, ...] = tuple(
    1 if name in _RAISES else -1 if name in _LOWERS else 0 for name in FEATURE_NAMES)
# The own-evidence model's (decision.py), over the features before PRECEDENT_COLUMN.
OWN_FEATURE_SIGNS: tuple[int, ...] = FEATURE_SIGNS[:PRECEDENT_COLUMN]


@dataclass(frozen=True)
class PasteShape:
    """Features of the paste alone, computed once per paste."""

    length: float
    lines: float
    error_share: float
    has_traceback: float
    question: float
    no_error_line: float
    serving: float
    # Serving words other than a kill's own (confidence.serving_around_a_death): what a
    # death-only line needs to count as a deployment's.
    serving_around_death: float
    deployment: float
    azure: float
    out_of_scope: float
    gpu_memory: float
    volume_only: bool  # the paste's pod waits for a volume claim and for nothing else
    text: str = field(default="", repr=False)
    # 1 - context.ContextModel.answerable: NaN without a context model (no evidence either way).
    context_none: float = math.nan
    # The paste asks for something (a feature, a way to do a thing, documentation) and shows
    # no failure line of a program's own (asking.py): its first candidate is never "probably"
    # a diagnosis (decision.may_be_probable).
    asks: bool = False
    # A web stack and nothing of a model served or a Kubernetes pod (scope.web_app_only).
    web_app: float = 0.0
    # The paste talks about a failure rather than reports one (asking.discusses).
    discusses: float = 0.0
    # The paste proposes a change about a failure and shows none printed (asking.proposes).
    proposes: float = 0.0
    # No word of a model being served or of a Kubernetes pod (scope.no_model_served).
    no_model: float = 0.0
    # Development work on the software itself (asking.develops).
    develops: float = 0.0
    # No word of a model being served, a pod or an ingress allowed (scope.no_model_named).
    no_model_named: float = 0.0
    # Round 17 (podfate19): the paste writes about a failure (asking.writes_about: a feature
    # asked for, a policy about failing pods, a docs page) or its container runs where the
    # entries' fixes do not reach (scope.runs_elsewhere: a host that is not Kubernetes, a CI
    # or workflow step's pod). Not a feature: its first candidate is never sure
    # (decision.may_be_sure's `held_back`), and the model and thresholds are as without it.
    # Round 18 (scope20): also a setting that is not a model deployment, by how people name it
    # (elsewhere.other_setting: a training or batch run, the user's own machine, another
    # program's service); never "probably" a diagnosis either (decision.may_be_probable).
    held_back: bool = False
    # The paste's key lines (PreparedPaste.lines), which build_held reads beside its head.
    key_lines: tuple[str, ...] = field(default=(), repr=False)

    @cached_property
    def build(self) -> BuildReading:
        """Round 18 (build20): what the paste shows of an image build (builds.reading): when
        `held`, a build-stage first candidate is never "probably". Read only when a build-stage
        entry is among the candidates."""
        return reading(self.text, self.key_lines, model_named=self.no_model_named < 0.5)

    @property
    def build_held(self) -> bool:
        return self.build.held

    @cached_property
    def other_activity(self) -> bool:
        """A build, a CI job or a training run shows in the paste (_OTHER_ACTIVITY). Read only
        when asked: a scan of a 40,000-character log costs ~2 ms, and only a death-only line in
        a serving paste asks."""
        return bool(_OTHER_ACTIVITY.search(self.text[:MAX_CONTEXT_CHARS]))

    @cached_property
    def oom_denied(self) -> bool:
        """The container runtime says a kill in the paste was not the OOM killer's
        (negation.runtime_denies_137: `"OOMKilled": false`, `Reason: Error` beside 137 without
        `Reason: OOMKilled`). Read only when a death-only line asks, as other_activity."""
        head = self.text[:MAX_CONTEXT_CHARS]
        return runtime_denies_137(head)


def paste_shape(text: str, extracted: Extracted, paste: PreparedPaste,
                context_none: float = math.nan,
                failure_reported: bool | None = None,
                terms: frozenset[str] | None = None) -> PasteShape:
    """`terms`: context.paste_terms(text), when the caller has them (the web-app check reads
    them; without them it is not made)."""
    head = text[:4000]
    signals = extracted.signals
    errors = sum(1 for signal in signals if signal > 0)
    serving = serving_context(paste)
    # The setting a Korean paste names in Korean ("파드", "엔드포인트"), as the scope checks'
    # English words (korean.py).
    korean_terms = glossed_terms(text)
    return PasteShape(
        length=math.log1p(len(text)) / 10.0,
        lines=math.log1p(text.count("\n") + 1) / 8.0,
        error_share=errors / len(signals) if signals else 0.0,
        has_traceback=float("Traceback" in text or any(_FRAME.match(line_body(line))
                                                       for line in paste.lines)),
        question=float(bool(_QUESTION.search(head))),
        no_error_line=float(errors == 0),
        serving=float(serving),
        serving_around_death=float(serving_around_a_death(paste)),
        deployment=float(deployment_context(paste)),
        azure=float(bool(_AZURE.search(text[:MAX_CONTEXT_CHARS]))),
        out_of_scope=float(out_of_scope(text, serving)),
        gpu_memory=float(gpu_memory(text)),
        volume_only=waits_for_volume_only(text),
        text=text,
        context_none=context_none,
        asks=asks(text, extracted.key_lines, failure_reported),
        web_app=float(terms is not None and web_app_only(terms | korean_terms)),
        discusses=float(discusses(text)),
        proposes=float(proposes(text)),
        no_model=float(terms is not None and no_model_served(terms | korean_terms, text)),
        develops=float(develops(text)),
        no_model_named=float(terms is not None
                             and no_model_named(terms | korean_terms, text)),
        held_back=writes_about(text) or runs_elsewhere(text) or other_setting(text),
        key_lines=tuple(paste.lines),
    )


def candidate_features(ranked: Sequence[EntryScore], paste: PreparedPaste, extracted: Extracted,
                       index: KnowledgeIndex, shape: PasteShape,
                       prose: dict[int, float] | None = None,
                       verdict: Verdict | None = None) -> list[list[float]]:
    """One feature row (in FEATURE_NAMES order) per entry of ranked[:CANDIDATES].

    The precedent features of an entry the precedents do not know (a team's own entry, from
    KNOWLEDGE_PATH) are NaN: the model reads them as its training mean, no evidence either way
    (decision.ConfidenceModel.probabilities), so such an entry never loses to a shipped one
    merely because no labelled paste names it."""
    prose = prose or {}
    rows = []
    chosen = ranked[:CANDIDATES]
    rule = confident_count(ranked, paste)
    first_score = chosen[0].score if chosen else 0.0
    for position, scored in enumerate(chosen):
        below = ranked[position + 1:]
        next_score = below[0].score if below else 0.0
        rival = next((item.score for item in below if not item.explained), 0.0)
        kind = index.entry_kinds[scored.entry]
        line = scored.best.line
        in_paste = 0 <= line < len(paste.lines)
        body = line_body(paste.lines[line]) if in_paste else ""
        signal = extracted.signals[line] if in_paste and line < len(extracted.signals) else 0.0
        cause = extracted.causes[line] if in_paste and line < len(extracted.causes) else False
        overlap, coverage = _word_overlap(index, scored.entry, paste)
        death = process_death_only(scored, paste)
        outside = death and (not shape.serving_around_death or shape.other_activity)
        import_outside = (not shape.serving and not shape.deployment and not shape.azure
                          and bool(_MISSING_MODULE.search(body)))
        rows.append([
            scored.score / 100.0,
            scored.best.score / 100.0,
            min(scored.best.matched_weight, INFO_CAP) / INFO_CAP,
            min(scored.specific, INFO_CAP) / INFO_CAP,
            float(scored.pattern_hit),
            min(scored.support - 1, 3) / 3.0,
            min(overlap, 2 * INFO_CAP) / (2 * INFO_CAP),
            coverage,
            prose.get(scored.entry, 0.0),
            float(cause),
            float(bool(_FRAME.match(body))),
            float(bool(_K8S_EVENT.search(body))),
            float(bool(_JSON_BODY.search(body))),
            float(in_paste and signal <= 0),
            min(signal, 10.0) / 10.0,
            float(kind == KIND_CAUSE),
            float(kind == KIND_SYMPTOM),
            float(kind == KIND_PROCEDURE),
            float(position == 0),
            (first_score - scored.score) / 100.0,
            (scored.score - next_score) / 100.0,
            (scored.score - rival) / 100.0,
            float(scored.explained),
            float(position == 0 and rule > 0),
            float(death),
            float(outside),
            float(death and shape.oom_denied),
            float(index.entry_stages[scored.entry] == "build" and not shape.deployment),
            float(import_outside),
            float(bool(_INIT_CONTAINER.search(body))),
            float((in_paste and after_image_pull(paste.lines, line))
                  or (shape.volume_only and index.entry_stages[scored.entry] == "schedule")),
            shape.azure,
            shape.out_of_scope,
            shape.gpu_memory,
            shape.web_app,
            shape.discusses,
            shape.proposes,
            shape.length,
            shape.lines,
            shape.error_share,
            shape.has_traceback,
            shape.question,
            shape.no_error_line,
        ])
    return with_precedent_columns(rows, chosen, index, verdict, shape.context_none,
                                  shape.no_model, shape.develops, shape.no_model_named,
                                  lambda: shape.build_held)


# The stage of the entries about a scoring request that fails (a 502, 503 or 504, the scoring
# function failing on its input): knowledge/*.md `stage: serve`.
REQUEST_STAGE = "serve"
# The stage of the image-build entry (knowledge/*.md `stage: build`).
BUILD_STAGE = "build"


def with_precedent_columns(rows: list[list[float]], ranked: Sequence[EntryScore],
                           index: KnowledgeIndex, verdict: Verdict | None,
                           context_none: float = math.nan,
                           no_model: float = 0.0,
                           develops: float = 0.0,
                           no_model_named: float = 0.0,
                           build_held: Callable[[], bool] | None = None) -> list[list[float]]:
    """`rows` (the paste's own features, or all of them: the learned ones are replaced) with
    the precedent features of ranked[:len(rows)] and the paste's `context_none`. Apart from
    the rest: cross-validation asks several precedent indexes about one paste, and most
    answers move no candidate. `request_without_model` is on for a request-stage candidate
    of a paste that names no model (`no_model_named`, scope.no_model_named): a gateway's
    timeout in front of a web app on Kubernetes (round 17). `build_not_shown` is on for a
    build-stage first candidate when `build_held()` (PasteShape.build_held: the paste shows no
    deployment's image build failing; round 18): only the first candidate's is read
    (decision.may_be_likely) and the model does not learn it (crossval.BUILD_RULE_LEARNED), so
    the paste is read only when a build leads (1 ms on a 2,000-character log)."""
    out = []
    for position, (row, scored) in enumerate(zip(rows, ranked, strict=False)):
        share = verdict.share(index.entry_ids[scored.entry]) if verdict else 0.0
        none = (verdict.shares.get(NONE_LABEL, 0.0) if verdict else 0.0)
        out.append([*row[:PRECEDENT_COLUMN],
                    math.nan if share is None else share,
                    math.nan if share is None else none,
                    no_model,
                    develops,
                    float(no_model_named > 0.5
                          and index.entry_stages[scored.entry] == REQUEST_STAGE),
                    float(position == 0 and index.entry_stages[scored.entry] == BUILD_STAGE
                          and build_held is not None and build_held()),
                    context_none])
    return out


def _word_overlap(index: KnowledgeIndex, entry: int, paste: PreparedPaste) -> tuple[float, float]:
    """(information of the entry's words found in the paste, its share of the entry's total)."""
    weights = index.entry_words[entry]

    def information(word: str) -> float:
        return max(0.0, weights[word] - INFO_FLOOR) if word in weights else 0.0

    found = sum(information(word) for word in sorted(paste.all_words) if word in weights)
    # A listed Korean word and the English words it reads as (scoring.prepare holds both) are
    # one word of the paste: it counts as the better of the two, not as both (korean21; as
    # the prose search). Its English twin had only the English word to count.
    found -= sum(min(information(word), max(map(information, english), default=0.0))
                 for word in sorted(paste.all_words) if word in weights and is_hangul(word)
                 for english in (english_words([word]),) if english)
    total = index.entry_information[entry]
    return found, (found / total if total else 0.0)
