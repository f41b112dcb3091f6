"""Knowledge-base problems are never silent: through the real `troubleshoot-bot` command
(in-process, `tests/support/cli.py`; `serve` in a real process), a
broken entry or a mistyped KNOWLEDGE_PATH folder is named by `match` and `ask` (stderr warning)
and makes `serve` refuse to start; drafts from `kb import` are never served and `kb check` flags
them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GUIDE_PATH
from tests.support.cli import Result, run_cli
from tests.test_kb_check import GOOD

CUDA_PASTE = "RuntimeError: CUDA driver version is insufficient for CUDA runtime version"
GPU_PASTE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."


def bot(*args: str, knowledge_path: str, cwd: Path, **extra: str) -> Result:
    env = {"KNOWLEDGE_PATH": knowledge_path, "BOT_LANGUAGE": "en", **extra}
    return run_cli(args, env=env, cwd=cwd)


def serve(knowledge_path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`serve` with good credentials: it must refuse before it listens. A real process, kept on
    purpose: a start-up that wrongly went ahead is stopped by the timeout instead of hanging
    the test run, and the refusal is checked from a fresh interpreter as an operator sees it."""
    env = {**os.environ, "KNOWLEDGE_PATH": knowledge_path, "BOT_LANGUAGE": "en",
           "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
           "SLACK_API_URL": "http://127.0.0.1:9/api/",
           "DATABASE_URL": f"sqlite:///{cwd / 'bot.db'}"}
    return subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0"], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_a_mistyped_knowledge_folder_is_named_by_match_and_serve_refuses(tmp_path: Path) -> None:
    team = tmp_path / "team-runbooks"
    team.mkdir()
    (team / "gpu.md").write_text(GOOD.format(id="gpu-driver"), encoding="utf-8")
    mistyped = str(tmp_path / "team-runbook")  # the folder is team-runbooks

    matched = bot("match", GPU_PASTE, knowledge_path=mistyped, cwd=tmp_path)
    assert matched.returncode == 0  # the shipped entries still answer
    assert "Container cannot be scheduled" in matched.stdout.splitlines()[0]
    assert matched.stderr.splitlines() == [
        f"warning: knowledge base: {mistyped}: knowledge folder does not exist (skipped; "
        "`troubleshoot-bot kb check` lists every problem)"]

    refused = serve(mistyped, tmp_path)
    assert refused.returncode == 2
    lines = refused.stderr.splitlines()
    assert lines[0] == (f"troubleshoot-bot serve: knowledge base: {mistyped}: knowledge folder "
                        "does not exist")
    assert "not starting with an invalid knowledge base" in lines[1] and len(lines) == 2
    assert "Traceback" not in refused.stderr

    assert bot("match", CUDA_PASTE, knowledge_path=str(team), cwd=tmp_path).stderr == ""


def test_a_broken_entry_is_named_by_ask_and_serve(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "gpu.md").write_text(GOOD.format(id="gpu-driver"), encoding="utf-8")
    broken = team / "oom.md"
    broken.write_text(GOOD.format(id="oom").replace("title: {", "title: {{"), encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert bot("db", "upgrade", knowledge_path=str(team), cwd=tmp_path,
               DATABASE_URL=database).returncode == 0

    asked = bot("ask", CUDA_PASTE, knowledge_path=str(team), cwd=tmp_path, DATABASE_URL=database)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith("GPU driver mismatch")  # the good team entry still answers
    (warning,) = asked.stderr.splitlines()
    assert warning.startswith(f"warning: knowledge base: {broken}: front matter is not valid YAML")

    refused = serve(str(team), tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[0].startswith(
        f"troubleshoot-bot serve: knowledge base: {broken}: front matter is not valid YAML")


def test_a_draft_is_never_an_answer_and_kb_check_flags_it(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    draft = team / "gpu.md"
    draft.write_text(GOOD.format(id="gpu-driver").replace("---\nid:", "---\ndraft: true\nid:", 1),
                     encoding="utf-8")
    matched = bot("match", "--json", CUDA_PASTE, knowledge_path=str(team), cwd=tmp_path)
    assert matched.returncode == 0
    assert "gpu-driver" not in [match["id"] for match in json.loads(matched.stdout)["matches"]]
    assert f"{draft}: unfinished draft from `kb import`" in matched.stderr

    checked = bot("kb", "check", knowledge_path=str(team), cwd=tmp_path)
    assert checked.returncode == 1
    assert f"{draft}: unfinished draft from `kb import`" in checked.stdout

    # Finished: the flag is gone, the entry answers and nothing is said.
    draft.write_text(GOOD.format(id="gpu-driver"), encoding="utf-8")
    finished = bot("match", "--json", CUDA_PASTE, knowledge_path=str(team), cwd=tmp_path)
    assert json.loads(finished.stdout)["matches"][0]["id"] == "gpu-driver"
    assert finished.stderr == ""


@pytest.mark.skipif(not GUIDE_PATH.is_file(), reason="the guide is not beside the repository")
def test_kb_import_output_on_the_knowledge_path_is_refused_by_serve(tmp_path: Path) -> None:
    # What a new user does: import the guide, point KNOWLEDGE_PATH at the drafts, start.
    drafts = tmp_path / "drafts"
    imported = bot("kb", "import", str(GUIDE_PATH), "--out", str(drafts),
                   knowledge_path="", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    files = sorted(drafts.glob("*.md"))
    assert files
    matched = bot("match", "--json", GPU_PASTE, knowledge_path=str(drafts), cwd=tmp_path)
    # The draft that shares the shipped id does not replace the finished entry.
    assert json.loads(matched.stdout)["matches"][0]["id"] == "container-cannot-be-scheduled"
    assert len(matched.stderr.splitlines()) == len(files)
    refused = serve(str(drafts), tmp_path)
    assert refused.returncode == 2
    assert len(refused.stderr.splitlines()) == len(files) + 1
    assert all("unfinished draft" in line for line in refused.stderr.splitlines()[:-1])
