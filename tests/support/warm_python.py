"""Start `python -m MODULE args...` in a new process that has the slow imports done already.

The logs and deployments tests run one scenario per process (each has its own Azure stand-in,
and the SDKs keep the first cloud they read for the life of a process), and every such process
spent about 3 CPU-seconds importing the bot and the Azure SDKs before doing anything. Here one
process per test worker imports them once (the bot, azure-identity, azure-ai-ml) and then forks
a child for each run: the child is a real, separate process with its own environment, working
directory, standard streams and exit code, in which `runpy` runs the module as `python -m`
would. What the SDKs learn about a cloud they learn in the child: azure-ai-ml looks its clouds
up at the first call, not at import, and azureml-core (SDK v1), which reads the cloud metadata
while it is imported, is not imported ahead: each child imports it for itself.

Children run side by side (`start()`, then `communicate()`), so processes that race each
other can be warm children too; a process whose start-up or interpreter is the point (`.env`
read before any setting, pipe encodings, the installed entry point) is started with subprocess.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT

# Imported once, before any fork. Nothing here may start a thread or read a setting.
PRELOAD = ("bot.cli", "bot.logs.service", "bot.logs.resolver", "bot.deployments.inventory",
           "azure.core.exceptions", "azure.identity", "azure.ai.ml")

_SERVER = r"""
import atexit, importlib, json, os, runpy, sys, threading
sys.path[0] = os.getcwd()  # the checkout, whatever folder a child runs in
for name in sys.argv[1:]:
    importlib.import_module(name)
assert threading.active_count() == 1, "a preloaded module started a thread: forking is unsafe"
print("ready", flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if request.get("wait"):  # a child started earlier: its exit code, once it has exited
        _pid, status = os.waitpid(request["wait"], 0)
        print(json.dumps({"exit": os.waitstatus_to_exitcode(status)}), flush=True)
        continue
    pid = os.fork()
    if pid == 0:  # the child: become `python -m module args...`
        code = 1
        try:
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            for fd, (path, mode) in enumerate([(request["stdin"], os.O_RDONLY),
                                               (request["stdout"], os.O_WRONLY),
                                               (request["stderr"], os.O_WRONLY)]):
                opened = os.open(path, mode)
                os.dup2(opened, fd)
                os.close(opened)
            sys.stdin = open(0, encoding="utf-8", closefd=False)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
            sys.argv = [request["module"], *request["args"]]
            try:
                runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (
                    0 if exit_.code is None else (print(exit_.code, file=sys.stderr) or 1))
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            try:  # what the interpreter does on its way out: threads, then exit handlers
                threading._shutdown()
                atexit._run_exitfuncs()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    print(json.dumps({"pid": pid}), flush=True)
# The test process is done with us (it closed our stdin): leave without the interpreter's
# clean-up. Nothing is left to flush, and tearing down the SDKs' thousands of modules took
# seconds at the end of every test worker, all of them at once, while the run waited.
os._exit(0)
"""


@dataclass(frozen=True)
class Completed:
    """subprocess.CompletedProcess's fields that the tests read."""

    returncode: int
    stdout: str
    stderr: str


class WarmPython:
    """One warm process; it starts one child at a time, which then run side by side."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix="bot-warm-python-"))
        self._started = 0

    def run(self, module: str, args: list[str], *, env: Mapping[str, str], cwd: Path,
            stdin: str = "") -> Completed:
        """`python -m module *args`, run to its end."""
        child = self.start(module, args, env=env, cwd=cwd, stdin=stdin)
        stdout, stderr = child.communicate()
        return Completed(child.wait(), stdout, stderr)

    def start(self, module: str, args: list[str], *, env: Mapping[str, str], cwd: Path,
              stdin: str = "") -> WarmChild:
        """`python -m module *args`, started; the Popen-like handle of the running child."""
        with self._lock:
            self._started += 1
            streams = {name: self._scratch / f"{self._started}.{name}"
                       for name in ("stdin", "stdout", "stderr")}
            streams["stdin"].write_text(stdin, encoding="utf-8")
            for name in ("stdout", "stderr"):
                streams[name].write_bytes(b"")
            answer = self._ask({"module": module, "args": list(args), "env": dict(env),
                                "cwd": str(cwd),
                                **{name: str(path) for name, path in streams.items()}})
            return WarmChild(self, answer["pid"], streams["stdout"], streams["stderr"])

    def wait_for(self, pid: int) -> int:
        with self._lock:
            return int(self._ask({"wait": pid})["exit"])

    def _ask(self, request: dict[str, object]) -> dict[str, int]:
        server = self._server()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        answer = server.stdout.readline()
        if not answer:
            raise RuntimeError("the warm Python process died")
        return dict(json.loads(answer))

    def _server(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _SERVER, *PRELOAD], cwd=REPO_ROOT, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self._process.stdout is not None
            if self._process.stdout.readline().strip() != "ready":
                raise RuntimeError("the warm Python process did not start")
        return self._process

    def close(self) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=30)
        shutil.rmtree(self._scratch, ignore_errors=True)


class WarmChild:
    """A started child, read like subprocess.Popen: pid, terminate(), communicate(), wait()."""

    def __init__(self, warm: WarmPython, pid: int, stdout: Path, stderr: Path) -> None:
        self._warm = warm
        self.pid = pid
        self._stdout, self._stderr = stdout, stderr
        self.returncode: int | None = None

    def terminate(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGTERM)

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = self._warm.wait_for(self.pid)
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """Wait for the exit (pytest-timeout bounds a child that never exits); its output."""
        self.wait()
        return (self._stdout.read_text(encoding="utf-8", errors="replace"),
                self._stderr.read_text(encoding="utf-8", errors="replace"))


_shared: list[WarmPython] = []


def warm_python() -> WarmPython:
    """This test process's warm Python, started at first use."""
    if not _shared:
        _shared.append(WarmPython())
        atexit.register(_shared[0].close)
    return _shared[0]
