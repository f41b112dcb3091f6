"""The command as a real process, for what the in-process runner (`tests/support/cli.py`)
cannot show: the installed `troubleshoot-bot` entry point, and a reader that stops early
(`troubleshoot-bot match --batch ... | head`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.cli import run_cli

GPU_PASTE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
ENTRY_POINT = Path(sys.executable).with_name("troubleshoot-bot")


def test_the_installed_entry_point_answers_as_the_runner_does(tmp_path: Path) -> None:
    installed = subprocess.run([str(ENTRY_POINT), "match", "--json", GPU_PASTE], cwd=tmp_path,
                               capture_output=True, timeout=120, check=False)
    assert installed.returncode == 0, installed.stderr
    in_process = run_cli(["match", "--json", GPU_PASTE], cwd=tmp_path)
    assert in_process.exit_code == 0, in_process.stderr
    assert json.loads(installed.stdout.decode("utf-8")) == json.loads(in_process.stdout)
    assert json.loads(in_process.stdout)["matches"][0]["id"] == "container-cannot-be-scheduled"


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    with batch.open("w", encoding="utf-8") as lines:
        for number in range(400):  # far more output than a pipe holds
            lines.write(json.dumps({"id": number, "text": GPU_PASTE}) + "\n")
    command = subprocess.Popen([str(ENTRY_POINT), "match", "--batch", str(batch)], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert command.stdout is not None and command.stderr is not None
    first = command.stdout.readline()  # as `| head -1` does: read a line, then hang up
    command.stdout.close()
    errors = command.stderr.read()
    assert command.wait(timeout=120) == 0
    assert json.loads(first)["id"] == 0
    assert errors == b""


def test_the_runner_leaves_this_process_as_it_found_it(tmp_path: Path) -> None:
    """What a call's `.env`, working directory and logging set up does not leak into the next
    call or the test: each call starts as a fresh process would."""
    import logging
    import os

    (tmp_path / ".env").write_text("BOT_LANGUAGE=en\nKNOWLEDGE_PATH=/nowhere\n", encoding="utf-8")
    before = (dict(os.environ), os.getcwd(), logging.getLogger().handlers[:])
    with_dotenv = run_cli(["match", GPU_PASTE], cwd=tmp_path)
    assert with_dotenv.exit_code == 0
    assert "Container cannot be scheduled on the cluster" in with_dotenv.stdout
    assert "knowledge base: /nowhere" in with_dotenv.stderr  # the .env's folder was used
    assert (dict(os.environ), os.getcwd(), logging.getLogger().handlers) == before
    elsewhere = run_cli(["match", GPU_PASTE], env={"KNOWLEDGE_PATH": None}, cwd=tmp_path.parent)
    assert "/nowhere" not in elsewhere.stderr
