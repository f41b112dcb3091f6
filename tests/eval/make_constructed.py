"""Regenerate tests/eval/constructed.jsonl: the real inference server on a broken score.py.

Each case (constructed_cases.py) breaks one thing on purpose: a model file missing in init(), an
import error, a syntax error, run() raising on the request, a timeout, the server's own start-up
errors, ... It starts the real Azure ML inference HTTP server (`azmlinfsrv`, package
azureml-inference-server-http) on 127.0.0.1 with that set-up, sends one scoring request with the
real `curl` (or a Python client), and records exactly what the server printed and what the
request got back. The label is known by construction. These cases are kept apart from the public
pastes (their own file and their own figure in docs/eval.md): they show how the bot reads the
server's own wording, not how people describe it.

The server is not a project dependency. Install it, and what the cases' scripts import, in a
separate virtualenv (without debugpy: one case needs it absent) and point to it:

    python3 -m venv /tmp/infsrv-venv
    /tmp/infsrv-venv/bin/pip install azureml-inference-server-http inference-schema \
        numpy scikit-learn joblib onnxruntime azureml-core
    INFSRV_PYTHON=/tmp/infsrv-venv/bin/python python tests/eval/make_constructed.py

Without the server (or curl) it says so and exits 0 (the committed file stays as it is); a case
whose script needs a package the virtualenv lacks is left out, and the script says which.
What differs between two runs is only what a person's own run would change: timestamps, pids,
request ids. Paths and ports are written as a deployment and a default local run show them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from constructed_cases import CASES, Case  # beside this script, not a package

OUT = Path(__file__).resolve().parent / "constructed.jsonl"
DEFAULT_PYTHON = "/tmp/infsrv-venv/bin/python"
# azmlinfsrv always binds 0.0.0.0; this launcher runs its own entry point bound to 127.0.0.1.
LAUNCHER = ("import sys, azureml_inference_server_http.amlserver as server; "
            "server.DEFAULT_HOST = '127.0.0.1'; sys.argv[0] = 'azmlinfsrv'; sys.exit(server.run())")
READY_TIMEOUT_S = 40.0
REQUEST_TIMEOUT_S = 15
CLIENT_TIMEOUT_S = 5  # the Python client's own read timeout
# How a deployment and a default local run show what is random or machine-specific here.
APP_ROOT = "/var/azureml-app"  # where a deployment runs score.py from
ENV_PREFIX = "/opt/miniconda/envs/userenv"  # the inference images' Python environment
CLIENT_ROOT = "/home/azureuser/project"
SHOWN_PORT = "5001"  # azmlinfsrv's default port
# Imports a case's scripts need beyond the server itself; a missing one leaves the case out.
OPTIONAL_IMPORTS = ("numpy", "sklearn", "joblib", "onnxruntime", "inference_schema",
                    "azureml.core", "requests")

CLIENT_SCRIPT = """\
import requests

body = {body}
response = requests.post("http://127.0.0.1:{port}/score", json=body, timeout={timeout})
response.raise_for_status()
print(response.json())
"""


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


def curl(port: int, case: Case) -> str:
    """What the real `curl -i` printed for one scoring request, with the command above it."""
    command = ["curl", "-sS", "-i", "-m", str(REQUEST_TIMEOUT_S), "-X", "POST",
               f"http://127.0.0.1:{port}/score", "-H", f"Content-Type: {case.content_type}",
               "-d", case.body]
    shown = (f"$ curl -i -X POST http://127.0.0.1:{port}/score "
             f"-H 'Content-Type: {case.content_type}' -d '{case.body}'")
    done = subprocess.run(command, capture_output=True, text=True, timeout=REQUEST_TIMEOUT_S + 10)
    printed = (done.stdout.replace("\r\n", "\n").rstrip() + "\n" + done.stderr.rstrip()).strip()
    return f"{shown}\n{printed}"


def python_client(python: str, port: int, case: Case, folder: Path) -> str:
    """The traceback a caller's own Python code prints (requests, with its own read timeout)."""
    script = folder / "call_endpoint.py"
    script.write_text(CLIENT_SCRIPT.format(body=case.body, port=port, timeout=CLIENT_TIMEOUT_S),
                      encoding="utf-8")
    done = subprocess.run([python, script.name], cwd=folder, capture_output=True, text=True,
                          timeout=CLIENT_TIMEOUT_S + 30)
    return f"$ python {script.name}\n{(done.stdout + done.stderr).strip()}"


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


def write_app(case: Case, python: str, work: Path) -> Path:
    """score.py, its neighbours and a model folder laid out as a deployment has them."""
    if case.script:
        (work / "score.py").write_text(textwrap.dedent(case.script).lstrip(), encoding="utf-8")
    for name, text in case.app_files.items():
        (work / name).write_text(text, encoding="utf-8")
    model_dir = work / "azureml-models" / "my-model" / "1"
    model_dir.mkdir(parents=True)
    for name, text in case.files.items():
        (model_dir / name).write_text(text, encoding="utf-8")
    if case.prepare:
        subprocess.run([python, "-c", textwrap.dedent(case.prepare)], cwd=model_dir, check=True,
                       capture_output=True, timeout=120)
    return model_dir


def start_server(case: Case, python: str, work: Path, model_dir: Path, port: int,
                 log) -> subprocess.Popen:
    env = {**os.environ, **case.env, "PYTHONUNBUFFERED": "1"}
    command = [python, "-c", LAUNCHER, *case.server_args, "--port", str(port)]
    if case.model_dir:
        command += ["--model_dir", str(model_dir)]
    else:
        env.pop("AZUREML_MODEL_DIR", None)
    return subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def run_case(python: str, case: Case, prefixes: list[str]) -> tuple[str, str]:
    """(the paste, the client's view alone) for one case."""
    with (tempfile.TemporaryDirectory(prefix=f"infsrv-{case.name}-") as folder,
          tempfile.TemporaryDirectory(prefix="infsrv-client-") as client_folder,
          tempfile.TemporaryDirectory(prefix="infsrv-log-") as log_folder):
        work = Path(folder)
        model_dir = write_app(case, python, work)
        port = free_port()
        holder = socket.socket()
        if case.hold_port:  # another process already serves on this port
            holder.bind(("127.0.0.1", port))
            holder.listen()
        with holder, open(Path(log_folder) / "server.log", "w+", encoding="utf-8") as log:
            server = start_server(case, python, work, model_dir, port, log)
            try:
                answer = ""
                if case.hold_port:  # our own socket would answer: wait for the server to give up
                    server.wait(timeout=READY_TIMEOUT_S)
                elif case.client == "none":
                    wait_until_listening(port, server, READY_TIMEOUT_S)
                else:
                    wait_until_listening(port, server, READY_TIMEOUT_S)
                    if case.client == "python":
                        answer = python_client(python, port, case, Path(client_folder))
                    else:  # also when the server is gone: what the request got
                        answer = curl(port, case)
                time.sleep(1.0)  # let the server flush the request's log lines
                log.flush()
                printed = Path(log.name).read_text(encoding="utf-8")  # before we stop it
            except subprocess.TimeoutExpired:
                printed = Path(log.name).read_text(encoding="utf-8")
            finally:
                stop(server)
        printed, answer = (shown_as_deployed(text, folder, client_folder, port, prefixes)
                           for text in (printed, answer))
    tail = "\n".join(printed.rstrip().splitlines()[-case.log_lines:])
    if case.client == "python":
        return answer, ""
    return f"{tail}\n\n{answer}".strip(), answer


def shown_as_deployed(text: str, folder: str, client_folder: str, port: int,
                      prefixes: list[str]) -> str:
    """Write this machine's temporary paths and random port as a deployment shows them."""
    text = text.replace(folder, APP_ROOT).replace(client_folder, CLIENT_ROOT)
    for prefix in prefixes:  # the longest first: a virtualenv may live inside its base
        text = text.replace(prefix, ENV_PREFIX)
    # Only where it is the port: a pid or a byte count may have the same digits.
    return re.sub(rf"(?<=127\.0\.0\.1:){port}\b|(?<=127\.0\.0\.1', ){port}\b"
                  rf"|(?<=[Pp]ort: ){port}\b|(?<=port ){port}\b|(?<=port=){port}\b",
                  SHOWN_PORT, text)


def interpreter_facts(python: str) -> tuple[str, list[str], set[str]]:
    """The server's version, the interpreter's prefixes and which optional imports it has."""
    probe = ("import importlib.util, json, sys\n"
             "from importlib.metadata import version\n"
             f"names = {list(OPTIONAL_IMPORTS)!r}\n"
             "def has(name):\n"
             "    try:\n"
             "        return importlib.util.find_spec(name) is not None\n"
             "    except ModuleNotFoundError:\n"
             "        return False\n"
             "print(json.dumps([version('azureml-inference-server-http'),"
             " sorted({sys.prefix, sys.base_prefix, sys.exec_prefix}, key=len, reverse=True),"
             " [n for n in names if has(n)]]))")
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return "", [], set()
    version, prefixes, present = json.loads(done.stdout)
    return version, prefixes, set(present)


def needs(case: Case) -> set[str]:
    source = case.script + case.prepare + (CLIENT_SCRIPT if case.client == "python" else "")
    return {name for name in OPTIONAL_IMPORTS
            if re.search(rf"^\s*(import|from)\s+{re.escape(name)}\b", source, re.MULTILINE)}


def record(case_id: str, text: str, case: Case, version: str, view: str = "") -> dict:
    what = case.what + (f" ({view})" if view else "")
    note = f"label by construction: {what}" + (f"; {case.note}" if case.note else "")
    return {"id": case_id, "text": text, "expected": case.expected,
            "source": f"constructed: azmlinfsrv {version} {what}", "kind": "constructed",
            "note": note}


def main() -> int:
    python = os.environ.get("INFSRV_PYTHON", DEFAULT_PYTHON)
    version, prefixes, present = (interpreter_facts(python) if Path(python).exists()
                                  else ("", [], set()))
    if not version or not shutil.which("curl"):
        print(f"skipped: azureml-inference-server-http is not installed for {python} (set "
              "INFSRV_PYTHON), or curl is missing; constructed.jsonl left as it is")
        return 0
    only = set(sys.argv[1:])  # case names to run, for trying one case; the file is not written
    records = []
    for case in CASES:
        if only and case.name not in only:
            continue
        if missing := needs(case) - present:
            print(f"{case.name}: left out, {python} lacks {sorted(missing)}", file=sys.stderr)
            continue
        text, client_view = run_case(python, case, prefixes)
        records.append(record(f"constructed-{case.name}", text, case, version))
        if case.client_view:
            records.append(record(f"constructed-{case.name}-client", client_view, case, version,
                                  "the caller's view: curl's output alone"))
        print(f"{case.name}: {len(text)} characters", file=sys.stderr)
    if only:
        for item in records:
            print(f"===== {item['id']} ({item['expected']})\n{item['text']}\n")
        return 0
    OUT.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in records),
                   encoding="utf-8")
    print(f"wrote {len(records)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
