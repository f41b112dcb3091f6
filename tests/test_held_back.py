"""Round 17 (podfate19): pastes that name a pod's fate (an OOM kill, a crash loop, a pod that
never gets a node) without a pod of the writer's having it on Kubernetes are never a sure
answer, nor "probably" a diagnosis:

- the container runs where the entries' fixes do not reach (scope.runs_elsewhere): a host that
  is not Kubernetes, named by its own kill message or domain (ECS, Cloud Run, Heroku), or a CI
  or workflow engine's step pod (Argo Workflows, Tekton, Prow, GitLab's runner);
- the paste writes about a failure (asking.writes_about): a title that asks for a feature, sets
  a policy about failing pods, or writes documentation about the failure;
- the deciding line is an init container's (features.init_container_line, decision.may_be_sure).

The real counterpart, a serving pod's own OOMKilled, CrashLoopBackOff or FailedScheduling,
keeps its sure answer. Both are rules, not features: the model and its thresholds stay as
without them (crossval.HELD_BACK_OUT_OF_THRESHOLDS)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.knowledge.crossval import Assessed, _decided, _sure_for_thresholds, _without_proposal
from bot.knowledge.evaluation import EvalItem
from bot.matching.asking import printed_failure, writes_about
from bot.matching.decision import may_be_probable, may_be_sure
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher
from bot.matching.scope import runs_elsewhere

# The container runs on a host that is not Kubernetes, or is a CI step's pod.
ELSEWHERE = [
    # ECS's stopped reason, pasted without naming ECS (a web API behind a CDN)
    "The dev API container is being OOM-killed:\n\n```\nexit 137  OutOfMemoryError: Container "
    "killed due to memory usage  19:51:01\nexit 137  OutOfMemoryError: Container killed due "
    "to memory usage  19:51:31\n```\nThe CDN returns its own 502 page.",
    "API 컨테이너가 계속 죽어요:\n\nexit 137  OutOfMemoryError: Container killed due to memory "
    "usage  19:51:01\n\n그래서 502가 나와요.",
    # Cloud Run's memory limit
    "Our service restarts under load: Memory limit of 512 MiB exceeded with 530 MiB used. "
    "Consider increasing the memory limit.",
    "서비스가 부하 때 재시작돼요: Memory limit of 512 MiB exceeded with 530 MiB used.",
    # Heroku's code for a dyno over its memory
    "2024-05-01T10:00:00 heroku[web.1]: Process running mem=1024M(200.1%)\n"
    "2024-05-01T10:00:00 heroku[web.1]: Error R14 (Memory quota exceeded)",
    # a CI workflow step's pod (Argo Workflows) stuck Pending
    "Looks like the pod is stuck in the pending state because of insufficient resources.\n\n"
    "kubectl describe pods presubmit-dashboard-1577-a5969ad\nNamespace:  test-infra\n"
    "Node:       <none>\nLabels:     workflows.argoproj.io/completed=false\n"
    "Status:     Pending",
    "CI 파이프라인 파드가 리소스 부족으로 Pending 상태에 머물러 있어요.\n\n"
    "Labels:     workflows.argoproj.io/completed=false\nStatus:     Pending",
]
# The paste writes about a failure: a docs page, a feature asked for, a policy.
WRITES_ABOUT = [
    "Initial pass at a runbook page for CrashLoopBackOff, and template",
    "CrashLoopBackOff 런북 페이지 초안과 템플릿",
    "Troubleshooting guide for OOMKilled pods",
    "OOMKilled 파드 트러블슈팅 가이드 작성",
    "Please add a feature to detect pods in CrashLoopBackOff.",
    "CrashLoopBackOff 상태의 파드를 감지하는 기능을 추가해 주세요",
    "Only relaunch failed pod with reason as OOMKilled\n\nmanager.py:236\n"
    "-            if evt_type == \"MODIFIED\" and phase == \"Failed\":\n"
    "+            if (\n+                phase == \"Failed\"\n"
    "+                and status.terminated.reason == \"OOMKilled\"\n\nWhy only this reason?",
    "OOMKilled 로 실패한 파드만 재시작하도록 변경\n\n"
    "+                and status.terminated.reason == \"OOMKilled\"",
]
# The real counterparts: a serving pod's own fate, English and Korean.
REPORTS = [
    ("My scoring pod keeps restarting:\n  Last State:     Terminated\n"
     "    Reason:       OOMKilled\n    Exit Code:    137", "vm-out-of-memory"),
    ("스코어링 파드가 계속 재시작돼요:\n  Last State:     Terminated\n"
     "    Reason:       OOMKilled\n    Exit Code:    137", "vm-out-of-memory"),
    ("After deploying the model the pod is in CrashLoopBackOff:\n"
     "NAME                      READY   STATUS             RESTARTS   AGE\n"
     "model-server-7d9f-x2k     0/1     CrashLoopBackOff   12         40m", "service-launch-fails"),
    ("모델 배포 후 파드가 CrashLoopBackOff 상태예요:\n"
     "NAME                      READY   STATUS             RESTARTS   AGE\n"
     "model-server-7d9f-x2k     0/1     CrashLoopBackOff   12         40m", "service-launch-fails"),
    ("The model server pod stays Pending:\n  Warning  FailedScheduling  2m  default-scheduler  "
     "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", "container-cannot-be-scheduled"),
    ("모델 서버 파드가 Pending 상태예요:\n  Warning  FailedScheduling  2m  default-scheduler  "
     "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", "container-cannot-be-scheduled"),
]


@pytest.mark.parametrize("text", ELSEWHERE)
def test_a_host_that_is_not_kubernetes_or_a_ci_step_is_recognised(text: str) -> None:
    assert runs_elsewhere(text)


@pytest.mark.parametrize("text", WRITES_ABOUT)
def test_writing_about_a_failure_is_recognised(text: str) -> None:
    assert writes_about(text)


@pytest.mark.parametrize("text", [text for text, _ in REPORTS] + [
    "pods in CrashLoopBackOff after deploy",
    "파드가 CrashLoopBackOff 상태예요",
    "Only one replica starts, the other is in CrashLoopBackOff",
    "Please help, the scoring pod is OOMKilled again",
    # the same title above a kill kubectl printed is a report
    "Only relaunch failed pods with reason OOMKilled\n  Last State:  Terminated\n"
    "    Reason:    OOMKilled\n    Exit Code: 137",
    # a Jenkins or Airflow server's pod is a platform pod (the non-model pod rule), not a step
    "pod/airflow-worker-0 gets stuck on pending with error: 1 node(s) didn't match Pod's node "
    "affinity/selector",
])
def test_a_pods_own_fate_is_neither(text: str) -> None:
    assert not runs_elsewhere(text)
    assert not writes_about(text)


def test_code_and_a_korean_sentence_are_not_printed_output() -> None:
    assert not printed_failure('+    and status.terminated.reason == "OOMKilled"')
    assert not printed_failure("if reason != 'CrashLoopBackOff':")
    assert not printed_failure("CrashLoopBackOff 상태의 파드를 감지하는 기능을 추가해 주세요")
    assert printed_failure("    Reason:    OOMKilled")
    assert printed_failure("model-server-7d9f-x2k     0/1     CrashLoopBackOff   12         40m")


@pytest.mark.parametrize("text", ELSEWHERE + WRITES_ABOUT)
def test_such_a_paste_is_listed_but_never_sure_nor_probably(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches  # still listed
    assert result.matches[0].tier == "unknown"


@pytest.mark.parametrize(("text", "entry"), REPORTS)
def test_a_pods_own_fate_is_still_answered_for_sure(text: str, entry: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == entry
    assert first.tier == "confident"


def _assessed(held_back: bool) -> Assessed:
    rows = np.zeros((1, len(FEATURE_NAMES)))
    rows[0, FEATURE_NAMES.index("score")] = 1.0
    return Assessed(EvalItem("a", "text", "none", "https://github.com/o/a/issues/1", "real"),
                    ("e",), (), rows, np.asarray([0.0]), held_back=held_back)


def test_the_rule_decides_but_the_thresholds_count_the_paste_as_before() -> None:
    sure = np.asarray([0.99])
    assert _decided(_assessed(False), sure, sure, 0.9, 0.4, 0.5).tier == "confident"
    assert _decided(_assessed(True), sure, sure, 0.9, 0.4, 0.5).tier == "unknown"
    # counted where the confident threshold is picked, as if the rule did not hold it back
    assert _sure_for_thresholds(_assessed(True))


# An init container's fate (LABELS.md: `none`): the serving container never started.
INIT_CONTAINER = [
    "Triton Server Init:CrashLoopBackOff\n\n      Reason:       PodInitializing\n"
    "    Ready:          False\n    Restart Count:  0",
    "NAME                        READY   STATUS                  RESTARTS   AGE\n"
    "triton-server-5f69b747f-2s  0/1     Init:CrashLoopBackOff   6          10m",
    "모델을 내려받는 init 컨테이너 때문에 Triton 서버가 Init:CrashLoopBackOff 상태예요\n\n"
    "      Reason:       PodInitializing\n    Ready:          False",
]


@pytest.mark.parametrize("text", INIT_CONTAINER)
def test_an_init_containers_crash_loop_is_listed_but_never_sure_nor_probably(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches[0].entry_id == "service-launch-fails"  # still listed first
    assert result.matches[0].tier == "unknown"


def test_an_init_containers_line_holds_back_the_row_not_the_thresholds() -> None:
    row = [0.0] * len(FEATURE_NAMES)
    row[FEATURE_NAMES.index("init_container_line")] = 1.0
    assert not may_be_sure(row)
    assert not may_be_probable(row, asks=False)
    row[FEATURE_NAMES.index("kind_procedure")] = 1.0
    assert may_be_probable(row, asks=False)  # reading the init container's logs still may be
    held = _assessed(False)
    rows = np.array(held.rows)
    rows[0, FEATURE_NAMES.index("init_container_line")] = 1.0
    counted = _without_proposal(replace(held, rows=rows))
    assert counted.rows[0][FEATURE_NAMES.index("init_container_line")] == 0.0
