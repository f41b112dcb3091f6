"""Hygiene of tests/eval/constructed.jsonl and of the script that writes it (make_constructed.py).

The constructed cases are what the real inference server printed for scoring scripts broken on
purpose; their labels are known by construction. These tests need neither the server nor the
matcher: they check that the committed file is the one the script's cases describe (a case whose
label or set-up changed without regenerating the file is caught here) and that what the script
rewrites (paths, the random port) is rewritten only where it is meant to be.
"""

from __future__ import annotations

import json
import runpy
from collections import Counter
from pathlib import Path

import pytest

from tests.test_eval_set import FIELDS, FILES, KB_IDS, load

EVAL = Path(__file__).resolve().parent / "eval"
CONSTRUCTED = "constructed.jsonl"
SCRIPT = runpy.run_path(str(EVAL / "make_constructed.py"))
CASES = SCRIPT["CASES"]


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load(CONSTRUCTED)


def expected_ids() -> dict[str, str]:
    """id -> label, for every record the script writes when every case runs."""
    ids = {}
    for case in CASES:
        ids[f"constructed-{case.name}"] = case.expected
        if case.client_view:
            ids[f"constructed-{case.name}-client"] = case.expected
    return ids


def test_the_file_holds_exactly_the_scripts_cases_with_their_labels(items: list[dict]) -> None:
    # A case added, renamed or relabelled in constructed_cases.py without regenerating the file
    # would leave the figure measuring something the script no longer says.
    assert {item["id"]: item["expected"] for item in items} == expected_ids()


def test_ids_are_unique_and_apart_from_the_public_pastes(items: list[dict]) -> None:
    counts = Counter(item["id"] for item in items)
    assert [i for i, n in counts.items() if n > 1] == []
    public_ids = {item["id"] for name in FILES for item in load(name)}
    assert set(counts) & public_ids == set()


def test_every_case_is_constructed_labelled_and_says_what_was_broken(items: list[dict]) -> None:
    assert len(items) >= 40
    for item in items:
        assert set(item) == FIELDS, item.get("id")
        assert item["kind"] == "constructed" and item["id"].startswith("constructed-")
        assert item["source"].startswith("constructed: azmlinfsrv "), item["id"]
        assert item["note"].startswith("label by construction: "), item["id"]
        assert item["expected"] in KB_IDS, item["id"]  # a broken script always has an entry
        assert item["text"].strip(), item["id"]


def test_every_paste_shows_the_real_servers_or_clients_own_output(items: list[dict]) -> None:
    # The server's log names itself; a caller's view carries the server's version header or,
    # for a Python caller, the scoring URI it called.
    for item in items:
        text = item["text"]
        assert ("azmlinfsrv" in text or "azureml_inference_server_http" in text
                or "127.0.0.1', port=5001" in text), item["id"]


def test_no_temporary_path_or_random_port_of_the_generating_machine_is_left(
        items: list[dict]) -> None:
    for item in items:
        text = item["text"]
        assert "/tmp/" not in text and "infsrv-" not in text, item["id"]
        assert "server.log" not in text, item["id"]  # the script's own file, not the app's
        for port_line in ("127.0.0.1:", "Server Port: "):
            for line in text.splitlines():
                if port_line in line and "Listening at" not in line:
                    after = line.split(port_line, 1)[1]
                    assert after.startswith("5001"), (item["id"], line)


def test_labels_cover_the_server_the_init_and_the_run_side(items: list[dict]) -> None:
    labels = Counter(item["expected"] for item in items)
    for entry in ("service-launch-fails", "function-fails-get_model_path",
                  "function-fails-runinput_data", "http-status-code-504",
                  "azure-machine-learning-inference-http-server"):
        assert labels[entry] >= 3, entry


def test_the_port_is_rewritten_only_where_it_is_the_port() -> None:
    shown = SCRIPT["shown_as_deployed"]
    text = ("Listening at: http://127.0.0.1:41234 (41234)\n"
            "Server Port: 41234\n"
            "Worker (pid:41234) exited with code 3.\n"
            "Connection in use: ('127.0.0.1', 41234)\n"
            "curl: (7) Failed to connect to 127.0.0.1 port 41234 after 0 ms\n"
            "HTTPConnectionPool(host='127.0.0.1', port=41234): Read timed out.\n"
            "POST /score 500 1.340ms 412345")
    assert shown(text, "/tmp/a", "/tmp/b", 41234, []) == (
        "Listening at: http://127.0.0.1:5001 (41234)\n"
        "Server Port: 5001\n"
        "Worker (pid:41234) exited with code 3.\n"
        "Connection in use: ('127.0.0.1', 5001)\n"
        "curl: (7) Failed to connect to 127.0.0.1 port 5001 after 0 ms\n"
        "HTTPConnectionPool(host='127.0.0.1', port=5001): Read timed out.\n"
        "POST /score 500 1.340ms 412345")


def test_paths_are_written_as_a_deployment_shows_them() -> None:
    shown = SCRIPT["shown_as_deployed"]
    text = ('File "/tmp/infsrv-x/score.py", line 6, in init\n'
            'File "/tmp/venv/lib/python3.11/site-packages/azureml_inference_server_http/x.py"\n'
            'File "/root/.pyenv/versions/3.11.7/lib/python3.11/json/__init__.py"\n'
            'File "/tmp/infsrv-client-y/call_endpoint.py", line 4')
    prefixes = ["/root/.pyenv/versions/3.11.7", "/tmp/venv"]
    assert shown(text, "/tmp/infsrv-x", "/tmp/infsrv-client-y", 1, prefixes).splitlines() == [
        'File "/var/azureml-app/score.py", line 6, in init',
        'File "/opt/miniconda/envs/userenv/lib/python3.11/site-packages/'
        'azureml_inference_server_http/x.py"',
        'File "/opt/miniconda/envs/userenv/lib/python3.11/json/__init__.py"',
        'File "/home/azureuser/project/call_endpoint.py", line 4']


def test_a_case_is_left_out_only_for_an_import_its_own_script_makes() -> None:
    needs = SCRIPT["needs"]
    by_name = {case.name: case for case in CASES}
    assert needs(by_name["onnx-model-missing"]) == {"onnxruntime"}
    assert needs(by_name["get-model-path-missing"]) == {"joblib", "azureml.core", "sklearn"}
    assert needs(by_name["client-read-timeout"]) == {"requests"}
    assert needs(by_name["syntax-error"]) == set()
    # the import the case breaks on purpose is not a requirement of the generating machine
    assert needs(by_name["import-missing-package"]) == set()


def test_records_carry_the_cases_note_and_the_servers_version() -> None:
    case = next(case for case in CASES if case.note)
    item = SCRIPT["record"]("constructed-x", "text", case, "1.5.1")
    assert item["source"] == f"constructed: azmlinfsrv 1.5.1 {case.what}"
    assert item["note"] == f"label by construction: {case.what}; {case.note}"
    assert json.loads(json.dumps(item)) == item
