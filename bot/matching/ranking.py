"""Order the scored entries the way a person wants the answer: cause first, procedure last.

A paste often shows several true things at once. `OOMKilled` / `exitCode: 137` next to
`CrashLoopBackOff`: the crash loop is what the pod looks like, running out of memory is why. A
`ModelNotFound` traceback inside an ACI "container crashed" message: the missing model is why.
And an error that merely says "check the logs" is not a question about how to get logs. So,
using each entry's `kind` (bot/knowledge/model.py):

- a *symptom* entry ranked first yields to a *cause* entry with strong evidence of its own in
  the same paste (CAUSE_MIN score and specific, rare-word or pattern evidence);
- a *procedure* entry ranked first yields to any diagnosis (cause or symptom) with such
  evidence: procedures answer questions, not errors; below a strong diagnosis they are never a
  rival (the error that names a jinja2 import failure is not a question about the server).
  When the paste reports a failure (a program's own failure line: error_lines.failure_line)
  and the procedure leads only on a few words of one of its signatures (below CAUSE_MIN, its
  deciding evidence no authored pattern of its own), any diagnosis with some evidence
  (REPORTED_FAILURE_MIN) goes above it: "it works locally but on k8s the workers die" shares
  words with the local-debugging entry, user code (`AciWebservice.deploy_configuration(...)`)
  with its `LocalWebservice` sample, yet the paste is a report of a failure, and what failed
  is the answer; how to investigate it is the next step either way. A procedure decided by its
  own pattern (the paste asks the question the entry was written for) keeps its place.

- before both, the deployment's *stage* (build, schedule, start, serve; model.STAGES): a log
  line of a later stage, matched by an authored pattern, proves the earlier stages passed. A
  crash loop after image-pull events was built; a container that started was scheduled,
  whatever FailedScheduling warning came first. So an entry of an earlier stage yields to such
  a proven later one, and a cause overtakes a proven symptom only of its own stage (a failing
  run() does not explain a crash in init()). Entries without a stage (out of memory can kill at
  start or while serving) are not moved by this rule; one word in a sentence ("the pod was
  Pending or in CrashLoopBackOff") proves nothing.

- a cause *stated* in the paste goes above a leading symptom, whatever its score: a cause entry
  without a stage (out of memory kills at start or while serving) whose own authored pattern
  matched (`OOMKilled`, `exit code 137`, `Worker (pid:9) was sent SIGKILL! Perhaps out of
  memory?`). The kubelet's back-off line or the ACI crash message proves the start stage and
  scores on rare words, while a person's "it gets OOM killed" or "it ran out of memory" is
  made of common ones, short of the specific evidence (or the score) a cause needs above;
  yet the paste says why the container died, and the crash loop, the failed launch or the 502
  is what that looks like. A pattern is what the entry's author wrote for that very
  statement, so a signature's shared words ("killed", "memory" in a sentence) do not count,
  nor does a cause of another stage (stated or not, it explains only its own stage). A cause
  of the symptom's own stage stated by its pattern goes above it when the symptom leads on
  words alone, no pattern of its own found (stated_own_stage_cause: Triton's "No model
  version was found" under a sentence like "models fail to load on start-up").

- first of all, stages the paste shows were *passed* (stages.py): a `FailedScheduling` warning
  followed by `Successfully assigned ... to node`, an image-build match in a paste where the
  kubelet pulled the image. An entry of such a stage, with that proof after its own evidence,
  yields to the best entry of a stage not passed (or of none) that has some evidence of its own
  (PASSED_ALTERNATIVE_MIN): the stage is history, whatever scored on it.

- a start that never finished (stages.unfinished_start: init() called, no return, then a
  timeout): the container was still starting when the request or the platform gave up, so the
  best entry of the start stage leads and serve-stage entries (a scoring timeout) are its
  symptoms. When no start entry scored at all (the log holds only INFO lines and the timeout),
  the start stage's symptom entries become candidates at UNFINISHED_START_SCORE.

- a start the server itself says failed (stages.failed_start: gunicorn's "Worker failed to
  boot", uvicorn's "Application startup failed", TorchServe's "Load model failed", vLLM's
  engine that failed to start): the server never served, so a serve-stage entry first on
  evidence that does not prove its stage (no authored pattern of its own at CAUSE_MIN: a
  signature's shared words, "Booting worker with pid" read as the 504's `WORKER TIMEOUT
  (pid:42)` line) yields to the best start-stage entry with some evidence of its own
  (PASSED_ALTERNATIVE_MIN), and the serve-stage entries are what the failed start looks like
  to a caller. The same when a start-stage entry's own authored pattern is found in the
  paste (a person's "loading a large model when my app starts up" beside gunicorn's WORKER
  TIMEOUT): the paste states the start failed, and that entry goes first. A serve entry whose
  own pattern proves its stage keeps its place.

An entry that yields is recorded as explained by the one that moved above it, so the
confidence margin (confidence.py) is not measured against it: the symptom agrees with its cause,
the passed stage is history; neither competes with the answer.

- last, for a paste whose best entry has only weak evidence (by_precedents): below CAUSE_MIN
  and no authored pattern, the first place is decided by a few shared words of a signature
  written for another stack ("failed to load" in a Triton line, "killed" in a Ray actor's
  death), and the next entry is often as near. There the nearest labelled pastes' vote
  (precedents.py) adds PRECEDENT_TIEBREAK points per share of it to each entry not already
  explained: how earlier reports worded like this one were resolved breaks the near-tie. A
  paste with real evidence of its own is never reordered, and an entry below CAUSE_MIN can
  never be sure (decision.CONFIDENT_MIN_SCORE), so the precedents still make nothing sure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.knowledge.model import KIND_CAUSE, KIND_PROCEDURE, KIND_SYMPTOM, STAGES
from bot.matching.builds import BuildReading
from bot.matching.index import word_form
from bot.matching.scoring import EntryScore, Evidence
from bot.matching.stages import Position, StatedStart, passed_after

CAUSE_MIN = 60.0  # a cause must score this much on its own to overtake a symptom
DIAGNOSIS_MIN = 50.0  # a cause or symptom must score this much to overtake a procedure
SPECIFIC_EVIDENCE = 3.0  # as confidence.MIN_EVIDENCE: more than one common word's worth
# An entry of a passed stage yields only to an entry with at least this much evidence: below
# it a candidate is a stray word, not a better answer than the history.
PASSED_ALTERNATIVE_MIN = 25.0
# A start entry found only because init() never returned: a candidate worth showing, while the
# decision model judges it by its (empty) word evidence, so it is never sure on this alone.
UNFINISHED_START_SCORE = 50.0
UNFINISHED_START_SOURCE = "(init() was called and never returned before the timeout)"
# The logs procedure offered for a failed Azure ML deployment whose paste shows no cause: at
# most this many entries stay above it (it is the next step, not the diagnosis), and an entry
# added here scores at most this much (below any cause shown; the decision model judges it by
# its empty word evidence).
FAILED_DEPLOYMENT_PLACE = 2
FAILED_DEPLOYMENT_SCORE = 20.0
FAILED_DEPLOYMENT_SOURCE = "(an Azure ML deployment failed and the paste does not show why)"
# The start stage's symptom entry listed for a paste that says its server never came up
# (by_stated_start_failure): at most this many entries stay above it, and an entry added there
# scores at most this much (as the logs procedure for a failed deployment).
STATED_START_PLACE = 2
STATED_START_SCORE = 20.0
STATED_START_SOURCE = "(the paste says the server never came up)"
BUILT_THEN_FAILED_SOURCE = "(the image was built; its container did not start)"
# Points a whole share of the nearest labelled pastes' vote is worth to an entry when the
# paste's best evidence is weak (by_precedents): as much as a modest signature match, less
# than an entry only the precedents found can score on its own (matcher.PRECEDENT_SCORE).
PRECEDENT_TIEBREAK = 50.0
# An entry is pulled only when the vote names it more than this share of its vote for "none".
LOOK_ALIKE_VOTE = 0.5
# A diagnosis needs this much evidence to go above a weak procedure lead in a paste that
# reports a failure (by_kind): some words of a signature on a line, not one stray word. In
# grouped CV (docs/eval.md, round 13) 10 to 25 all moved the same kind of paste and gained 4
# to 6 right first answers; the tiers of the refitted models moved by a paste or two either
# way, and at 20 no figure fell.
REPORTED_FAILURE_MIN = 20.0


def strong(scored: EntryScore, minimum: float) -> bool:
    return scored.score >= minimum and (
        scored.pattern_hit or max(scored.specific, scored.best.matched_weight)
        >= SPECIFIC_EVIDENCE)


def authored_match(scored: EntryScore) -> bool:
    """A diagnosis whose deciding evidence is one of its authored patterns, matched well: the
    line is that error (`Error in entry script, ImportError`), whatever its words weigh, so a
    procedure matching the same paste is how to investigate it, not the answer."""
    return scored.score >= CAUSE_MIN and scored.best.span is not None


def weak_procedure_lead(top: EntryScore) -> bool:
    """A procedure first on a few words of its signatures only: below CAUSE_MIN and its
    deciding evidence no authored pattern (a question the entry was written for)."""
    return top.score < CAUSE_MIN and top.best.span is None and not top.pattern_hit


def read_apart(top: EntryScore, candidate: EntryScore) -> bool:
    """True when the candidate's only evidence is a signature sharing most words of the text one
    of `top`'s authored patterns matched on the same line: the pattern was written to tell the
    two apart (a missing entry script `/var/azureml-app/score.py` is no missing model file,
    however many words it shares with the model file's signature). Two facts on one line (an
    empty reply and a sentence about a timeout) share no words and are both read."""
    if candidate.best.span is not None or candidate.pattern_hit:
        return False
    lines = range(candidate.best.line, candidate.best.last_line + 1)
    signature = word_form(candidate.best.source)
    return any(line in lines and read and 2 * len(read & signature) >= len(read)
               for line, read in top.pattern_reads)


def earlier(stage: str, than: str) -> bool:
    """True when both stages are known and `stage` comes before `than`."""
    return bool(stage and than) and STAGES.index(stage) < STAGES.index(than)


def other_stage(stage: str, than: str) -> bool:
    """True when both stages are known and differ."""
    return bool(stage and than) and stage != than


def proves_stage(scored: EntryScore) -> bool:
    """A later stage is proven by a log line of that stage, matched by an authored pattern (the
    kubelet's back-off line, a score.py frame), not by a word in a sentence ("the pod was
    Pending or in CrashLoopBackOff")."""
    return strong(scored, CAUSE_MIN) and scored.pattern_hit


def stated_any_stage_cause(candidate: EntryScore, kinds: Sequence[str],
                           stages: Sequence[str]) -> bool:
    """A cause that can show at any stage, stated in the paste by one of its own authored
    patterns: why the symptom above it happened, however common the pattern's words."""
    return (kinds[candidate.entry] == KIND_CAUSE and not stages[candidate.entry]
            and candidate.pattern_found)


def stated_own_stage_cause(candidate: EntryScore, top: EntryScore, kinds: Sequence[str],
                           stages: Sequence[str]) -> bool:
    """A cause of the leading symptom's own stage, stated by one of its authored patterns,
    while the symptom leads on words alone (no pattern of its own matched): the paste says
    why ("No model version was found"), the symptom's lead is a sentence like its signature
    ("the models fail to load on start-up")."""
    return (kinds[candidate.entry] == KIND_CAUSE and candidate.pattern_found
            and bool(stages[candidate.entry]) and stages[candidate.entry] == stages[top.entry]
            and not top.pattern_found)


def by_stage(ranked: Sequence[EntryScore], stages: Sequence[str]) -> list[EntryScore]:
    """`ranked` with the proven entry of the latest stage first; earlier stages are history."""
    order = list(ranked)
    if not order:
        return order
    latest = 0
    for position, item in enumerate(order):
        if earlier(stages[order[latest].entry], stages[item.entry]) and proves_stage(item):
            latest = position
    top = order[latest]
    if not (stages[top.entry] and proves_stage(top)):
        return order
    rest = [replace(item, explained=True) if earlier(stages[item.entry], stages[top.entry])
            else item for item in order[:latest] + order[latest + 1:]]
    return [top, *rest]


def evidence_position(scored: EntryScore) -> Position:
    """Where an entry's deciding evidence ends in the paste: a pattern's match start, else the
    end of the last line a signature matched (a marker on that same line is not after it)."""
    if scored.best.span is not None:
        return (scored.best.line, scored.best.span[0])
    return (max(scored.best.line, scored.best.last_line), 1 << 30)


def by_passed(ranked: Sequence[EntryScore], stages: Sequence[str],
              passed: dict[str, Position]) -> list[EntryScore]:
    """`ranked` with entries of stages the paste shows were passed (after their evidence) made
    history: explained, and moved below the best entry of a stage still open when they lead,
    as long as that one has evidence of its own."""
    order = list(ranked)
    if not order or not passed:
        return order
    history = [passed_after(stages[item.entry], evidence_position(item), passed)
               for item in order]
    alternative = next((item for item, past in zip(order, history, strict=True) if not past),
                       None)
    if not any(history) or alternative is None or alternative.score < PASSED_ALTERNATIVE_MIN:
        return order
    marked = [replace(item, explained=True) if past else item
              for item, past in zip(order, history, strict=True)]
    if not history[0]:
        return marked
    first_open = order.index(alternative)
    return [alternative, *marked[:first_open], *marked[first_open + 1:]]


def by_failed_start(ranked: Sequence[EntryScore], stages: Sequence[str],
                    failed_at: Position | None) -> list[EntryScore]:
    """`ranked` with a start-stage entry first and serve-stage entries explained, when the first
    entry is of the serve stage, no serve entry proves that stage, and the paste states the
    start failed: the start entry whose own pattern was found, else, when the server says its
    start failed (`failed_at`, stages.failed_start), the best start entry. Either needs some
    evidence of its own (PASSED_ALTERNATIVE_MIN)."""
    order = list(ranked)
    if not order or stages[order[0].entry] != "serve" \
            or any(stages[item.entry] == "serve" and proves_stage(item) for item in order):
        return order
    starts = [item for item in order if stages[item.entry] == "start"
              and not item.explained and item.score >= PASSED_ALTERNATIVE_MIN]
    stated = [item for item in starts if item.pattern_found]
    start = stated[0] if stated else starts[0] if starts and failed_at is not None else None
    if start is None:
        return order
    rest = [replace(item, explained=True) if stages[item.entry] == "serve" else item
            for item in order if item is not start]
    return [start, *rest]


def _start_symptoms(kinds: Sequence[str], stages: Sequence[str]) -> list[int]:
    """The entries of what a server that never came up looks like (the start stage's
    symptom entries, service-launch-fails in the shipped knowledge base)."""
    return [entry for entry, (stage, kind) in enumerate(zip(stages, kinds, strict=True))
            if stage == "start" and kind == KIND_SYMPTOM]


def by_unfinished_start(ranked: Sequence[EntryScore], kinds: Sequence[str],
                        stages: Sequence[str], timeout_line: int) -> list[EntryScore]:
    """`ranked` with the best start-stage entry first and serve-stage entries explained, for a
    paste whose init() never returned; `timeout_line` is the key line that shows the timeout
    (-1 when extraction kept none), the evidence of an entry added here."""
    order = list(ranked)
    starts = [item for item in order if stages[item.entry] == "start"]
    if not starts:
        evidence = Evidence(UNFINISHED_START_SCORE, 0.0, timeout_line, timeout_line, None,
                            UNFINISHED_START_SOURCE)
        starts = [EntryScore(entry, UNFINISHED_START_SCORE, evidence, 1, UNFINISHED_START_SCORE)
                  for entry in _start_symptoms(kinds, stages)]
        if not starts:
            return order
        order = starts + order
    top = starts[0]
    rest = [replace(item, explained=True) if stages[item.entry] == "serve" else item
            for item in order if item is not top]
    return [top, *rest]


def shows_cause(scored: EntryScore, kind: str) -> bool:
    """A diagnosis the paste states: one of its authored patterns matched, at a cause's score
    (an init() traceback, OOMKilled, a FailedScheduling event), not a few words of prose."""
    return kind != KIND_PROCEDURE and scored.pattern_found and scored.score >= CAUSE_MIN


def by_failed_deployment(ranked: list[EntryScore], kinds: Sequence[str],
                         logs_entries: Sequence[int], failed_line: int) -> list[EntryScore]:
    """`ranked` with the logs procedure (`logs_entries`: procedure entries tagged `logs`) among
    the first FAILED_DEPLOYMENT_PLACE + 1 entries, for a paste that shows a failed Azure ML
    deployment (stages.failed_deployment) and no cause: the next step for any such failure,
    listed below the best diagnoses the paste has, never above them. `failed_line` is the key
    line that says the deployment failed (-1 when extraction kept none), the evidence of an
    entry added here. The same list (the very object) when a cause is shown or the procedure
    is already listed. Applied once more after the precedents (matcher.conclude): an entry they
    add may not push the procedure out of the first three either."""
    if not logs_entries or any(shows_cause(item, kinds[item.entry]) for item in ranked):
        return ranked
    place = min(FAILED_DEPLOYMENT_PLACE, len(ranked))
    if any(item.entry in logs_entries for item in ranked[:place + 1]):
        return ranked
    order = list(ranked)
    # As much as the weakest entry kept above it, at most FAILED_DEPLOYMENT_SCORE: a candidate
    # shown with a score of its own, never a rival to the entries above.
    score = min([FAILED_DEPLOYMENT_SCORE] + [item.score for item in order[:place]])
    offered = _taken_out(order, logs_entries, score, failed_line, FAILED_DEPLOYMENT_SOURCE)
    return [*order[:place], offered, *order[place:]]


def _taken_out(order: list[EntryScore], wanted: Sequence[int], score: float, line: int,
               source: str) -> EntryScore:
    """The candidate of one of the `wanted` entries, taken out of `order` (which changes) to be
    placed again: raised to `score` and no longer explained by another entry, or, when none is
    listed, a new one of the first wanted entry, its evidence the paste's `line` (`source`
    names the rule that placed it). What by_failed_deployment and by_stated_start_failure
    place."""
    found = next((item for item in order if item.entry in wanted), None)
    if found is None:
        evidence = Evidence(score, 0.0, line, line, None, source)
        return EntryScore(wanted[0], score, evidence, 1, score)
    order.remove(found)
    return replace(found, explained=False, score=max(found.score, score),
                   rank=max(found.rank, score))


def _not_the_start(lead: EntryScore, kind: str, stage: str) -> bool:
    """A lead a paste naming a start that failed does not answer when it stands on words
    alone (none of its own authored patterns found): a serve-stage entry (the server never
    served) or a procedure with no specific evidence of its own (how to run or debug a
    container is the next step, not what failed: "Torchserve docker fails to run" shares
    `docker` and `run` with the local-debugging entry's "Is Docker running?"). A procedure
    whose rare words are in the paste (its own error, "[Errno 98] Address already in use"
    for the inference server) keeps its place."""
    if lead.pattern_found:
        return False
    if kind == KIND_PROCEDURE:
        return lead.specific < SPECIFIC_EVIDENCE
    return stage == "serve"


def by_stated_start_failure(ranked: list[EntryScore], kinds: Sequence[str],
                             stages: Sequence[str], stated: StatedStart) -> list[EntryScore]:
    """`ranked` with the start stage's symptom entry (what a server that never came up looks
    like, whatever the cause) listed, for a paste that says its server, its container or its
    pod never came up (stages.stated_start): a title such as "the model server fails to start"
    is often all the paste says of its failure, while its body (a manifest, a start-up log that
    stops) shares words with other entries.

    - When the paste names the start (`stated.named`) and the first entry is of the serve
      stage on words alone (none of its own authored patterns found: "Booting worker with
      pid" read as the 504's `WORKER TIMEOUT (pid:42)`), the server never served: the symptom
      entry goes first and the serve entries are what the failed start looks like to a caller
      (explained), as by_failed_start for a server's own words. The same over a procedure
      first on shared words only (_not_the_start), which is then explained too: how to run
      a container locally is the next step, not what failed.
    - Otherwise it is listed among the first STATED_START_PLACE + 1 entries, below the entries
      the paste's own evidence put there, never above them: the statement names the stage,
      not the cause.

    The same list (the very object) when the entry is already listed there or the knowledge
    base has none. Applied again after the precedents (matcher.conclude), as
    by_failed_deployment."""
    symptoms = _start_symptoms(kinds, stages)
    if not symptoms:
        return ranked
    first = stated.named and bool(ranked) and _not_the_start(
        ranked[0], kinds[ranked[0].entry], stages[ranked[0].entry])
    place = 0 if first else min(STATED_START_PLACE, len(ranked))
    if any(item.entry in symptoms for item in ranked[:place + 1]):
        return ranked
    order = list(ranked)
    # First: as much as the lead it replaces; listed: as much as the weakest entry kept above
    # it, at most STATED_START_SCORE.
    score = order[0].score if first else min(
        [STATED_START_SCORE] + [item.score for item in order[:place]])
    listed = _taken_out(order, symptoms, score, stated.line, STATED_START_SOURCE)
    if first:
        order = [replace(item, explained=True) if stages[item.entry] == "serve"
                 or kinds[item.entry] == KIND_PROCEDURE else item for item in order]
    return [*order[:place], listed, *order[place:]]


def by_start_over_unshown_build(ranked: list[EntryScore], kinds: Sequence[str],
                                stages: Sequence[str], stated: StatedStart | None,
                                build: Callable[[], BuildReading]) -> list[EntryScore]:
    """`ranked` with the start stage's symptom entry first over a build-stage lead, for a paste
    that shows no deployment's image build failing (`build().held`, builds.reading) and says
    that its server never came up (`stated.named`) or that the image was built and a container
    of it then failed (`build().worked`: "Successfully built", "the build succeeds, but ...").
    The image was there; what failed is the container's start (tests/eval/LABELS.md, "cause
    before symptom": an s2i or Buildpacks image that exits at start is service-launch-fails).
    Not for a build that was not a deployment's (`build().other`: a training run's, a local
    environment's): its container is no deployment's either.
    The build entry stays listed below it. The same list (the very object) otherwise; `build`
    is asked only when the lead is a build (round 18, build20)."""
    if not ranked or stages[ranked[0].entry] != "build":
        return ranked
    symptoms = _start_symptoms(kinds, stages)
    if not symptoms:
        return ranked
    reading = build()
    if not reading.held or reading.other \
            or not (reading.worked or (stated is not None and stated.named)):
        return ranked
    order = list(ranked)
    line = stated.line if stated is not None else ranked[0].best.line
    first = _taken_out(order, symptoms, order[0].score, line, BUILT_THEN_FAILED_SOURCE)
    return [first, *order]


def by_kind(ranked: Sequence[EntryScore], kinds: Sequence[str],
            stages: Sequence[str] | None = None,
            passed: dict[str, Position] | None = None,
            unfinished_start_line: int | None = None,
            reports_failure: bool = False,
            failed_start: Position | None = None) -> list[EntryScore]:
    """`ranked` (best first) with a cause moved above its symptom and diagnoses above procedures.

    `stages` (one per entry, "" for none): see the module text; without it stages are ignored.
    `passed` (stages.passed_stages of the paste): stages the paste shows are over.
    `unfinished_start_line`: not None when init() never returned before a timeout (the key
    line of that timeout, or -1).
    `reports_failure`: a key line of the paste is a program's own failure line
    (error_lines.failure_line), so a weak procedure lead yields to a modest diagnosis.
    `failed_start` (stages.failed_start): where the server says its start failed, or None.
    """
    stages = stages if stages is not None else [""] * len(kinds)
    order = by_stage(by_passed(ranked, stages, passed or {}), stages)
    order = by_failed_start(order, stages, failed_start)
    if unfinished_start_line is not None:
        order = by_unfinished_start(order, kinds, stages, unfinished_start_line)
    if len(order) < 2:
        return order
    top_kind = kinds[order[0].entry]
    if top_kind != KIND_PROCEDURE and strong(order[0], DIAGNOSIS_MIN):
        # A diagnosis is first: procedures below it are how to investigate, not rival answers.
        order = [replace(item, explained=True) if kinds[item.entry] == KIND_PROCEDURE else item
                 for item in order]
    if top_kind == KIND_SYMPTOM:
        wanted, minimum = (KIND_CAUSE,), CAUSE_MIN
    elif top_kind == KIND_PROCEDURE:
        wanted, minimum = (KIND_CAUSE, KIND_SYMPTOM), DIAGNOSIS_MIN
    else:
        return order
    proven = proves_stage(order[0])
    # A report of a failure, and the procedure first on a few shared words only.
    reported = top_kind == KIND_PROCEDURE and reports_failure and weak_procedure_lead(order[0])
    for position in range(1, len(order)):
        candidate = order[position]
        if other_stage(stages[candidate.entry], stages[order[0].entry]) and proven:
            continue  # a cause explains symptoms of its own stage: a run() error is no init crash
        if candidate.explained:
            continue  # history (a passed stage) or explained already: not an answer
        # The paste states the cause (its own pattern): the symptom is what it looks like.
        stated = top_kind == KIND_SYMPTOM and (
            stated_any_stage_cause(candidate, kinds, stages)
            or stated_own_stage_cause(candidate, order[0], kinds, stages))
        if read_apart(order[0], candidate) and not stated:
            continue
        if kinds[candidate.entry] in wanted and (
                strong(candidate, minimum) or stated
                or (top_kind == KIND_PROCEDURE and authored_match(candidate))
                or (reported and candidate.score >= REPORTED_FAILURE_MIN)):
            overtaken = [replace(item, explained=True) for item in order[:position]
                         if kinds[item.entry] == top_kind]
            kept = [item for item in order[:position] if kinds[item.entry] != top_kind]
            return [candidate, *overtaken, *kept, *order[position + 1:]]
    return order


def weak_lead(ranked: Sequence[EntryScore]) -> bool:
    """The first entry stands on little: below CAUSE_MIN and no authored pattern matched."""
    return bool(ranked) and ranked[0].score < CAUSE_MIN and not ranked[0].pattern_hit


def by_precedents(ranked: list[EntryScore], share: Callable[[EntryScore], float | None],
                  none_share: float = 0.0) -> list[EntryScore]:
    """`ranked` with the entry of the highest score plus PRECEDENT_TIEBREAK x `share` (the
    precedents' vote for it, 0..1; None for an entry they do not know) moved first, when the
    lead is weak and the vote names another entry and never the lead. `none_share` is the
    vote for "no problem of ours": an entry it names less than LOOK_ALIKE_VOTE times as often
    is not pulled (the paste reads like the look-alikes among earlier reports, and a pulled
    entry would be shown as "probably" on their words). Explained entries are not pulled
    (their cause is above them), and the rest keep the order the rules above gave them. The
    same list when nothing moves."""
    if len(ranked) < 2 or not weak_lead(ranked) or share(ranked[0]) != 0.0:
        return ranked  # a lead the vote names, or one it cannot know (a team's entry), stays
    shares = [0.0] + [0.0 if item.explained else share(item) or 0.0 for item in ranked[1:]]
    pulled = [item.score + PRECEDENT_TIEBREAK * part for item, part in zip(ranked, shares,
                                                                            strict=True)]
    best = max(range(1, len(ranked)), key=lambda position: (shares[position] > 0,
                                                            pulled[position], -position))
    if shares[best] <= LOOK_ALIKE_VOTE * none_share or pulled[best] <= pulled[0]:
        return ranked
    return [ranked[best], *ranked[:best], *ranked[best + 1:]]
