"""Model servers' own words (round 11): the entry of the mechanism is ranked first.

Round 10's holdout, spent at the start of round 11, showed families the knowledge base did not
know by their words: TorchServe's answers to a handler that failed on the request (it says 503,
so the 503 entry came first), Triton's model repository that cannot be read and TF Serving's
answer for a model it has not loaded (the start-up failure or the request came first), and
Ollama's runner dying while it loads a model (memory or start-up, ranked the other way round or
not at all). Each paste below is copied, shortened, from a public thread
that no evaluation file uses (named beside it); the words are patterns in the entries, so only
these lines moved. Only the ranking is asserted for them: the tier belongs to the learned model,
retrained after a knowledge change. The look-alikes after them share the server and most words
but not the mechanism: they must never be answered for sure by these entries.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

# https://github.com/pytorch/serve/issues/730: the worker's log when the handler returns more
# answers than the batch had requests (ts/service.py predict).
TORCHSERVE_BATCH_MISMATCH = (
    "number of batch response mismatched for models with custom handler\n\n"
    "I sent a single request and got the following error.\n\n"
    "2020-10-15 06:53:50,802 [INFO ] W-9001-mymodel_1.0-stdout "
    "org.pytorch.serve.wlm.WorkerLifeCycle - model: mymodel, number of batch response "
    "mismatched, expect: 1, got: 8.")
# https://github.com/pytorch/serve/issues/2158: the same, behind KServe's v2 wrapper.
TORCHSERVE_KSERVE_BATCH = (
    "TorchServe with Kserve_wrapper v2 throws 'message': 'number of batch response mismatched'\n\n"
    "TorchServe Error\n"
    "stdout MODEL_LOG - model: resnet50-3, number of batch response mismatched, expect: 5, got: 1.")
# https://github.com/triton-inference-server/model_analyzer/issues/789: Triton, started by Model
# Analyzer, cannot poll the model's folder in the repository it was given.
TRITON_POLL_FAILED = (
    "failed to poll from model repository\n\n"
    "[Model Analyzer] Creating model config: add_sub_config_default\n"
    "[Model Analyzer] Model add_sub_config_default load failed: [StatusCode.INTERNAL] "
    "failed to load 'add_sub', failed to poll from model repository")
# https://github.com/ollama/ollama/issues/1566: the runner's stream ended while the model loaded.
OLLAMA_NOT_ENOUGH_MEMORY = (
    "When I have run a modell and try to communicate with it, I always get same response, no "
    "matter which model (or small or big)...\n"
    "Error: llama runner exited, you may not have enough available memory to run this model")
# https://github.com/ollama/ollama/issues/4912: the runner aborted while the server waited for it.
OLLAMA_RUNNER_ABORTED = "\n".join([
    'time=2024-08-26T09:53:44.082Z level=INFO source=server.go:627 msg="waiting for server to '
    'become available" status="llm server not responding"',
    'time=2024-08-26T09:53:44.346Z level=ERROR source=sched.go:451 msg="error loading llama '
    'server" error="llama runner process has terminated: signal: aborted (core dumped)"',
    '[GIN] 2024/08/26 - 09:53:44 | 500 | 24.154367033s |       127.0.0.1 | POST     "/api/chat"',
])

# https://github.com/tensorflow/serving/issues/750: TF Serving answers a predict for a model it
# has not loaded (the request's name, or no version folder under the base path).
TF_SERVING_NOT_FOUND = (
    '    result = stub.Predict(request, 60.0)  # 60 secs timeout\n'
    '  File "/home/pb/.local/lib/python2.7/site-packages/grpc/beta/_client_adaptations.py", '
    'line 196, in _blocking_unary_unary\n'
    '    raise _abortion_error(rpc_error_call)\n'
    'grpc.framework.interfaces.face.face.AbortionError: AbortionError(code=StatusCode.NOT_FOUND, '
    'details="Servable not found for request: Latest(inception)")')

RANKED_FIRST = [
    (TORCHSERVE_BATCH_MISMATCH, "function-fails-runinput_data"),
    (TORCHSERVE_KSERVE_BATCH, "function-fails-runinput_data"),
    (TRITON_POLL_FAILED, "function-fails-get_model_path"),
    (TF_SERVING_NOT_FOUND, "function-fails-get_model_path"),
    (OLLAMA_NOT_ENOUGH_MEMORY, "vm-out-of-memory"),
    (OLLAMA_RUNNER_ABORTED, "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "expected"), RANKED_FIRST)
def test_model_server_wordings_rank_their_entry_first(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert [m.entry_id for m in result.matches][:1] == [expected]


# The same servers, another mechanism: TorchServe's worker that died (a start-up or memory
# failure, not the request), Triton refusing an ensemble's configuration (the folder is there;
# https://github.com/triton-inference-server/server/issues/7632), and the GPU's out-of-memory
# under Ollama's runner (CUDA memory is labelled none: the entries' fixes are the host's).
LOOK_ALIKES = [
    ('{"code": 500, "type": "InternalServerException", "message": "Worker died."}',
     "function-fails-runinput_data"),
    ("triton 24.08: \"Poll failed for model directory 'ensemble': unexpected platform type "
     "'ensemble' for ensemble\"", "function-fails-get_model_path"),
    ("Error: llama runner process has terminated: CUDA error: out of memory", "vm-out-of-memory"),
    ("Error: llama runner process has terminated: CUDA error: out of memory",
     "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "entry_id"), LOOK_ALIKES)
def test_look_alikes_are_not_answered_for_sure_by_the_new_wordings(paste: str,
                                                                    entry_id: str) -> None:
    result = default_matcher().match(paste)
    assert result.answer is None or result.answer.entry_id != entry_id
