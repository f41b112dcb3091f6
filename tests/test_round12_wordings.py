"""Model servers' own words that round 11's holdout missed (round 12): the mechanism's entry first.

Round 11's holdout, spent at the start of round 12, showed families the knowledge base did not
know by their words: a request body over the model server's size limit (axum's words, the web
layer of Hugging Face's TEI and TGI), TGI without a chat template, vLLM's engine dying while it
serves (or never starting), llama.cpp that cannot open the model file it was given, and a model
server that crashes on the request in people's words. Each paste below is ranked wrong by the
knowledge base before round 12. They are written for these tests in each server's message format
(no thread's paste is copied: the words are patterns in the entries). Only the ranking
is asserted: the tier belongs to the learned model, retrained after a knowledge change. The
look-alikes after them share the words but not the mechanism: they must never be answered for
sure by these entries.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

TEI_BODY_TOO_LARGE = (
    "embedding a batch of 2000 documents against our text-embeddings-inference container returns "
    "413 with: Failed to buffer the request body: length limit exceeded")
TGI_NO_CHAT_TEMPLATE = (
    'POST /v1/chat/completions -> 422 {"error":"Template error: template not found",'
    '"error_type":"template_error"}')
VLLM_ENGINE_DEAD = "\n".join([
    "ERROR 03-02 11:04:10 [serving_chat.py:850] Error in chat completion stream generator.",
    "vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack "
    "trace (above) for the root cause.",
    'INFO:     10.0.3.7:51234 - "POST /v1/chat/completions HTTP/1.1" 500 Internal Server Error',
])
# the pod's resources pulled this to scheduling and memory before
VLLM_STARTUP_HANG = "\n".join([
    "[Bug]: vllm pod hangs forever waiting for the engine process to start",
    "",
    "GKE, one A100 80GB",
    "  env:",
    "    - name: VLLM_GPU_MEMORY_UTILIZATION",
    '      value: "0.9"',
    "    resources:",
    "      limits:",
    '        cpu: "8"',
    "        memory: 48Gi",
    '        nvidia.com/gpu: "1"',
])
# LocalAI's debug log around llama.cpp; 'failed to load model' alone drew the failed start first
LLAMACPP_MODEL_FILE_MISSING = "\n".join([
    "api-1  | 9:12AM DBG GRPC: Loading model with options: {Model:mistral-7b.Q5_K_M.gguf "
    "ContextSize:4096 ModelFile:/srv/models/mistral-7b.Q5_K_M.gguf Threads:8}",
    "api-1  | 9:12AM DBG GRPC(mistral-7b.Q5_K_M.gguf-127.0.0.1:40123): stderr error loading "
    "model: failed to open /srv/models/mistral-7b.Q5_K_M.gguf: No such file or directory",
    "api-1  | 9:12AM DBG GRPC(mistral-7b.Q5_K_M.gguf-127.0.0.1:40123): stderr "
    "llama_load_model_from_file: failed to load model",
])
SERVER_CRASHES_ON_REQUEST = (
    "Our TF Serving container crashes when running predictions on the larger images; the "
    "client just gets a connection reset")
SERVER_DIES_ON_REQUEST_KO = "추론 요청을 보내면 서버가 죽어요. 로그에는 아무것도 없어요"

RANKED_FIRST = [
    (TEI_BODY_TOO_LARGE, "function-fails-runinput_data"),
    (TGI_NO_CHAT_TEMPLATE, "function-fails-runinput_data"),
    (VLLM_ENGINE_DEAD, "http-status-code-502"),
    (VLLM_STARTUP_HANG, "service-launch-fails"),
    (LLAMACPP_MODEL_FILE_MISSING, "function-fails-get_model_path"),
    (SERVER_CRASHES_ON_REQUEST, "http-status-code-502"),
    (SERVER_DIES_ON_REQUEST_KO, "http-status-code-502"),
]


@pytest.mark.parametrize(("paste", "expected"), RANKED_FIRST)
def test_round12_wordings_rank_their_entry_first(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert [m.entry_id for m in result.matches][:1] == [expected]


# The same words, another mechanism: an ordinary upload refused by nginx (not a model server's
# request), vLLM's engine that fails while it starts (not a death mid-request), a pod that
# crashes at start (not on a request), and Triton's row for a model file that is not there (the
# path's entry, not the failed start).
LOOK_ALIKES = [
    ("uploading a 30 MB avatar to our Django app behind ingress-nginx: 413 Request Entity Too "
     "Large", "function-fails-runinput_data"),
    ("RuntimeError: Engine core initialization failed. See root cause above. Failed core "
     "proc(s): {}", "http-status-code-502"),
    ("the api container crashes on startup with CrashLoopBackOff", "http-status-code-502"),
    ("| resnet | 1 | UNAVAILABLE: Not found: unable to load model file model.onnx |",
     "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "entry_id"), LOOK_ALIKES)
def test_look_alikes_are_not_answered_for_sure_by_the_new_wordings(paste: str,
                                                                    entry_id: str) -> None:
    result = default_matcher().match(paste)
    assert result.answer is None or result.answer.entry_id != entry_id
