"""A throw-away PostgreSQL server of our own (initdb + pg_ctl) that a test may stop, freeze and
restart without touching the shared one on port 5432.

initdb refuses to run as root, so as root the cluster is created and run as the `postgres`
user (runuser), in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    pytest.skip(f"PostgreSQL's {name} is not installed")
    raise AssertionError  # unreachable: skip raises


class PostgresCluster:
    def __init__(self, port: int) -> None:
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="bot-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        subprocess.run([*prefix, *command], check=True, timeout=timeout, cwd=self.folder,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def init(self) -> PostgresCluster:
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder} -c fsync=off")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        """A fast shutdown: connected clients are disconnected. One that has not finished in
        20 s (its checkpoint on a disk the parallel suite keeps busy; seen once at 60 s) is
        finished as a crash would end it: the outage the tests want either way. Any of its
        processes still stopped by freeze() is continued first: a stopped process never exits,
        and both shutdowns waited out their timeouts on one (seen once under load)."""
        with contextlib.suppress(OSError, ValueError):
            self.thaw(self.pids())
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "20",
                      "stop", timeout=30)
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError):
            if (self.data / "postmaster.pid").exists():  # the fast one may have just finished
                self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "-t",
                          "30", "stop", timeout=40)

    def pids(self) -> list[int]:
        """The postmaster and every backend it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)],
                                  capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self) -> list[int]:
        """Hang the server as a frozen VM would: connections stay open, nothing answers."""
        frozen = self.pids()
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        return frozen

    def thaw(self, frozen: list[int]) -> None:
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
