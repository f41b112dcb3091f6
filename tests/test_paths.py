"""A regular (non-editable) install finds the KB and the migrations from the checkout it runs in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def run_installed_copy(site: Path, cwd: Path, *args: str,
                       database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("KNOWLEDGE_PATH", None)
    # -P: do not put the working directory on sys.path, or the checkout's `bot` would be run.
    return subprocess.run([sys.executable, "-P", "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_regular_install_run_from_the_checkout_finds_knowledge_and_migrations(
        tmp_path: Path) -> None:
    # What a Heroku-style build does: the package in site-packages, the Procfile run from the
    # checkout. Nothing beside the copied package holds knowledge/ or migrations/.
    site = tmp_path / "site-packages"
    shutil.copytree(REPO_ROOT / "bot", site / "bot",
                    ignore=shutil.ignore_patterns("__pycache__"))
    database = tmp_path / "bot.db"

    where = run_installed_copy(site, REPO_ROOT, "--version", database=database)
    assert where.returncode == 0, where.stderr
    probe = subprocess.run([sys.executable, "-P", "-c", "import bot; print(bot.__file__)"],
                           env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True,
                           text=True, cwd=REPO_ROOT, check=True)
    assert probe.stdout.strip().startswith(str(site))  # the copy, not the checkout, is imported

    upgraded = run_installed_copy(site, REPO_ROOT, "db", "upgrade", database=database)
    assert upgraded.returncode == 0, upgraded.stderr
    matched = run_installed_copy(site, REPO_ROOT, "match", "--json",
                                 "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
                                 database=database)
    assert matched.returncode == 0, matched.stderr
    assert json.loads(matched.stdout)["matches"][0]["id"] == "container-cannot-be-scheduled"


def test_away_from_a_checkout_the_missing_migrations_are_named(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    shutil.copytree(REPO_ROOT / "bot", site / "bot",
                    ignore=shutil.ignore_patterns("__pycache__"))
    done = run_installed_copy(site, tmp_path, "db", "upgrade", database=tmp_path / "bot.db")
    assert done.returncode != 0
    assert "no migrations at" in done.stderr and "Traceback" not in done.stderr
