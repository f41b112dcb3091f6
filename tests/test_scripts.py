"""The repository's own scripts and docs as a new user meets them: `./scripts/demo --lang en`
(which the README suggests), `./scripts/test` honouring TEST_POSTGRES_URL, code fences that
close."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.conftest import POSTGRES_ADMIN_URL, REPO_ROOT

SCRIPT_TIMEOUT_S = 600  # setup.sh checks the virtualenv first; slow on a loaded machine


def run_script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("BOT_LANGUAGE", None)
    return subprocess.run([str(REPO_ROOT / "scripts" / name), *args], env=environment,
                          capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S, check=False)


def test_demo_answers_in_english_with_lang_en(tmp_path: Path) -> None:
    # The suite runs from this .venv: a demo run must not reinstall (and so briefly remove) the
    # entry point the other tests are using when nothing it was installed from has changed.
    entry_point = REPO_ROOT / ".venv" / "bin" / "troubleshoot-bot"
    installed_at = entry_point.stat().st_mtime_ns
    done = run_script("demo", "--lang", "en", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
    assert done.returncode == 0, done.stderr
    assert "Container cannot be scheduled on the cluster" in done.stdout
    assert "Incident #1 recorded · first time seen" in done.stdout
    own = run_script("demo", "--lang", "en", "Worker (pid:42) was sent SIGKILL! Perhaps out of "
                     "memory?", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
    assert own.returncode == 0, own.stderr
    assert "[vm-out-of-memory]" in own.stdout
    assert entry_point.stat().st_mtime_ns == installed_at


def test_the_test_script_checks_the_postgres_that_test_postgres_url_names() -> None:
    unreachable = POSTGRES_ADMIN_URL.replace("postgres@", "postgres:hunter2@", 1).rsplit(
        "@", 1)[0] + "@127.0.0.1:1/test"
    refused = run_script("test", "--collect-only", "-q", "tests/test_paths.py",
                         TEST_POSTGRES_URL=unreachable)
    assert refused.returncode == 1
    assert "PostgreSQL at 127.0.0.1:1 (TEST_POSTGRES_URL) is not reachable" in refused.stderr
    assert "hunter2" not in refused.stderr + refused.stdout
    checked = run_script("test", "--collect-only", "-q", "tests/test_paths.py",
                         TEST_POSTGRES_URL=POSTGRES_ADMIN_URL)
    assert checked.returncode == 0, checked.stderr
    assert "tests/test_paths.py" in checked.stdout


def test_every_code_fence_in_the_docs_closes_on_its_own_line() -> None:
    for page in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]:
        fences = [(number, line) for number, line in enumerate(
            page.read_text(encoding="utf-8").splitlines(), start=1) if "```" in line]
        for number, line in fences:
            # A fence is a line of its own: ``` text after a closing fence is swallowed.
            assert re.fullmatch(r"\s*```[\w+-]*\s*", line) or line.count("```") % 2 == 0, (
                f"{page.name}:{number}: {line!r}")
        openers = [line for _, line in fences if re.fullmatch(r"\s*```[\w+-]*\s*", line)]
        assert len(openers) % 2 == 0, f"{page.name}: a code fence is never closed"


def test_the_picture_script_draws_a_modal_as_a_dialog() -> None:
    """scripts/render_answer.py is how we look at messages before calling them done; a modal
    (what views.open gets) must show its title, fields and buttons, not an empty page."""
    import importlib.util

    from bot.logs.render import fetch_modal

    spec = importlib.util.spec_from_file_location("render_answer",
                                                  REPO_ROOT / "scripts" / "render_answer.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    page = script.modal_to_html(fetch_modal("m", "en", names=["churn-scorer", "fraud/blue"]))
    for shown in ("Fetch logs", "Service, or endpoint/deployment", "(2 options)",
                  "Lines", "200", ">Close<", ">Fetch<"):
        assert shown in page, shown
