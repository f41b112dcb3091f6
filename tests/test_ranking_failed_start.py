"""A start the paste says failed goes above a serve-stage entry that only shared words with it.

gunicorn's "Worker failed to boot", TorchServe's worker that disconnects while still in
WORKER_STARTED, a person's "loads a 3 GB model when the app starts up" beside gunicorn's WORKER
TIMEOUT: the server never served, so the 504's `WORKER TIMEOUT (pid:42)` signature matching
"Booting worker with pid" or "backend worker process died", or a run() signature matching a
library's TypeError, is not the answer (ranking.by_failed_start, stages.failed_start). A cause
of the start stage stated by its own pattern goes above the crash its sentence describes
(ranking.stated_own_stage_cause). Each paste is written in this project's own words, in the
format the software prints; none is an evaluation item. The matcher here has no precedents, so
the order is the paste's own evidence and the rules, not the vote of earlier reports.
"""

from __future__ import annotations

from functools import lru_cache

from bot.knowledge.loader import cached_knowledge_base
from bot.matching.matcher import Matcher
from bot.matching.stages import failed_start, passed_stages

CRASH = "service-launch-fails"
MODEL_PATH = "function-fails-get_model_path"
TIMEOUT = "http-status-code-504"
RUN = "function-fails-runinput_data"

# mlflow models serve: the model's library raises while the worker imports the app
MLFLOW_WORKER_FAILED_TO_BOOT = """\
mlflow models serve fails, the model was saved with another keras
  File "/opt/conda/envs/serve/lib/python3.10/site-packages/keras/src/layers/core/dense.py", line 88, in __init__
    super().__init__(**kwargs)
TypeError: ('Keyword argument not understood:', 'batch_input_shape')
[2026-11-02 10:14:09 +0000] [40214] [INFO] Worker exiting (pid: 40214)
[2026-11-02 10:14:10 +0000] [40211] [INFO] Shutting down: Master
[2026-11-02 10:14:10 +0000] [40211] [INFO] Reason: Worker failed to boot.
"""  # noqa: E501 (a log line is one line)
# TorchServe: the worker goes away before it loaded the model (never WORKER_MODEL_LOADED)
TORCHSERVE_WORKER_NEVER_LOADED = """\
2026-10-21T07:02:11,413 [DEBUG] W-9000-ranker_1.0 org.pytorch.serve.wlm.WorkerThread - W-9000-ranker_1.0 State change null -> WORKER_STARTED
2026-10-21T07:02:19,877 [INFO ] epollEventLoopGroup-5-1 org.pytorch.serve.wlm.WorkerThread - 9000 Worker disconnected. WORKER_STARTED
2026-10-21T07:02:19,878 [DEBUG] W-9000-ranker_1.0 org.pytorch.serve.wlm.WorkerThread - System state is : WORKER_STARTED
2026-10-21T07:02:19,878 [DEBUG] W-9000-ranker_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker monitoring thread interrupted or backend worker process died.
2026-10-21T07:02:19,880 [INFO ] W-9000-ranker_1.0 org.pytorch.serve.wlm.WorkerThread - Retry worker: 9000 in 1 seconds.
"""  # noqa: E501 (a log line is one line)
# gunicorn's timeout while the model loads at start, as the person says
TIMEOUT_WHILE_LOADING_AT_START = """\
Our FastAPI app loads a 3 GB model when the app starts up. Locally with uvicorn it is fine, in the container gunicorn keeps killing the workers:
[2026-11-10 09:01:40 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:7)
[2026-11-10 09:01:40 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)
[2026-11-10 09:01:41 +0000] [12] [INFO] Booting worker with pid: 12
[2026-11-10 09:01:41 +0000] [13] [INFO] Booting worker with pid: 13
"""  # noqa: E501 (a log line is one line)
# gunicorn's timeout on a request, after init() completed: the 504's own case
TIMEOUT_ON_A_REQUEST = """\
[2026-11-10 11:20:02 +0000] [1] [INFO] Booting worker with pid: 7
2026-11-10 11:20:09,114 | root | INFO | Users's init has completed successfully
2026-11-10 11:23:40,551 | root | INFO | POST /score received a request with 1840 rows
[2026-11-10 11:24:41 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:7)
[2026-11-10 11:24:41 +0000] [7] [INFO] Worker exiting (pid: 7)
"""
# Triton says why the model is missing; the sentence above it reads like a crash loop
TRITON_NO_MODEL_VERSION = """\
Every time the server restarts, a different model is not loading, so the server never serves all of them and we restart it again.
I1104 08:12:40.318802 1 model_lifecycle.cc:620] Not loaded: No model version was found
"""  # noqa: E501 (a log line is one line)


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    return Matcher(cached_knowledge_base(None), precedents=None)


def ranked(paste: str) -> list[tuple[str, bool]]:
    """The order as (entry, explained)."""
    found = matcher().assess(paste).ranked
    return [(matcher().index.entry_ids[item.entry], item.explained) for item in found]


def test_a_worker_that_failed_to_boot_is_a_failed_start_not_a_request() -> None:
    order = ranked(MLFLOW_WORKER_FAILED_TO_BOOT)
    assert order[0] == (CRASH, False)
    # what a caller of the dead server would see: explained by the failed start
    assert (RUN, True) in order and (TIMEOUT, True) in order
    assert matcher().match(MLFLOW_WORKER_FAILED_TO_BOOT).matches[0].entry_id == CRASH


def test_a_torchserve_worker_that_never_loaded_its_model_failed_to_start() -> None:
    order = ranked(TORCHSERVE_WORKER_NEVER_LOADED)
    assert order[0] == (CRASH, False)
    assert (TIMEOUT, True) in order


def test_a_timeout_while_the_model_loads_at_start_up_is_the_failed_start() -> None:
    order = ranked(TIMEOUT_WHILE_LOADING_AT_START)
    assert order[:2] == [(CRASH, False), (TIMEOUT, True)]


def test_a_worker_timeout_on_a_request_stays_the_timeout() -> None:
    assert ranked(TIMEOUT_ON_A_REQUEST)[0] == (TIMEOUT, False)
    assert matcher().match(TIMEOUT_ON_A_REQUEST).matches[0].entry_id == TIMEOUT


def test_a_stated_start_cause_goes_above_the_crash_its_sentence_describes() -> None:
    order = ranked(TRITON_NO_MODEL_VERSION)
    assert order[:2] == [(MODEL_PATH, False), (CRASH, True)]


def test_a_start_that_failed_once_and_then_passed_is_no_failed_start() -> None:
    lines = ["[2026-11-02 10:14:09 +0000] [40211] [INFO] Reason: Worker failed to boot.",
             "2026-11-02 10:15:30,002 | root | INFO | Users's init has completed successfully"]
    assert failed_start(lines[:1], passed_stages(lines[:1])) is not None
    assert failed_start(lines, passed_stages(lines)) is None


def test_torchserve_model_loaded_passes_the_start_and_a_stopped_worker_does_not() -> None:
    loaded = ("2026-10-21T07:05:02,007 [INFO ] epollEventLoopGroup-5-2 "
              "org.pytorch.serve.wlm.WorkerThread - 9001 Worker disconnected. WORKER_MODEL_LOADED")
    stopped = ("2026-10-21T07:02:19,877 [DEBUG] W-9000-ranker_1.0 org.pytorch.serve.wlm."
               "WorkerThread - W-9000-ranker_1.0 State change WORKER_STARTED -> WORKER_STOPPED")
    assert "start" in passed_stages([loaded])
    assert failed_start([loaded], passed_stages([loaded])) is None
    assert "start" not in passed_stages([stopped])
    assert failed_start([stopped], passed_stages([stopped])) is not None
