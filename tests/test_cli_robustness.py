"""What a new user runs into, through the real `troubleshoot-bot` command: one clear line instead
of a traceback, nothing destroyed without a question, reads that work on a read-only file."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Result, run_cli

GPU_PASTE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
# Answered confidently, so the incident records its entry (a likely answer records none).
CRASH_PASTE = "Warning  BackOff  pod/scoring-a1  Back-off restarting failed container"


def bot(cwd: Path, *args: str, stdin: int | None = None, **env: str
        ) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DATABASE_URL", "BOT_LANGUAGE", "SLACK_BOT_TOKEN")}
    environment.update(env)
    # Read back as the command wrote it: with PYTHONIOENCODING=latin-1 a "·" is one latin-1 byte.
    encoding = env.get("PYTHONIOENCODING", "utf-8")
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=environment,
                          stdin=stdin, capture_output=True, text=True, encoding=encoding,
                          timeout=120, check=False)


def bot_in_process(cwd: Path, *args: str, **env: str) -> Result:
    """`bot` for what only checks output and exit code (`tests/support/cli.py`). The pipe
    encodings, the terminal and the read-only file below stay real processes: what they test
    is the process's own streams, and a connection a fresh process opens on a read-only file."""
    environment: dict[str, str | None] = dict.fromkeys(
        ("DATABASE_URL", "BOT_LANGUAGE", "SLACK_BOT_TOKEN"))
    environment.update(env)
    return run_cli(args, env=environment, cwd=cwd)


@pytest.mark.parametrize("command", [("incidents", "list"), ("db", "upgrade"), ("db", "current"),
                                     ("ask", GPU_PASTE), ("digest", "--dry-run")])
def test_an_unsupported_database_url_is_one_line_without_the_password(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    done = bot_in_process(tmp_path, *command,
                          DATABASE_URL="mysql://bot:s3cret-pw@db.example/bot")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: DATABASE_URL has 'mysql://', which troubleshoot-bot does not support: use "
        "PostgreSQL (postgres://USER:PASSWORD@HOST/DB or postgresql://...) or SQLite "
        "(sqlite:///PATH/TO/FILE.db)"]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_korean_answers_on_a_narrow_output_encoding_degrade_instead_of_crashing(
        tmp_path: Path, encoding: str) -> None:
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert bot(tmp_path, "db", "upgrade", DATABASE_URL=database).returncode == 0
    for command in (("match", GPU_PASTE), ("ask", GPU_PASTE), ("incidents", "list")):
        done = bot(tmp_path, *command, DATABASE_URL=database, BOT_LANGUAGE="ko",
                   PYTHONIOENCODING=encoding)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    answer = bot(tmp_path, "match", GPU_PASTE, BOT_LANGUAGE="ko", PYTHONIOENCODING=encoding)
    assert "[container-cannot-be-scheduled]" in answer.stdout and "?" in answer.stdout


def test_db_downgrade_asks_on_a_terminal_and_does_nothing_unless_told_yes(
        tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert bot(tmp_path, "db", "upgrade", DATABASE_URL=database).returncode == 0

    def downgrade_answering(answer: str) -> subprocess.CompletedProcess[str]:
        controller, terminal = pty.openpty()
        try:
            os.write(controller, answer.encode() + b"\n")
            return bot(tmp_path, "db", "downgrade", "base", stdin=terminal,
                       DATABASE_URL=database)
        finally:
            os.close(terminal)
            os.close(controller)

    kept = downgrade_answering("no")
    assert kept.returncode == 2
    # In BOT_LANGUAGE (here the default, Korean); the word to type stays `yes`.
    assert "모든 인시던트와 발생 기록" in kept.stdout  # the question
    assert "계속하려면 yes를 입력하세요" in kept.stdout
    assert "아무것도 바꾸지 않았습니다" in kept.stderr
    assert "(최신 버전)" in bot(tmp_path, "db", "current", DATABASE_URL=database).stdout
    gone = downgrade_answering("yes")
    assert gone.returncode == 0, gone.stderr
    assert "아직 준비되지 않았습니다" in bot(tmp_path, "db", "current",
                                         DATABASE_URL=database).stdout


def test_worker_does_not_suggest_a_flag_it_rejects(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert bot_in_process(tmp_path, "db", "upgrade", DATABASE_URL=database).returncode == 0
    worker = bot_in_process(tmp_path, "worker", DATABASE_URL=database)
    assert worker.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in worker.stderr and "--dry-run" not in worker.stderr
    digest = bot_in_process(tmp_path, "digest", "--channel", "C1", DATABASE_URL=database)
    assert "SLACK_BOT_TOKEN is not set" in digest.stderr and "--dry-run" in digest.stderr
    # `deployments check` was told "the digest is posted with the bot's token".
    check = bot_in_process(tmp_path, "deployments", "check", DATABASE_URL=database)
    assert check.returncode == 2 and "SLACK_BOT_TOKEN is not set" in check.stderr
    assert "digest" not in check.stderr


@contextlib.contextmanager
def read_only(folder: Path, database: Path) -> Iterator[None]:
    """The file and its folder read-only for this user; as root (which file modes do not stop)
    also immutable (`chattr +i`), which stops root too."""
    database.chmod(0o444)
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(database), str(folder)],
                                            capture_output=True).returncode != 0:
            folder.chmod(0o755)
            pytest.skip("running as root where chattr +i is not available")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(database), str(folder)], check=True)
        folder.chmod(0o755)
        database.chmod(0o644)


def test_a_read_only_sqlite_file_can_be_read_and_writes_say_why_not(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "bot.db"
    url = f"sqlite:///{database}"
    assert bot(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    assert bot(tmp_path, "ask", CRASH_PASTE, DATABASE_URL=url).returncode == 0
    for leftover in folder.glob("bot.db-*"):  # as a copy of the file would arrive: alone
        leftover.unlink()
    with read_only(folder, database):
        listed = bot(tmp_path, "incidents", "list", DATABASE_URL=url, BOT_LANGUAGE="en")
        assert listed.returncode == 0, listed.stderr
        assert "service-launch-fails" in listed.stdout
        shown = bot(tmp_path, "incidents", "show", "1", DATABASE_URL=url)
        assert shown.returncode == 0, shown.stderr
        assert "(최신 버전)" in bot(tmp_path, "db", "current", DATABASE_URL=url).stdout

        resolved = bot(tmp_path, "incidents", "resolve", "1", "--note", "added a GPU node",
                       DATABASE_URL=url, BOT_LANGUAGE="en")
        assert resolved.returncode == 1
        assert resolved.stderr.splitlines() == [
            "error: the database refused: the SQLite database file is read-only for this "
            "user: commands that only read work, this one writes. Run it as the user that "
            "owns the file, or make the file and its folder writable"]
        korean = bot(tmp_path, "incidents", "resolve", "1", "--note", "GPU 노드 추가",
                     DATABASE_URL=url, BOT_LANGUAGE="ko")
        assert korean.stderr.startswith("오류: 데이터베이스가 요청을 거부했습니다: 이 사용자는 "
                                        "데이터베이스 파일(SQLite)을 읽기만 할 수 있습니다")
        asked = bot(tmp_path, "ask", GPU_PASTE, DATABASE_URL=url, BOT_LANGUAGE="en")
        assert "Container cannot be scheduled" in asked.stdout.splitlines()[0]  # still answered
        assert asked.returncode == 1
        assert "the answer above was not recorded: the SQLite database file is read-only" in (
            asked.stderr)
        assert sorted(path.name for path in folder.iterdir()) == ["bot.db"]
