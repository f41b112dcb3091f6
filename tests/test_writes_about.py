"""Round 18 (writes20): pastes that write ABOUT a failure instead of reporting one happening to
the writer (asking.writes_about) are listed but never sure nor "probably": a feature named by
what it would let one do ("Option to ...", "Ability to ...", "Support for ..."), a change
described ("Changes to support ..."), a documentation page edited ("Update <page>.md", a
`docs:` tag), an alert's severity moved, what a product should ship ("should come with"), a
capability named ("... detection and handling"), a terse fix title naming a part and no
failure ("Fix readiness probe"), a pull request's template or the writer's own pull request.
A program's failure line under any such title makes the paste a report, and a fix title that
names the failure stays one too (tests/eval/LABELS.md labels fix pull requests by the failure
they fix). The texts are written for these tests, English and Korean."""

from __future__ import annotations

import pytest

from bot.matching.asking import printed_failure, writes_about
from bot.matching.decision import may_be_probable
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher

# Each is listed with an entry first; on round 18's start 9 of them were sure or "probably".
WRITES_ABOUT = [
    "Option to set a per-model inference timeout\n\nWe would like the server to cancel an "
    "inference call that runs longer than a configured limit, per model or per request.",
    "Ability to show that pods requesting more GPUs than the cluster has stay Pending",
    "Support for a startup probe in the Helm chart\n\nThe chart only defines liveness and "
    "readiness probes, so slow models are restarted before they load.",
    "Changes to support streaming responses in the scoring server",
    "Update troubleshoot-online-endpoints.md\n\nThe section about exit code 137 links to a page "
    "that moved.",
    "docs: describe the readiness probe settings for slow models",
    "[alerts] move KubePodCrashLooping to warning",
    "Sample charts should come with liveness and readiness probes\n\nRight now a pod is marked "
    "ready before the model has loaded and the first requests get 503.",
    "CrashLoopBackOff detection and handling\n\nWhen a rollout's pods crash-loop the tool keeps "
    "waiting until its own timeout. It could fail the rollout after the third restart instead.",
    "Fix readiness probe\n\nThe probe pointed at /health instead of /ready, see the discussion "
    "in the linked thread.",
    "Retry scoring calls on a gateway timeout\n\nWhat changes are proposed in this pull "
    "request?\n\nRetry the scoring call once when the gateway answers 504.\n\nIs this a "
    "user-facing change?\n- [x] No.",
    "Readiness endpoint is missing from the API server\n\nKubernetes needs a readiness probe to "
    "know when the model is loaded. I have opened a PR that adds /readyz: "
    "https://github.com/example/server/pull/12",
    "추론 요청 타임아웃을 설정할 수 있는 옵션이 필요합니다",
    "예제 차트에 liveness/readiness 프로브가 포함되어야 합니다\n\n지금은 모델이 로드되기 전에 "
    "파드가 Ready가 되어 첫 요청이 503을 받습니다.",
    "KubePodCrashLooping 알림을 warning으로 변경",
    "CrashLoopBackOff 감지 및 처리\n\n롤아웃 중 파드가 계속 재시작되면 타임아웃까지 기다리지 말고 "
    "세 번째 재시작에서 실패로 처리하면 좋겠습니다.",
    "배포 가이드 문서 수정: 스코어링 타임아웃 늘리는 방법 추가",
    # an issue tracker's tag before the title is the person's words, not a program's line
    "[Feature] Option to configure the request timeout per model",
    "[Bug]: chart Deployments omit readiness and liveness probes\n\nThe rendered model "
    "Deployments have no probes, so a pod is Ready before its engine has loaded.",
]
# Reports: a failure line a program printed under the same kinds of title, a fix title that
# names the failure, a person's own sentence that starts like a cue. (text, entry)
REPORTS = [
    ("Fix my deployment please\n\nTraceback (most recent call last):\n"
     '  File "/var/azureml-app/score.py", line 14, in init\n'
     "    model = joblib.load(model_path)\nFileNotFoundError: [Errno 2] No such file or "
     "directory: '/var/azureml-app/azureml-models/churn/3/model.pkl'",
     "function-fails-get_model_path"),
    ("Fix liveness probe\n\n  Warning  Unhealthy  12s (x6 over 2m)  kubelet  Liveness probe "
     "failed: HTTP probe failed with statuscode: 500\n  Normal   Killing    12s               "
     "kubelet  Container model-server failed liveness probe, will be restarted",
     "service-launch-fails"),
    ("Fix pods OOMKilled under load", "vm-out-of-memory"),
    ("fix: raise the model server's memory to 4Gi to stop the OOM restarts\n\n"
     "  Last State:     Terminated\n    Reason:       OOMKilled\n    Exit Code:    137",
     "vm-out-of-memory"),
    ("Option to restart didn't help, the scoring pod is still in CrashLoopBackOff\n\n"
     "NAME                        READY   STATUS             RESTARTS   AGE\n"
     "scorer-6c9d7b-kq2x          0/1     CrashLoopBackOff   9          25m",
     "service-launch-fails"),
    ("라이브니스 프로브 수정 부탁드려요\n\n  Warning  Unhealthy  12s (x6 over 2m)  kubelet  "
     "Liveness probe failed: HTTP probe failed with statuscode: 500", "service-launch-fails"),
    ("README 보고 배포했는데 파드가 OOMKilled 돼요\n\n    Reason:       OOMKilled\n"
     "    Exit Code:    137", "vm-out-of-memory"),
]


@pytest.mark.parametrize("text", WRITES_ABOUT)
def test_writing_about_a_failure_is_recognised(text: str) -> None:
    assert writes_about(text)


@pytest.mark.parametrize("text", WRITES_ABOUT)
def test_such_a_paste_is_listed_but_never_sure_nor_probably(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches  # still listed
    assert result.matches[0].tier == "unknown"


@pytest.mark.parametrize(("text", "entry"), REPORTS)
def test_a_report_under_such_a_title_is_still_answered(text: str, entry: str) -> None:
    assert not writes_about(text)
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == entry
    assert first.tier in ("confident", "likely")


@pytest.mark.parametrize("text", [
    "Updating the deployment fails with 409: another operation is in progress on this endpoint",
    "Should the readiness probe fail while the model loads? The pod never becomes ready",
    "I updated README.md and now every scoring call returns 502",
    "Support ticket: our endpoint returns 504 after 60 seconds",
    "Handling of requests stops after an hour, then the pod restarts",
    "The response should include the predicted label but it comes back empty",
    "Problem with error handling in score.py",
    "응답에 예측값이 포함되어야 하는데 비어 있어요",
])
def test_a_persons_own_sentence_is_not_a_cue(text: str) -> None:
    assert not writes_about(text)


def test_a_held_back_paste_is_not_probably_even_a_procedure() -> None:
    """A docs pull request about the local-debugging page asks for no procedure: held back,
    its first candidate is never "probably", whatever its kind; a how-to question (`asks`)
    still gets its procedure."""
    procedure = [0.0] * len(FEATURE_NAMES)
    procedure[FEATURE_NAMES.index("kind_procedure")] = 1.0
    assert may_be_probable(procedure, asks=True)
    assert may_be_probable(procedure, asks=False)
    assert not may_be_probable(procedure, asks=False, held_back=True)
    assert not may_be_probable(procedure, asks=True, held_back=True)


def test_a_docs_pull_request_is_not_probably_the_local_debugging_procedure() -> None:
    text = ("Update testing-locally.md\n\nThe local deployment example never sets a port for "
            "LocalWebservice.deploy_configuration; add port=6789 so the sample runs as written.")
    result = default_matcher().match(text)
    assert writes_about(text)
    assert result.matches[0].entry_id == "debug-locally"  # listed first (was "probably")
    assert result.matches[0].tier == "unknown"


def test_a_titles_tag_is_words_but_a_log_level_is_output() -> None:
    title = "[Serve] Option to configure the request timeout"
    assert printed_failure(title)  # as proposes reads it (a feature: unchanged)
    assert not printed_failure(title, title_is_words=True)
    assert not printed_failure("bug: router hangs when a backend fails", title_is_words=True)
    assert printed_failure("[ERROR] Failed to load model: file not found", title_is_words=True)
    assert printed_failure("[2024-05-01 10:00:00] ERROR model load failed", title_is_words=True)
