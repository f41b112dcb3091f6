"""Round 16 (none17): a task's or pull request's title that proposes a change about a failure
("Handle pod CrashLoopBackOff", "oc status should report oom kill") is not someone's failure.
With no printed failure line under it, its first candidate is listed but never sure and never
"probably" a diagnosis (asking.proposes, decision.may_be_sure / may_be_probable). A report
keeps its answer: a title in the same words above a program's own failure lines, a person
saying what happened, a person saying what the server should have done."""

from __future__ import annotations

import pytest

from bot.matching.asking import printed_failure, proposes
from bot.matching.decision import may_be_probable, may_be_sure
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher

PROPOSALS = [
    "Handle pod CrashLoopBackOff",
    "Support OOMKilled",
    "Add detection of init:CrashLoopBackOff for pods\n\nDetect errors and `CrashLoopBackOff` "
    "during init phase of pods",
    "oc status should report oom kill\n\nIf a container has an OOM, the pod container status "
    "last termination state shows the Reason as `OOMKilled` and `ExitCode` is 137.\n\nTo help "
    "users understand the system better, we should have `oc status` report when this occurs.",
    "The workspace should be marked failed when its pod has CrashLoopBackOff status\n\n"
    "Currently, when the pod fails, the workspace will be starting forever.",
    "feat(predictor): add a startupProbe to the model containers\n\nLarge models that need "
    "longer get killed by the liveness probe when the delay expires.",
]


@pytest.mark.parametrize("text", PROPOSALS)
def test_a_proposal_is_recognised(text: str) -> None:
    assert proposes(text)


@pytest.mark.parametrize("text", [
    "pods in CrashLoopBackOff after deploy",
    "the pod should show up as Running but it is in CrashLoopBackOff",
    "the server should handle it but every request returns 503 Service Unavailable",
    "I should report that my scoring pod is OOMKilled again",
    # the same title above what kubectl printed is a report
    "Handle pod CrashLoopBackOff\n\nNAME          READY   STATUS             RESTARTS   AGE\n"
    "scorer-7d9   0/1     CrashLoopBackOff   12         40m",
    "Add more memory to the scoring pod\n  Last State:  Terminated\n    Reason:    OOMKilled\n"
    "    Exit Code: 137",
    "Support OOMKilled\n2024-05-02T10:11:12Z ERROR worker exited with code 137 (OOMKilled)",
    # a model server's own status table: printed output with an error, no exception line
    "Allow the server to stay up on model load failure?\n\n| Model | Version | Status"
    "                                |\n| resnet     | 1       | UNAVAILABLE: Internal: unable "
    "to create TensorRT engine |",
])
def test_a_report_is_not_a_proposal(text: str) -> None:
    assert not proposes(text)


def test_a_sentence_is_not_printed_output_but_a_describe_field_is() -> None:
    assert not printed_failure("If a container has an OOM, the Reason is `OOMKilled`.")
    assert printed_failure("    Reason:    OOMKilled")
    assert printed_failure('"reason": "Unhealthy",')


def test_the_rules_read_the_row() -> None:
    row = [0.0] * len(FEATURE_NAMES)
    row[FEATURE_NAMES.index("proposes")] = 1.0
    assert not may_be_sure(row)
    assert not may_be_probable(row, asks=False)
    row[FEATURE_NAMES.index("kind_procedure")] = 1.0
    assert may_be_probable(row, asks=False)  # a procedure still answers it


@pytest.mark.parametrize("text", PROPOSALS[:4])
def test_a_proposal_gets_no_diagnosis(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches  # still listed
    assert all(match.tier == "unknown" for match in result.matches)


@pytest.mark.parametrize("text", [
    "pods in CrashLoopBackOff after deploy",
    "Handle pod CrashLoopBackOff\n\n  Warning  BackOff  2m (x12 over 5m)  kubelet  Back-off "
    "restarting failed container scorer in pod scorer-7d9",
])
def test_a_crash_loop_report_is_still_answered(text: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "service-launch-fails"
    assert first.tier in ("confident", "likely")
