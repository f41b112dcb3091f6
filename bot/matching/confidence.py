"""The hand-written abstain rule: answer only when the best entry is clearly right.

The bot decides with the learned model (decision.py); this rule is one of its features
(features.py) and the fallback when no model file can be loaded.

A confident wrong answer costs more than "I don't know": the person follows the wrong fix. So
the best entry is presented only when all of these hold:

- its score reaches ANSWER_THRESHOLD;
- it leads the runner-up by MARGIN (two entries close together are a look-alike we cannot
  tell apart, e.g. a 502 from a probe and a 502 from `run()`). An entry the ranking moved below
  its cause (ranking.py) does not count as a runner-up: it agrees with the answer;
- the entry has specific evidence: a piece of evidence carrying at least MIN_EVIDENCE of word
  information, or a pattern matched with full strength, so common words (`Killed`, `timeout`)
  or Azure's wrapper text never decide alone;
- evidence that any program can print when the OS kills it (`died with <Signals.SIGKILL: 9>`,
  `Killed`, `exit code 137`, `MemoryError`) is about a deployment only when the paste shows
  one (SERVING_CONTEXT): `pip install` or a training run killed the same way is not ours.

At most one entry is confident: the bot presents one answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.matching.index import word_form
from bot.matching.scoring import EntryScore, PreparedPaste
from bot.matching.tokens import words

ANSWER_THRESHOLD = 72.0
MARGIN = 15.0
MIN_EVIDENCE = 3.0

# Words of a process killed by the operating system, in whatever program, as the programs that
# watch it report the kill: Python's subprocess, a shell, an IDE's run window ("Process
# finished with exit code 137 (interrupted by signal 9: SIGKILL)"), the kernel's OOM killer
# ("Memory cgroup out of memory: Killed process", "invoked oom-killer"), a container runtime
# (OOMKilled, terminated). Round 10: the IDE's and the runtime's words were missing, so a
# benchmark script SIGKILLed under an IDE and a job "OOM-killed" under a Docker memory limit
# were not recognised as deaths alone, and were answered confidently.
PROCESS_DEATH_WORDS = frozenset(words(
    "died with Signals.SIGKILL SIGKILL signal 9 killed kill Killed exit exited code status "
    "exitCode 137 MemoryError out of memory OOM the process finished interrupted by "
    "terminated OOMKilled oom-killer invoked cgroup"))
# Words that put a paste in a model deployment: the scoring script, the serving stack, the
# Azure ML deployment objects, the Kubernetes objects a deployment runs as.
# Whole words only (`score.py`, not its part `py`, which any pip or Python line has).
def _whole_words(text: str) -> frozenset[str]:
    return frozenset(words(word)[0] for word in text.split())


SERVING_CONTEXT = _whole_words(
    "score.py scoring score init webservice AciWebservice AksWebservice LocalWebservice "
    "inference endpoint endpoints deployment deploy deployed gunicorn azmlinfsrv azureml-app "
    "azureml-models pod pods container containers replica replicas kubectl aks aci "
    "CrashLoopBackOff OOMKilled serving predictor")


# Words of SERVING_CONTEXT that do not show a deployment around a death alone: the kill's own
# words (`OOMKilled` is the death, whatever ran), `inference`, which names any model run (a
# benchmark, a batch script, a notebook) as much as a served one, and `score`, the word form
# of `score.py` but also of the kernel OOM killer's own `oom_score_adj` (score.py itself is
# looked for as a name: _SCORING_SCRIPT).
_NOT_SERVING_AROUND_A_DEATH = PROCESS_DEATH_WORDS | frozenset(words("inference score"))
SERVING_AROUND_A_DEATH = SERVING_CONTEXT - _NOT_SERVING_AROUND_A_DEATH
_SCORING_SCRIPT = re.compile(r"\bscore\.py\b")


# Words that put an image build in a model deployment (or an Azure ML environment build): a
# compiler or pip failure in a Dockerfile of any project prints the same lines, and without
# one of these words the paste is some other project's build (docs/eval.md).
DEPLOYMENT_CONTEXT = _whole_words(
    "deploy deploying deployment deployed webservice AciWebservice AksWebservice "
    "LocalWebservice endpoint endpoints inference score.py scoring InferenceConfig serving "
    "predictor creation environment EnvironmentBuildFailed ImageBuildFailure azureml")


def confident_count(ranked: Sequence[EntryScore], paste: PreparedPaste | None = None) -> int:
    """How many of the ranked entries (best first) are presented as the answer: 0 or 1."""
    if not ranked:
        return 0
    best = ranked[0]
    rivals = [item.score for item in ranked[1:] if not item.explained]
    runner_up = rivals[0] if rivals else 0.0
    if best.score < ANSWER_THRESHOLD:
        return 0
    if best.score - runner_up < MARGIN:
        return 0
    if not (best.pattern_hit
            or max(best.best.matched_weight, best.specific) >= MIN_EVIDENCE):
        return 0
    if paste is not None and process_death_only(best, paste) and not serving_around_a_death(paste):
        return 0
    return 1


def serving_context(paste: PreparedPaste) -> bool:
    """The paste shows a model deployment (the scoring script, the serving stack, a pod)."""
    return bool(paste.setting_words & SERVING_CONTEXT)


def serving_around_a_death(paste: PreparedPaste) -> bool:
    """The paste shows a model deployment in words other than a kill's own: what a death-only
    line needs around it to be a deployment's (SERVING_AROUND_A_DEATH)."""
    return bool(paste.setting_words & SERVING_AROUND_A_DEATH) or any(
        _SCORING_SCRIPT.search(line) for line in paste.lines)


def deployment_context(paste: PreparedPaste) -> bool:
    """The paste shows a model deployment or an Azure ML image/environment build."""
    return bool(paste.setting_words & DEPLOYMENT_CONTEXT)


def process_death_only(best: EntryScore, paste: PreparedPaste) -> bool:
    """True when the deciding evidence says only that some process was killed."""
    found = best.best
    if found.span is not None and 0 <= found.line < len(paste.lines):
        # A pattern: what it matched in the paste, not the regex's own text.
        matched = word_form(paste.lines[found.line][found.span[0]: found.span[1]])
    else:
        matched = word_form(found.source)
    return bool(matched) and matched <= PROCESS_DEATH_WORDS
