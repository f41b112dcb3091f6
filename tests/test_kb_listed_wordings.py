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


@pytest.mark.parametrize(("paste", "expected"), LISTED)
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
