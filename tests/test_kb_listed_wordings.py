"""Round 14 (top15): wordings whose entry was not even among the three the bot lists.

Grouped cross-validation over the pool left about 8 % of labelled pastes without their entry in
the first three (docs/eval.md, "Round 14, top15"). Some of them used words the entries did not
know, words that recur across public reports: BentoML's `containerize` failing (the serving
image's build), a request or inference "timeout" said as a noun, TF Serving's missing-version
line cut by a terminal's wrap, BentoML's runners that never become ready, and MLServer's
missing model path as people quote it. The pastes below are written for these tests in each
tool's message format (no evaluation paste is copied). Each names one mechanism, so its entry is
asserted first (listed is what the round aimed at; first is what these words earn); the tier
belongs to the learned model. On main before this round the two timeouts, the wrapped TF Serving
line and the /readyz answer were not first (the wrapped line and /readyz not listed at all); the
others were already first through the shipped precedents and stay as guards. The look-alikes
share the words but report nothing failing: never a sure answer from the entry.

Round 15 (top16, LISTED_ROUND15 and LOOK_ALIKES_ROUND15): wordings whose entry was not among
the three the bot lists.

Out of fold, about 6 % of the pool's labelled pastes and 14 % of the time split's did not have
their entry in the first three (docs/eval.md, "Round 15, top16"). Grouped by wording, the
largest families were a model server dying on the request told in words or in TorchServe's
answer, a request timeout told beside the client or an LLM's generation, load beside refused
requests, a request failure told without its error text, and a pod that "keeps pending". The
pastes below are written for these tests in each tool's message format or a person's words (no
evaluation paste is copied). Each asserts the entry is listed first (what these words earn);
the tier belongs to the learned model. Before this round 7 of the first 14 were not first (the
TorchServe answer, the two crashes on a request, the generation timeout, the load, ModelMesh's
message, "No model loaded!"); the others already were, through other words, and stay as guards.
The look-alikes share words and name another mechanism, or nothing failing.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

LISTED = [
    ("bug: bentoml containerize failed\n\nEnvironment\n- bentoml: 1.0.10\n- python: 3.9.13\n"
     "dependencies:\n  - pandas==1.5.2\n  - scikit-learn==1.1.3\n  - torch==1.13.0",
     "image-build-fails"),
    ("containerize with a conda environment.yml fails, missing install.sh\n\n"
     "service: \"service:svc\"\ninclude:\n  - \"*.py\"\nconda:\n  environment_yml: "
     "\"./env/conda.yaml\"", "image-build-fails"),
    ("After a day of steady traffic the inference requests on both http and grpc return Request "
     "Timeout, while the health endpoint still says ready and unloading the models works.",
     "http-status-code-504"),
    ("Long running Keras inference causing timeout. RAM is not an issue, I think the worker is "
     "tied up and the container gets restarted; the same happens on GKE and in local Docker.",
     "http-status-code-504"),
    ("2023-03-01 10:00:00.000001: W tensorflow_serving/sources/storage_path/"
     "file_system_storage_path_source.cc:263] No versions of servable my_model found under "
     "base p                                            ath /models/my_model/1",
     "function-fails-get_model_path"),
    ("bentoml serve starts, but GET /readyz keeps answering 'Runners are not ready.' for ten "
     "minutes", "service-launch-fails"),
    ("[WARNING] [api_server:summariser:1] Timed out waiting for runner to be ready",
     "service-launch-fails"),
    ("The lightgbm model in model_dir is not loaded, the server says Invalid model uri provided",
     "function-fails-get_model_path"),
]


LISTED_ROUND15 = [
    # TorchServe's inference API answer when the worker died on the request
    ('curl -X POST http://localhost:8080/predictions/segmenter -T street.jpg\n{\n  "code": 500,\n'
     '  "type": "InternalServerException",\n  "message": "Worker died."\n}',
     "http-status-code-502"),
    ("Sending two requests at the same time causes the server to crash, nothing in the logs",
     "http-status-code-502"),
    ("The serving container exits during the third inference call on CPU, no traceback",
     "http-status-code-502"),
    ("Persistent timeout problems with the grpc client against our embedding server",
     "http-status-code-504"),
    ("The last few generations always timeout against the local vLLM server",
     "http-status-code-504"),
    ("Under a load of 20 users the model server starts returning errors for half the requests",
     "http-status-code-503"),
    ('{"code": 13, "message": "Nowhere available to load"}', "http-status-code-503"),
    ("Every call fails with an error when I invoke the API of the deployed classifier",
     "function-fails-runinput_data"),
    ("Triton answers INTERNAL: onnx runtime error 2: Got invalid dimensions for input: images",
     "function-fails-runinput_data"),
    ("The predictor pod keeps pending after I apply the InferenceService",
     "container-cannot-be-scheduled"),
    ("Ray keeps printing insufficient resources for the LLM replicas on the head node",
     "container-cannot-be-scheduled"),
    ("Error exception when launching the image with docker run, the server exits",
     "service-launch-fails"),
    ("The model server answers every predict with: No model loaded!",
     "function-fails-get_model_path"),
    ("Memory leak between inferences until the server is killed", "vm-out-of-memory"),
    ("How can I test the scoring script in local before I deploy it to the endpoint?",
     "debug-locally"),
    ("Long running predictions not working through the REST client, short ones answer fine",
     "http-status-code-504"),
]


@pytest.mark.parametrize(("paste", "expected"), LISTED + LISTED_ROUND15)
def test_the_entry_is_listed_first(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert [m.entry_id for m in result.matches][:1] == [expected]


LOOK_ALIKES = [
    # a how-to about the command, nothing failed
    ("How do I pass a custom base image to bentoml containerize?", "image-build-fails"),
    # a server's settings, not a request that timed out
    ("gunicorn app:app --workers 4 --graceful-timeout 30 --timeout 120 --max-requests 1000",
     "http-status-code-504"),
    ("what request timeout: 30 do you recommend for the inference client?",
     "http-status-code-504"),
]


@pytest.mark.parametrize(("paste", "entry_id"), LOOK_ALIKES)
def test_look_alikes_are_not_answered_for_sure(paste: str, entry_id: str) -> None:
    result = default_matcher().match(paste)
    assert result.answer is None or result.answer.entry_id != entry_id


LOOK_ALIKES_ROUND15 = [
    # a worker that died while the model loaded is the failed start, not the 502
    ("2024-01-02T10:00:00,000 [WARN ] W-9000-resnet_1.0 org.pytorch.serve.wlm.BatchAggregator - "
     "Load model failed: resnet, error: Worker died.", "http-status-code-502"),
    # a load test in which nothing was refused
    ("We ran a locust load test against the endpoint for an hour and every request succeeded, "
     "p99 latency 180 ms", "http-status-code-503"),
]


@pytest.mark.parametrize(("paste", "entry"), LOOK_ALIKES_ROUND15)
def test_round15_look_alikes_are_not_answered_with_the_entry(paste: str, entry: str) -> None:
    result = default_matcher().match(paste)
    assert not result.matches or result.matches[0].entry_id != entry or (
        result.matches[0].tier == "unknown")
