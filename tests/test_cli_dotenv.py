"""Every command reads `.env` from the working directory (real environment variables win), through
the real `troubleshoot-bot` command: in-process (`tests/support/cli.py`, which undoes what `.env`
added after each call), and once in a fresh process, where nothing was read before `.env`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support.cli import Result, run_cli

GPU_PASTE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
# Settings a developer's shell may carry; the tests give them only through `.env`.
SETTINGS = ("DATABASE_URL", "BOT_LANGUAGE", "KNOWLEDGE_PATH")


def bot(cwd: Path, *args: str, **extra_env: str) -> Result:
    env: dict[str, str | None] = dict.fromkeys(SETTINGS)  # None: not set for the call
    env.update(extra_env)
    return run_cli(args, env=env, cwd=cwd)


def bot_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter: kept for one test, so `.env` is also proven to be read before any
    setting in a process that never parsed them (the in-process runner re-parses per call)."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A working directory like a deployment's: the repository's migrations, a `.env`."""
    (tmp_path / "migrations").symlink_to(REPO_ROOT / "migrations")
    return tmp_path


def test_db_upgrade_migrates_the_database_dotenv_names(project: Path,
                                                        database_url: str) -> None:
    (project / ".env").write_text(f"DATABASE_URL={database_url}\n")
    upgraded = bot_process(project, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "업그레이드했습니다 (<빈 데이터베이스> -> " in upgraded.stdout  # BOT_LANGUAGE: ko
    # The default SQLite file in the working directory was not the one migrated.
    assert not (project / "troubleshoot-bot.db").exists()
    assert "(최신 버전)" in bot(project, "db", "current").stdout
    asked = bot(project, "ask", GPU_PASTE)
    assert asked.returncode == 0, asked.stderr
    assert "Incident #1" in asked.stdout or "인시던트 #1" in asked.stdout


def test_ask_and_match_answer_in_the_language_dotenv_sets(project: Path) -> None:
    (project / ".env").write_text(
        f"BOT_LANGUAGE=en\nDATABASE_URL=sqlite:///{project / 'bot.db'}\n")
    assert bot(project, "db", "upgrade").returncode == 0
    asked = bot(project, "ask", GPU_PASTE)
    assert asked.returncode == 0, asked.stderr
    assert "Incident #1 recorded · first time seen" in asked.stdout
    assert "인시던트" not in asked.stdout
    matched = bot(project, "match", GPU_PASTE)
    assert "Container cannot be scheduled on the cluster" in matched.stdout.splitlines()[0]


def test_the_real_environment_wins_over_dotenv(project: Path) -> None:
    (project / ".env").write_text(
        f"BOT_LANGUAGE=en\nDATABASE_URL=sqlite:///{project / 'bot.db'}\n")
    assert bot(project, "db", "upgrade").returncode == 0
    asked = bot(project, "ask", GPU_PASTE, BOT_LANGUAGE="ko")
    assert asked.returncode == 0, asked.stderr
    assert "인시던트 #1" in asked.stdout
