"""Regenerate tests/eval/constructed.jsonl: the real inference server on a broken score.py.

Each case writes a scoring script broken on purpose (a missing model file in init(), an import
error, a syntax error, run() raising, ...), starts the real Azure ML inference HTTP server
(`azmlinfsrv`, package azureml-inference-server-http) on 127.0.0.1 with it, sends one scoring
request, and records exactly what the server printed and what the request got back. The label is
known by construction. These cases are kept apart from the public pastes (their own file and
their own figure in docs/eval.md): they show how the bot reads the server's own wording, not how
people write.

The server is not a project dependency. Install it in a separate virtualenv and point to it:

    python3 -m venv /tmp/infsrv-venv
    /tmp/infsrv-venv/bin/pip install azureml-inference-server-http
    INFSRV_PYTHON=/tmp/infsrv-venv/bin/python python tests/eval/make_constructed.py

Without it the script says so and exits 0 (the committed file stays as it is).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "constructed.jsonl"
DEFAULT_PYTHON = "/tmp/infsrv-venv/bin/python"
# azmlinfsrv always binds 0.0.0.0; this launcher runs its own entry point bound to 127.0.0.1.
LAUNCHER = ("import sys, azureml_inference_server_http.amlserver as server; "
            "server.DEFAULT_HOST = '127.0.0.1'; sys.argv[0] = 'azmlinfsrv'; sys.exit(server.run())")
READY_TIMEOUT_S = 40.0
REQUEST_TIMEOUT_S = 15.0
MAX_LOG_LINES = 60  # what a person pastes: the tail of the server log


@dataclass(frozen=True)
class Case:
    name: str  # id suffix
    what: str  # what was broken, for `source` and `note`
    expected: str
    script: str
    body: str = '{"data": [[1, 2, 3]]}'
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra files in the model folder


GOOD_RUN = """
def run(raw_data):
    return {"result": json.loads(raw_data)["data"]}
"""

CASES = (
    Case("model-path-missing", "init() opens a model file that is not in AZUREML_MODEL_DIR",
         "function-fails-get_model_path", """
import json, os, pickle

def init():
    global model
    model_path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")
    with open(model_path, "rb") as handle:
        model = pickle.load(handle)
""" + GOOD_RUN),
    Case("model-subfolder-missing", "init() looks for the model in a sub-folder that the "
         "registered model does not have", "function-fails-get_model_path", """
import json, os

def init():
    global model
    model_dir = os.path.join(os.environ["AZUREML_MODEL_DIR"], "outputs", "model")
    model = sorted(os.listdir(model_dir))
""" + GOOD_RUN, files={"model.onnx": "not really a model"}),
    Case("import-missing-package", "score.py imports a package the environment does not have",
         "service-launch-fails", """
import json
import lightgbm

def init():
    global model
    model = lightgbm.Booster(model_file="model.txt")
""" + GOOD_RUN),
    Case("import-name-error", "score.py imports a name its package does not define",
         "service-launch-fails", """
import json
from json import load_model

def init():
    global model
    model = load_model("model.json")
""" + GOOD_RUN),
    Case("syntax-error", "score.py has a syntax error", "service-launch-fails", """
import json

def init()
    global model
    model = None
""" + GOOD_RUN),
    Case("init-raises", "init() raises while loading (a bad configuration value)",
         "service-launch-fails", """
import json, os

def init():
    global threshold
    threshold = float(os.environ.get("SCORE_THRESHOLD", "high"))
""" + GOOD_RUN),
    Case("no-init", "score.py defines run() but no init()", "service-launch-fails", """
import json
""" + GOOD_RUN),
    Case("no-run", "score.py defines init() but no run()", "service-launch-fails", """
def init():
    global model
    model = None
"""),
    Case("run-raises", "run() raises on the request's data (a missing key)",
         "function-fails-runinput_data", """
import json

def init():
    pass

def run(raw_data):
    features = json.loads(raw_data)["features"]
    return {"result": features}
"""),
    Case("run-shape-error", "run() feeds the model data of the wrong shape",
         "function-fails-runinput_data", """
import json

def init():
    global weights
    weights = [0.5, 0.25]

def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
"""),
    Case("run-wrong-signature", "run() takes two required parameters",
         "function-fails-runinput_data", """
import json

def init():
    pass

def run(raw_data, threshold):
    return {"result": json.loads(raw_data)["data"], "threshold": threshold}
"""),
    Case("run-not-serialisable", "run() returns a value JSON cannot encode (a set)",
         "function-fails-runinput_data", """
import json

def init():
    pass

def run(raw_data):
    return {"labels": set(json.loads(raw_data)["data"][0])}
"""),
    Case("run-too-slow", "run() takes longer than the scoring timeout (SCORING_TIMEOUT_MS=1000)",
         "http-status-code-504", """
import json, time

def init():
    pass

def run(raw_data):
    time.sleep(5)
    return {"result": json.loads(raw_data)["data"]}
""", env={"SCORING_TIMEOUT_MS": "1000"}),
    Case("init-never-returns", "init() never returns (waits forever on a resource)",
         "service-launch-fails", """
import json, threading

def init():
    threading.Event().wait()
""" + GOOD_RUN),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1.0):
                return True
        except urllib.error.HTTPError:
            return True  # it answers, however badly
        except OSError:
            time.sleep(0.3)
    return False


def score(port: int, body: str) -> str:
    """What `curl -X POST 127.0.0.1:PORT/score` shows: the status line and the body."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/score", data=body.encode(),
                                     headers={"Content-Type": "application/json"})
    command = (f"$ curl -X POST 127.0.0.1:{port}/score -H 'Content-Type: application/json' "
               f"-d '{body}'")
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
            return f"{command}\nHTTP {response.status}\n{response.read().decode(errors='replace')}"
    except urllib.error.HTTPError as error:
        return f"{command}\nHTTP {error.code}\n{error.read().decode(errors='replace')}"
    except OSError as error:
        return f"{command}\ncurl: {getattr(error, 'reason', None) or error}"


def stop(server: subprocess.Popen) -> None:
    """Stop the server and its workers (a worker stuck in init() ignores SIGTERM)."""
    for signal_number in (signal.SIGTERM, signal.SIGKILL):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, signal_number)
            server.wait(timeout=10)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def run_case(python: str, case: Case) -> str:
    with tempfile.TemporaryDirectory(prefix=f"infsrv-{case.name}-") as folder:
        work = Path(folder)
        (work / "score.py").write_text(textwrap.dedent(case.script).lstrip(), encoding="utf-8")
        model_dir = work / "azureml-models" / "my-model" / "1"  # a deployment's layout
        model_dir.mkdir(parents=True)
        for name, text in case.files.items():
            (model_dir / name).write_text(text, encoding="utf-8")
        port = free_port()
        env = {**os.environ, **case.env, "PYTHONUNBUFFERED": "1"}
        command = [python, "-c", LAUNCHER, "--entry_script", "score.py",
                   "--model_dir", str(model_dir), "--port", str(port)]
        with open(work / "server.log", "w+", encoding="utf-8") as log:
            server = subprocess.Popen(command, cwd=work, env=env, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_until_listening(port, server, READY_TIMEOUT_S)
                answer = score(port, case.body)  # also when the server is gone: what it got
                time.sleep(0.5)  # let the server flush the request's log lines
                log.flush()
                printed = Path(log.name).read_text(encoding="utf-8")  # before we stop it
            finally:
                stop(server)
        # The temporary folder is written as the folder a deployment runs score.py from.
        printed = printed.replace(folder, "/var/azureml-app")
        tail = "\n".join(printed.rstrip().splitlines()[-MAX_LOG_LINES:])
        return f"{tail}\n\n{answer}".strip()


def server_version(python: str) -> str:
    done = subprocess.run([python, "-c", "from importlib.metadata import version; "
                           "print(version('azureml-inference-server-http'))"],
                          capture_output=True, text=True, timeout=60)
    return done.stdout.strip() if done.returncode == 0 else ""


def main() -> int:
    python = os.environ.get("INFSRV_PYTHON", DEFAULT_PYTHON)
    version = server_version(python) if Path(python).exists() else ""
    if not version:
        print(f"skipped: azureml-inference-server-http is not installed for {python} "
              "(set INFSRV_PYTHON); constructed.jsonl left as it is")
        return 0
    records = []
    for case in CASES:
        text = run_case(python, case)
        records.append({
            "id": f"constructed-{case.name}", "text": text, "expected": case.expected,
            "source": f"constructed: azmlinfsrv {version} {case.what}", "kind": "constructed",
            "note": f"label by construction: {case.what}"})
        print(f"{case.name}: {len(text)} characters", file=sys.stderr)
    OUT.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
                   encoding="utf-8")
    print(f"wrote {len(records)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
