"""A cause the paste states goes above the symptom it explains (ranking.stated_any_stage_cause).

The kubelet's back-off line or ACI's crash message scores high on rare words and proves the
start stage; the line that says why (`OOMKilled`, `Exit Code: 137`, gunicorn's "Worker ... was
sent SIGKILL! Perhaps out of memory?", a person's "it was OOM killed") may be made of common
words. When it is the out-of-memory entry's own authored pattern, the paste states the cause,
and the crash loop is what it looks like. Each paste is written in this project's own words, in
the format the software prints; none is an evaluation item. The first two already ranked the
memory first on rare words of their own; the pastes in a person's words are the rule's.
"""

from __future__ import annotations

from bot.matching.matcher import default_matcher
from bot.matching.ranking import CAUSE_MIN, by_kind
from bot.matching.scoring import EntryScore, Evidence

OOM = "vm-out-of-memory"
CRASH = "service-launch-fails"

DESCRIBE_POD = """\
$ kubectl describe pod sentiment-scorer-7d9c6b5f4-x2kqp -n azureml
Containers:
  inference-server:
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
    Restart Count:  7
    Limits:
      memory:  2Gi
Events:
  Warning  BackOff  2m (x31 over 16m)  kubelet  Back-off restarting failed container
"""
ACI_GUNICORN_KILL = """\
Aci Deployment failed with exception: Your container application crashed. This may be caused by errors in your scoring file's init() function.
Please check the logs for your container instance: resnet-aci. From the AML SDK, you can run print(service.get_logs()) if you have service object to fetch the logs.
2026-12-01T08:41:12,003 | root | INFO | Invoking user's init function
[2026-12-01 08:41:58 +0000] [1] [ERROR] Worker (pid:9) was sent SIGKILL! Perhaps out of memory?
[2026-12-01 08:41:58 +0000] [31] [INFO] Booting worker with pid: 31
"""  # noqa: E501 (ACI's message is one line)
# The image was pulled (so the build is history), the container crash-loops, and the person's
# own line says why: the kill is worded in common words, the back-off line in rare ones.
PULLED_THEN_OOM = """\
Events:
  Type     Reason   Age                From     Message
  ----     ------   ----               ----     -------
  Normal   Pulling  9m                 kubelet  Pulling image "contosoacr.azurecr.io/azureml/azureml_8e1d0c:1"
  Normal   Pulled   7m                 kubelet  Successfully pulled image "contosoacr.azurecr.io/azureml/azureml_8e1d0c:1" in 2m1.3s
  Normal   Started  3m (x4 over 7m)    kubelet  Started container inference-server
  Warning  BackOff  40s (x15 over 6m)  kubelet  Back-off restarting failed container inference-server in pod llm-blue-5f7b8c9d6-pq4rs
The image pulls fine now, but the container gets OOM killed while the model loads and then it restarts.
"""  # noqa: E501 (one kubelet event is one line)
CRASH_LOOP_OOM_IN_WORDS = ("the scorer pod keeps going into CrashLoopBackOff, describe says it "
                           "was OOM killed right after loading the model")
# Memory only guessed at, in loose words: no pattern of the entry says the process was killed.
CRASH_LOOP_MEMORY_GUESS = ("Our scorer pod is in CrashLoopBackOff since we switched to the "
                           "larger model. Could it be memory related? The limits are 4Gi.")


def ranked_ids(paste: str) -> list[tuple[str, bool]]:
    """The shipped matcher's order as (entry, explained)."""
    matcher = default_matcher()
    return [(matcher.index.entry_ids[item.entry], item.explained)
            for item in matcher.assess(paste).ranked]


def test_a_crash_loop_whose_last_state_was_oomkilled_is_answered_with_the_memory() -> None:
    order = ranked_ids(DESCRIBE_POD)
    assert order[:2] == [(OOM, False), (CRASH, True)]


def test_gunicorn_killing_a_worker_for_memory_explains_an_aci_crash() -> None:
    order = ranked_ids(ACI_GUNICORN_KILL)
    assert order[:2] == [(OOM, False), (CRASH, True)]
    assert default_matcher().match(ACI_GUNICORN_KILL).matches[0].entry_id == OOM


def test_an_oom_line_in_common_words_goes_above_a_crash_loop_after_an_image_pull() -> None:
    # The back-off line proves the start stage and scores on rare words; the stated kill is
    # still the answer, and the crash loop is recorded as what it looks like.
    order = ranked_ids(PULLED_THEN_OOM)
    assert order[:2] == [(OOM, False), (CRASH, True)]
    assert default_matcher().match(PULLED_THEN_OOM).matches[0].entry_id == OOM


def test_a_crash_loop_said_to_be_oom_killed_is_the_memory() -> None:
    assert ranked_ids(CRASH_LOOP_OOM_IN_WORDS)[:2] == [(OOM, False), (CRASH, True)]


def test_memory_only_guessed_at_leaves_the_crash_loop_first() -> None:
    order = ranked_ids(CRASH_LOOP_MEMORY_GUESS)
    assert order[0] == (CRASH, False)
    assert (OOM, False) in order  # still a candidate below it


# ----- the rule on its own: scored entries as the scorer gives them

KINDS = ("symptom", "cause")
SYMPTOM, CAUSE = 0, 1


def _scored(entry: int, score: float, *, pattern: bool, specific: float = 2.0) -> EntryScore:
    """An entry whose deciding evidence is one of its patterns (`pattern`) or a signature;
    a pattern of rare words is a `pattern_hit` (it proves its stage), one of common words only
    `pattern_found`."""
    span = (0, 10) if pattern else None
    evidence = Evidence(score, specific, 0, 0, span, f"evidence of {entry}")
    return EntryScore(entry, score, evidence, 1, score, specific,
                      pattern_hit=pattern and specific >= 3.0, pattern_found=pattern)


PROVEN_CRASH = _scored(SYMPTOM, 100.0, pattern=True, specific=8.0)


def test_a_stated_cause_of_any_stage_overtakes_a_proven_symptom_below_cause_min() -> None:
    stated = _scored(CAUSE, CAUSE_MIN - 15, pattern=True)
    order = by_kind([PROVEN_CRASH, stated], KINDS, ["start", ""])
    assert [(item.entry, item.explained) for item in order] == [(CAUSE, False), (SYMPTOM, True)]


def test_a_cause_found_only_by_loose_words_does_not_move() -> None:
    loose = _scored(CAUSE, CAUSE_MIN - 15, pattern=False)
    order = by_kind([PROVEN_CRASH, loose], KINDS, ["start", ""])
    assert [(item.entry, item.explained) for item in order] == [(SYMPTOM, False), (CAUSE, False)]


def test_a_stated_cause_bound_to_a_stage_keeps_the_old_rule() -> None:
    # A cause of the symptom's stage needs CAUSE_MIN and specific evidence, as before; one of
    # another stage never explains a proven symptom (a failing run() is no crash in init()).
    stated = _scored(CAUSE, CAUSE_MIN - 15, pattern=True)
    for stages in (["start", "start"], ["start", "serve"]):
        order = by_kind([PROVEN_CRASH, stated], KINDS, stages)
        assert [(item.entry, item.explained) for item in order] == [(SYMPTOM, False),
                                                                    (CAUSE, False)]
