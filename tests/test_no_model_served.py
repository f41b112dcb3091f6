"""Round 16 (likely17): "probably" needs a model served or a pod in sight.

A paste whose words show no model being served and no Kubernetes pod (a pip install, a desktop
app in Docker, a debugger attaching to a process, a proxy's own memory) shares an entry's
words (a timeout, an exit code, out of memory) and nothing of the setting the entry is for:
its first candidate is listed, never "probably" (scope.no_model_served,
decision.may_be_likely). The sure tier is not touched, and a model server, a pod or an Azure
deployment named anywhere keeps the answer."""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching.context import paste_terms
from bot.matching.decision import (
    TIER_CONFIDENT,
    TIER_LIKELY,
    TIER_UNKNOWN,
    ConfidenceModel,
)
from bot.matching.features import FEATURE_NAMES
from bot.matching.korean import glossed_terms
from bot.matching.matcher import default_matcher
from bot.matching.scope import no_model_served

DEBUGGER = (
    "Attach to PID inside container\n\n## Expected behaviour\n\nAttach to PID when running "
    "VSCode in a docker container works\n\n## Actual behaviour\n\nTimeout attaching to "
    "debugger. No debug command output at all.\n\n## Steps to reproduce:\n\n1. Attach to "
    "container\n2. Run the attach to PID configuration\n3. Timed out waiting for debuggee to "
    "spawn")
# A FastAPI site's gunicorn timeout (round 16's time split had two): the 504 entry's words,
# with no model behind them. Without the rule the shipped model shows it "probably" a 504.
WEB_API_TIMEOUT = (
    "Gunicorn worker timeout issue\n\nBelow is my gunicorn config for fastapi\n\n"
    "workers = 4\nworker_class = \"uvicorn.workers.UvicornWorker\"\ntimeout = 120\n\n"
    "When an api call has more compute the worker gets a timeout:\n"
    "[2024-01-10 10:00:01 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:42)\n"
    "[2024-01-10 10:00:02 +0000] [1] [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of "
    "memory?")
PROXY_OOM = (
    "[BUG] gateway in docker container constantly crashes due to Out-of-Memory (OOM)\n\n"
    "Linux 5.10.0-36-amd64, 1 CPU limit for docker container\n\nI would like to keep it within "
    "a 512 MB memory limit, but right now with a 1GB memory limit set on the container it "
    "still gets killed:\n\nkernel: Memory cgroup out of memory: Killed process 4242 (gateway)")


@pytest.mark.parametrize("text", [
    DEBUGGER,
    WEB_API_TIMEOUT,
    PROXY_OOM,
    "sudo pip install fuel\nerror: command 'gcc' failed with exit status 1",
    "docker - exiting with error code 139\n\nFresh install on a Raspberry Pi using the docker "
    "instructions; the container exits with code 139 right after start.",
])
def test_nothing_of_a_model_served(text: str) -> None:
    assert no_model_served(paste_terms(text))


@pytest.mark.parametrize("text", [
    # a model server named by its program (the underscores split)
    "tensorflow_model_server --port=9000 --model_base_path=/tmp/mnist\nNot found: no servable",
    "text_generation_launcher: Shard 0 failed to start",
    "pods in CrashLoopBackOff after deploy",
    "Aibrix-runtime container for mock app crash loops on liveliness probe failure",
    "my endpoint returns 502 Bad Gateway",
    "curl --request POST 127.0.0.1:5001/score returns 500",
])
def test_a_model_server_or_a_pod_is_in_sight(text: str) -> None:
    assert not no_model_served(paste_terms(text))


@pytest.mark.parametrize("text", [
    # Korean attaches particles to the word: the stems are read in the text.
    "엔드포인트 호출하면 504 Gateway Timeout이 나요",
    "모델을 배포했는데 계속 재시작돼요",
    "파드가 OOMKilled 됐어요",
    "추론 요청이 502로 실패합니다",
])
def test_a_korean_endpoint_model_or_pod_is_in_sight(text: str) -> None:
    assert not no_model_served(paste_terms(text) | glossed_terms(text), text)


def test_a_korean_endpoints_timeout_is_still_probably_a_504() -> None:
    # Unglossed, likely17's rule hid this answer: nothing Latin named a model or a pod.
    first = default_matcher().match("엔드포인트 호출하면 504 Gateway Timeout이 나요. "
                                    "1분 넘게 걸리는 요청만 그래요").matches[0]
    assert first.entry_id == "http-status-code-504"
    assert first.tier in (TIER_CONFIDENT, TIER_LIKELY)


def test_only_the_likely_tier_needs_a_model_in_sight() -> None:
    width = len(FEATURE_NAMES)
    model = ConfidenceModel(FEATURE_NAMES, np.zeros(width), np.ones(width), np.zeros(width),
                            0.0, confident=0.9, likely=0.4)
    assert model.tier(0.6, 80.0, may_be_likely=False) == TIER_UNKNOWN
    assert model.tier(0.6, 80.0, may_be_likely=True) == TIER_LIKELY
    assert model.tier(0.95, 80.0, may_be_likely=False) == TIER_CONFIDENT


@pytest.mark.parametrize("text", [WEB_API_TIMEOUT, DEBUGGER, PROXY_OOM])
def test_a_paste_with_no_model_in_sight_is_not_probably_answered(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches, "still lists its candidates"
    assert result.matches[0].tier != TIER_LIKELY


def test_the_same_timeout_in_a_model_server_is_still_probably_a_504() -> None:
    text = WEB_API_TIMEOUT.replace("fastapi", "the model's fastapi scoring app")
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "http-status-code-504"
    assert first.tier in (TIER_CONFIDENT, TIER_LIKELY)


def test_the_same_kill_in_a_model_servers_pod_is_still_answered() -> None:
    text = ("our scoring pod keeps restarting after deploy:\n  Last State:  Terminated\n"
            "    Reason:    OOMKilled\n    Exit Code: 137")
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "vm-out-of-memory"
    assert first.tier in (TIER_CONFIDENT, TIER_LIKELY)
