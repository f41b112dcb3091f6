"""What the Azure ML inference server (azmlinfsrv) and its callers print, read the way users paste
it: the settings banner is context, the server's own refusals and answers name their entry.

The wordings are the server's own strings (azureml-inference-server-http 1.5.1: amlserver.py,
server/user_script.py, server/input_parsers.py, server/aml_blueprint.py), gunicorn's and curl's;
the pastes around them are written here, with values of our own.
"""
# ruff: noqa: E501 - log lines are pasted whole, as the server prints them

from __future__ import annotations

import pytest

from bot.matching.banner import configuration_line
from bot.matching.error_lines import is_error_line, line_body, line_signal
from bot.matching.matcher import default_matcher

BANNER = """\
Azure ML Inferencing HTTP server v1.2.0


Server Settings
---------------
Entry Script Name: /var/azureml-app/src/score.py
Model Directory: /var/azureml-app/azureml-models/churn/3
Config File: None
Worker Count: 2
Worker Timeout (seconds): 300
Server Port: 31311
Health Port: 31311
Application Insights Enabled: false
Application Insights Key: None
Inferencing HTTP server version: azmlinfsrv/1.2.0
CORS for the specified origins: None
Create dedicated endpoint for health: None


Server Routes
---------------
Liveness Probe: GET   127.0.0.1:31311/
Score:          POST  127.0.0.1:31311/score
"""
HEALTHY_START = BANNER + """\
2024-05-02 09:14:03,101 I [12] gunicorn.error - Starting gunicorn 22.0.0
2024-05-02 09:14:03,102 I [12] gunicorn.error - Booting worker with pid: 40
2024-05-02 09:14:05,660 I [40] azmlinfsrv.user_script - Invoking user's init function
2024-05-02 09:14:07,003 I [40] azmlinfsrv.user_script - Users's init has completed successfully
2024-05-02 09:14:07,010 I [40] azmlinfsrv - Scoring timeout is set to 60000
2024-05-02 09:14:07,011 I [40] azmlinfsrv - Worker with pid 40 ready for serving traffic
"""
SEGFAULT_MID_REQUEST = HEALTHY_START + """\
Fatal Python error: Segmentation fault

Current thread 0x00007f3a1c8b9740 (most recent call first):
  File "/var/azureml-app/src/score.py", line 31 in run
  File "/azureml-envs/azureml_a1b2/lib/python3.9/site-packages/gunicorn/workers/sync.py", line 136 in handle
2024-05-02 09:15:40,220 W [12] gunicorn.error - Worker (pid:40) was sent SIGSEGV!
2024-05-02 09:15:40,230 I [12] gunicorn.error - Booting worker with pid: 77

$ curl -X POST http://localhost:31311/score -d @sample.json
curl: (52) Empty reply from server
"""
NUMPY_ALLOCATE_IN_INIT = """\
2024-05-02 09:14:05,660 E [40] azmlinfsrv - User's init function failed
2024-05-02 09:14:05,661 E [40] azmlinfsrv - Encountered Exception Traceback (most recent call last):
  File "/var/azureml-app/src/score.py", line 12, in init
    lookup = np.ones((90_000, 600_000), dtype=np.float64)
numpy.core._exceptions._ArrayMemoryError: Unable to allocate 402. GiB for an array with shape (90000, 600000) and data type float64
2024-05-02 09:14:06,300 E [12] gunicorn.error - Reason: Worker failed to boot.
"""
STAR_ARGS_REFUSED = BANNER + """\
2024-05-02 09:14:05,590 E [40] azmlinfsrv - Traceback (most recent call last):
  File "/azureml-envs/azureml_a1b2/lib/python3.9/site-packages/azureml_inference_server_http/server/user_script.py", line 147, in _analyze_run
    raise UserScriptError("run() cannot accept positional-only arguments, *args, or **kwargs.")
azureml_inference_server_http.server.user_script.UserScriptError: run() cannot accept positional-only arguments, *args, or **kwargs.
2024-05-02 09:14:06,300 E [12] gunicorn.error - Reason: Worker failed to boot.
"""
RAWHTTP_AND_SCHEMA = BANNER + (
    "2024-05-02 09:14:05,590 E [40] azmlinfsrv - azureml_inference_server_http.server.user_script."
    "UserScriptError: run() cannot be decorated with both @rawhttp and @input_schema\n")
NO_MAIN_PY = BANNER + """\
2024-05-02 09:14:03,102 I [12] gunicorn.error - Booting worker with pid: 40
2024-05-02 09:14:05,590 E [40] azmlinfsrv - No score script found. Expected score script main.py.
2024-05-02 09:14:05,590 E [40] azmlinfsrv - Current contents of AML_APP_ROOT: ['src', 'azureml-models']
2024-05-02 09:14:06,300 E [12] gunicorn.error - Worker (pid:40) exited with code 3.
2024-05-02 09:14:06,300 E [12] gunicorn.error - Reason: Worker failed to boot.
"""
SCHEMA_400_CLIENT = """\
$ curl -i -X POST http://127.0.0.1:5001/score -H 'Content-Type: application/json' -d '{"inputs": [[0.1, 0.7]]}'
HTTP/1.1 400 BAD REQUEST
Server: gunicorn
x-ms-run-function-failed: False

{"message": "A value is not provided for the 'data' parameter."}
"""
SCHEMA_415_CLIENT = """\
$ curl -i -X POST http://127.0.0.1:5001/score -d '{"data": [[0.1, 0.7]]}'
HTTP/1.1 415 UNSUPPORTED MEDIA TYPE
Server: gunicorn
x-ms-run-function-failed: False

{"message": "Expects Content-Type to be application/json"}
"""
WORKER_TIMEOUT_AZMLINFSRV = HEALTHY_START + """\
2024-05-02 09:20:11,902 C [12] gunicorn.error - WORKER TIMEOUT (pid:40)
2024-05-02 09:20:11,903 E [40] gunicorn.error - Error handling request /score
Traceback (most recent call last):
  File "/azureml-envs/azureml_a1b2/lib/python3.9/site-packages/gunicorn/workers/sync.py", line 134, in handle
    self.handle_request(listener, req, client, addr)
  File "/var/azureml-app/src/score.py", line 18, in run
    result = model.predict(batch)
  File "/azureml-envs/azureml_a1b2/lib/python3.9/site-packages/gunicorn/workers/base.py", line 204, in handle_abort
    sys.exit(1)
SystemExit: 1
2024-05-02 09:20:11,950 E [12] gunicorn.error - Worker (pid:40) was sent SIGABRT!
2024-05-02 09:20:12,001 I [12] gunicorn.error - Booting worker with pid: 81
"""


@pytest.mark.parametrize("line", [
    "Worker Timeout (seconds): 300",
    "Worker Timeout (seconds): None",
    "Model Directory: /var/azureml-app/azureml-models/churn/3",
    "Score:          POST  127.0.0.1:31311/score",
    "2024-05-02 09:14:07,010 I [40] azmlinfsrv - Scoring timeout is set to 60000",
    "worker timeout is set to 300",
    "Azure ML Inferencing HTTP server v1.2.0",
])
def test_banner_lines_are_configuration_not_errors(line: str) -> None:
    assert configuration_line(line_body(line))
    assert line_signal(line) == 0.0 and not is_error_line(line)


@pytest.mark.parametrize("line", [
    "the Worker Timeout (seconds) is too low for our model, requests die after 30 s",
    "SCORING_TIMEOUT_MS: Input should be a valid integer (environment variable: SCORING_TIMEOUT_MS)",
    "2024-05-02 09:20:11,902 C [12] gunicorn.error - WORKER TIMEOUT (pid:40)",
])
def test_sentences_and_errors_about_settings_are_not_the_banner(line: str) -> None:
    assert not configuration_line(line_body(line))


def test_a_healthy_start_with_its_banner_is_no_timeout() -> None:
    """The banner names a worker timeout and a scoring timeout in every log; nothing timed out."""
    result = default_matcher().match(HEALTHY_START, top=3)
    assert "http-status-code-504" not in [match.entry_id for match in result.matches]
    assert not any(match.confident for match in result.matches)


def test_curl_reports_and_the_servers_error_column_are_error_lines() -> None:
    assert is_error_line("curl: (52) Empty reply from server")
    assert is_error_line("2024-05-02 09:14:05,590 E [40] azmlinfsrv - No score script found. "
                         "Expected score script main.py.")
    # The same column's I is the server's chatter, whatever words it uses.
    assert not is_error_line("2024-05-02 09:14:05,590 I [40] azmlinfsrv - AML_FLASK_ONE_COMPATIBILITY "
                             "is not set, unable to find it, falling back")


# A wording the KB knows scores as one (an authored pattern at full strength), not as a guess.
KNOWN_WORDING_SCORE = 75.0


@pytest.mark.parametrize(("paste", "expected", "deciding"), [
    # The worker died in run() after it was ready: the caller's empty reply is the 502 mechanism.
    (SEGFAULT_MID_REQUEST, "http-status-code-502", "Empty reply from server"),
    # numpy raises instead of being killed, but the cause is the same: not enough memory.
    (NUMPY_ALLOCATE_IN_INIT, "vm-out-of-memory", "Unable to allocate"),
    # The server refuses the entry script before init(): it never starts.
    (STAR_ARGS_REFUSED, "service-launch-fails", "run() cannot accept"),
    (RAWHTTP_AND_SCHEMA, "service-launch-fails", "azmlinfsrv"),
    (NO_MAIN_PY, "service-launch-fails", "No score script found"),
    # The server answers 400/415 itself: the request does not fit run()'s input.
    (SCHEMA_400_CLIENT, "function-fails-runinput_data", "A value is not provided"),
    (SCHEMA_415_CLIENT, "function-fails-runinput_data", "Expects Content-Type"),
    # gunicorn's worker timeout in the server's own log format.
    (WORKER_TIMEOUT_AZMLINFSRV, "http-status-code-504", "WORKER TIMEOUT"),
])
def test_inference_server_wordings_name_their_entry(paste: str, expected: str,
                                                    deciding: str) -> None:
    best = default_matcher().match(paste, top=3).matches[0]
    assert best.entry_id == expected
    assert deciding in best.evidence
    assert best.score >= KNOWN_WORDING_SCORE


REFUSED_SCORING_TIMEOUT = BANNER + """\
2024-05-02 09:14:05,300 C [40] azmlinfsrv -
===============Configuration Error=================
SCORING_TIMEOUT_MS: Input should be a valid integer, unable to parse string as an integer (environment variable: SCORING_TIMEOUT_MS)
===================================================
2024-05-02 09:14:05,310 I [40] gunicorn.error - Worker exiting (pid: 40)
2024-05-02 09:14:06,300 E [12] gunicorn.error - Reason: Worker failed to boot.
"""
CONFIG_FILE_NOT_JSON = """\
2024-05-02 09:14:05,300 C [40] azmlinfsrv - Invalid config file!: Traceback (most recent call last):
  File "/azureml-envs/azureml_a1b2/lib/python3.9/json/decoder.py", line 353, in raw_decode
    obj, end = self.scan_once(s, idx)
json.decoder.JSONDecodeError: Expecting ',' delimiter: line 3 column 5 (char 41)
2024-05-02 09:14:06,300 E [12] gunicorn.error - Reason: Worker failed to boot.
"""


def test_a_setting_the_server_refuses_is_its_configuration_not_a_timeout() -> None:
    """The refused setting is named SCORING_TIMEOUT_MS, but nothing timed out: the server did
    not start, and the inference server's entry explains its settings."""
    ranked = default_matcher().match(REFUSED_SCORING_TIMEOUT, top=3).matches
    assert ranked[0].entry_id == "azure-machine-learning-inference-http-server"
    assert not any(match.confident for match in ranked
                   if match.entry_id == "http-status-code-504")


def test_a_config_file_that_is_not_json_is_the_servers_own_start_up_error() -> None:
    best = default_matcher().match(CONFIG_FILE_NOT_JSON, top=3).matches[0]
    assert best.entry_id == "azure-machine-learning-inference-http-server"
    assert "Invalid config file!" in best.evidence


def test_a_refused_settings_name_is_not_evidence_but_its_message_is() -> None:
    from bot.matching.banner import evidence_body

    line = ("WORKER_COUNT: Input should be a valid integer (environment variable: WORKER_COUNT)")
    assert "WORKER_COUNT" not in evidence_body(line)
    assert "valid integer" in evidence_body(line)
    assert evidence_body("Worker Timeout (seconds): 300") == ""
    assert evidence_body("KeyError: 'data'") == "KeyError: 'data'"
