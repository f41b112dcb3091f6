"""Round 15 (none16): two families of unrelated pastes that were answered surely.

- A paste that talks ABOUT a failure instead of reporting one happening (a pull request, a
  review suggestion, a design proposal, a documentation issue) is never sure and never
  "probably" a diagnosis, whatever error lines it quotes (asking.discusses,
  decision.may_be_sure / may_be_probable).
- A plain web app (a web stack named, nothing of a model served or of a Kubernetes pod) is
  never a sure answer; it can still be "probably" one (scope.web_app_only).

Short reports stay reports: "pods in CrashLoopBackOff after deploy" is neither."""

from __future__ import annotations

import pytest

from bot.matching.asking import discusses
from bot.matching.context import paste_terms
from bot.matching.decision import may_be_probable, may_be_sure
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import default_matcher
from bot.matching.scope import web_app_only


@pytest.mark.parametrize("text", [
    "Updating liveness check\n\nThis PR updates the liveness endpoint so that it returns a 503 "
    "response when the model load has failed.",
    "**What this PR does / why we need it**:\nWhen the model fails to load the server keeps "
    "reporting ready.",
    "Add serving debugging guide\n\n+### Inference Service in OOM status\n+If you see "
    "`ExitCode137` ...\n\n**reviewer**:\n```suggestion\nIf you see `ExitCode137` from the "
    "revision status, the pod is out of memory.\n```",
    "Issue with k8s.io/docs/tasks/configure-pod-container/assign-memory-resource/\n\nThe "
    "status \"OOMKilled\" never occurs in the tutorial's step.",
])
def test_texts_about_a_failure_discuss_it(text: str) -> None:
    assert discusses(text)


@pytest.mark.parametrize("text", [
    "pods in CrashLoopBackOff after deploy",
    "my endpoint returns 504 after the deploy, we tried raising request_timeout_ms",
    "Warning  BackOff  2m (x12 over 5m)  kubelet  Back-off restarting failed container",
    # GitHub's feature-request template is used to file real failures too.
    "Increase timeout for the operator\n\n**Is your feature request related to a problem? "
    "Please describe.**\nOur model service answers 504 Gateway Time-out after 60 s.",
    "The deployment failed, should we add more memory? Last state: OOMKilled, exit code 137",
    # How people report in chat: a plan, the docs they followed, what they expected.
    "we should add more memory, the scoring pod is OOMKilled again (exit code 137)",
    "the docs say to raise request_timeout_ms but we still get 504 Gateway Timeout",
    "the server should handle it but every request returns 503 Service Unavailable",
    "How do I increase the sidecar timeout?\nWe see this error as one predictor takes 10 s; "
    "ideally we should allow this to be configured.\nRead timed out; nested exception is "
    "java.net.SocketTimeoutException: Read timed out",
])
def test_reports_do_not_discuss(text: str) -> None:
    assert not discusses(text)


DJANGO_SITE = (
    "Worker being spawned but no indication of previous one failing?\n\n"
    "exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 --timeout 240 --workers 3\n\n"
    "When my Django app makes a long running AJAX call I get a 502 from my nginx proxy and in "
    "the logs:\n[2023-11-28 17:18:31 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:201)\n"
    "[2023-11-28 17:19:33 +0000] [1] [INFO] Booting worker with pid: 254")


def test_a_plain_web_app_is_one() -> None:
    assert web_app_only(paste_terms(DJANGO_SITE))


@pytest.mark.parametrize("text", [
    # The Azure ML inference server runs gunicorn too.
    "azmlinfsrv - [CRITICAL] WORKER TIMEOUT (pid:45)\nscore.py run() took 75 s for the model",
    # A web app in a pod follows the non-model pod rule.
    "the flask pod is OOMKilled: Last State: Terminated, Reason: OOMKilled, Exit Code: 137",
    "pods in CrashLoopBackOff after deploy",
])
def test_a_model_server_or_a_pod_is_not_a_plain_web_app(text: str) -> None:
    assert not web_app_only(paste_terms(text))


def test_the_rules_read_the_rows() -> None:
    row = [0.0] * len(FEATURE_NAMES)
    assert may_be_sure(row) and may_be_probable(row, asks=False)
    web = list(row)
    web[FEATURE_NAMES.index("web_app_only")] = 1.0
    assert not may_be_sure(web) and may_be_probable(web, asks=False)
    talk = list(row)
    talk[FEATURE_NAMES.index("discusses")] = 1.0
    assert not may_be_sure(talk) and not may_be_probable(talk, asks=False)
    talk[FEATURE_NAMES.index("kind_procedure")] = 1.0
    assert may_be_probable(talk, asks=False)  # a procedure still answers it


def test_a_plain_web_apps_timeout_is_never_a_sure_scoring_timeout() -> None:
    result = default_matcher().match(DJANGO_SITE)
    assert not result.matches[0].confident


def test_a_pull_request_describing_oom_kills_is_not_an_answer() -> None:
    text = ("Report OOM kills in the predictor status\n\n**What this PR does / why we need it**:"
            "\nIf a container has an OOM, the pod's last termination state shows the Reason as "
            "`OOMKilled` and `ExitCode` is 137. This PR adds that reason to the status so the "
            "user can request more memory.")
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "vm-out-of-memory"  # still listed first
    assert first.tier == "unknown"


@pytest.mark.parametrize("text", [
    # the OOM kill itself
    "our scoring pod keeps restarting after deploy:\n  Last State:  Terminated\n"
    "    Reason:    OOMKilled\n    Exit Code: 137",
    # a plan told beside the kill is still a report
    "we should add more memory, the scoring pod is OOMKilled again:\n  Last State:  "
    "Terminated\n    Reason:    OOMKilled\n    Exit Code: 137",
])
def test_an_oom_kill_report_is_still_answered(text: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "vm-out-of-memory"
    assert first.tier in ("confident", "likely")


def test_a_short_crash_loop_report_is_still_answered() -> None:
    first = default_matcher().match("pods in CrashLoopBackOff after deploy").matches[0]
    assert first.entry_id == "service-launch-fails"
    assert first.tier in ("confident", "likely")


def test_a_proposals_headings_are_cues_on_a_line_of_their_own() -> None:
    assert discusses("Scale-to-zero for predictors\n\n**Motivation**\nIdle GPUs cost money.")
    assert not discusses("the motivation for the restart was a probe failure: Liveness probe "
                         "failed: HTTP probe failed with statuscode: 500")
