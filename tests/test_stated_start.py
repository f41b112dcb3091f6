"""Round 17 (rank19): a paste that says its model server never came up lists the start entry.

A model server that never comes up was the largest class of pastes whose entry was not among
the first three: an issue's title ("the model server fails to start", "the predictor pod keeps
crashing", "[Errno 98] Address already in use") was often all the paste said of its failure,
while its body (a manifest, a start-up log that stops) shared words with other entries, so
service-launch-fails was not listed at all. The pastes here are written for these tests; no
evaluation paste is copied.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher
from bot.matching.ranking import by_stated_start_failure
from bot.matching.scoring import EntryScore, Evidence
from bot.matching.stages import StatedStart, stated_start

START = "service-launch-fails"

MANIFEST = (
    "\n\n```yaml\napiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
    "metadata:\n  name: sentiment\nspec:\n  predictor:\n    containers:\n"
    "    - image: registry.local/sentiment:2.1\n      resources:\n        limits:\n"
    "          nvidia.com/gpu: 1\n```")
BOOT_LOOP = (
    "\n[2024-01-02 10:00:01 +0000] [1] [INFO] Starting gunicorn 21.2.0"
    "\n[2024-01-02 10:00:01 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)"
    "\n[2024-01-02 10:00:01 +0000] [7] [INFO] Booting worker with pid: 7"
    "\n[2024-01-02 10:00:40 +0000] [9] [INFO] Booting worker with pid: 9"
    "\n[2024-01-02 10:01:20 +0000] [11] [INFO] Booting worker with pid: 11")


def _ids(paste: str) -> list[str]:
    return [m.entry_id for m in default_matcher().match(paste).matches]


@pytest.mark.parametrize("paste", [
    # a Korean title over a manifest (the English one was listed first already)
    "모델 서버 컨테이너가 업그레이드 후 시작되지 않아요" + MANIFEST,
    # a crash told in words: listed, not first
    "The predictor pod keeps crashing after deploy\n\nresources:\n  limits:\n    cpu: 2\n"
    "    memory: 4Gi",
    "예측 파드가 배포 후에 계속 죽어요\n\nresources:\n  limits:\n    cpu: 2\n    memory: 4Gi",
    # another process holds the port: the server exits at start
    "my inference server fails to start: OSError: [Errno 98] Address already in use",
])
def test_a_server_that_never_came_up_lists_the_start_entry(paste: str) -> None:
    assert START in _ids(paste)[:3]


@pytest.mark.parametrize("paste", [
    "My model API never finishes starting, it keeps booting new workers:" + BOOT_LOOP,
    "Model API fails to start, the log loops like this:" + BOOT_LOOP,
    "모델 API 서버가 시작되지 않아요. 로그:" + BOOT_LOOP,
    "모델 API 서버가 부팅 중에 계속 멈춰요:" + BOOT_LOOP,
])
def test_a_named_start_failure_goes_above_a_timeout_read_from_words(paste: str) -> None:
    # gunicorn's "Booting worker with pid" shares words with the 504's `WORKER TIMEOUT
    # (pid:N)`; the person says the server never started, so it never served a request
    assert _ids(paste)[0] == START


def test_a_slow_request_keeps_its_timeout() -> None:
    paste = "the model API is slow, some requests time out:" + BOOT_LOOP
    assert _ids(paste)[0] == "http-status-code-504"


@pytest.mark.parametrize("text", [
    "Torch model server fails to start after the upgrade",
    "the container won't run on the cluster",
    "the worker does not finish starting and boots again",
    "it hangs during start-up and then exits",
    "ModuleNotFoundError: No module named 'handler'",
    "[errno 98] address already in use",
    '  File "/opt/venv/lib/python3.12/site-packages/vllm/engine/llm_engine.py", line 40, '
    "in __init__",
    "서버가 시작이 안 돼요",
    "모델 서버가 안 떠요",
    "모델을 로딩하다가 죽어요",
    "容器启动失败",
])
def test_statements_that_name_the_start(text: str) -> None:
    said = stated_start(text, [text])
    assert said is not None and said.named and said.line == 0


@pytest.mark.parametrize("text", [
    "the ollama server crashed again",
    "파드가 계속 재시작돼요",
    "12:00 INF Loading model 'mini' with backend llama\nFails: backend not found",
])
def test_crashes_and_start_up_logs_list_without_naming_the_start(text: str) -> None:
    said = stated_start(text, text.splitlines())
    assert said is not None and not said.named


@pytest.mark.parametrize("text", [
    "the request fails with 500",
    "ORT server fails to run predict on my model: status 400",
    "the job fails to run the training script",
    "everything works, how do I add a second model?",
    "Loading model weights took 40 seconds",
])
def test_other_failures_say_nothing_of_the_start(text: str) -> None:
    assert stated_start(text, [text]) is None


def _scored(entry: int, score: float, *, pattern: bool = False) -> EntryScore:
    return EntryScore(entry, score, Evidence(score, 1.0, 0, 0, None, "sig"), 1, score,
                      pattern_found=pattern)


# entries: 0 a serve-stage cause, 1 a build-stage cause, 2 a procedure, 3 the start symptom
KINDS = ["cause", "cause", "procedure", "symptom"]
STAGES = ["serve", "build", "", "start"]


def test_listed_third_below_the_paste_s_own_evidence() -> None:
    ranked = [_scored(1, 80.0), _scored(2, 40.0), _scored(0, 30.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=False))
    assert [item.entry for item in order] == [1, 2, 3, 0]
    assert order[2].score <= 20.0


def test_named_start_goes_above_a_serve_lead_on_words_only() -> None:
    ranked = [_scored(0, 45.0), _scored(3, 10.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=True))
    assert [item.entry for item in order] == [3, 0]
    assert order[1].explained


def test_a_serve_lead_on_its_own_pattern_keeps_its_place() -> None:
    ranked = [_scored(0, 45.0, pattern=True), _scored(1, 30.0), _scored(2, 20.0),
              _scored(3, 5.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=True))
    assert [item.entry for item in order] == [0, 1, 3, 2]


def test_nothing_moves_when_already_listed_or_no_start_symptom() -> None:
    ranked = [_scored(1, 80.0), _scored(3, 40.0)]
    assert by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, False)) is ranked
    no_symptom = ["cause", "cause", "procedure", "cause"]
    other = [_scored(0, 30.0)]
    assert by_stated_start_failure(other, no_symptom, STAGES, StatedStart(0, True)) is other
