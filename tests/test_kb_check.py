"""`troubleshoot-bot kb check` (in-process, `tests/support/cli.py`) on a team folder given
through KNOWLEDGE_PATH."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.cli import Result, run_cli

GOOD = """---
id: {id}
title: {{en: "GPU driver mismatch", ko: "GPU 드라이버 불일치"}}
signatures:
  - "CUDA driver version is insufficient for CUDA runtime version"
patterns: []
source: https://example.org/runbooks/gpu
---
## en
### Cause
The node's driver is older than the CUDA runtime.
### Fix
1. Use a node image with a newer driver.
## ko
### 원인
노드 드라이버가 CUDA 런타임보다 오래되었습니다.
### 해결
1. 새 드라이버가 있는 노드 이미지를 쓰세요.
"""


def check(folder: Path, lang: str | None = None) -> Result:
    return run_cli(["kb", "check"], env={"KNOWLEDGE_PATH": str(folder), "BOT_LANGUAGE": lang})


def test_broken_team_folder_is_reported_per_entry(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD.format(id="gpu-driver"), encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD.format(id="gpu-driver"), encoding="utf-8")  # duplicate
    (tmp_path / "c.md").write_text("no front matter here", encoding="utf-8")
    broken = (GOOD.format(id="broken").replace("patterns: []", "patterns: ['(unclosed']")
              .replace("https://example.org/runbooks/gpu", "not-a-link")
              .split("## ko")[0])
    (tmp_path / "d.md").write_text(broken, encoding="utf-8")
    done = check(tmp_path)
    assert done.returncode == 1
    out = done.stdout
    assert "duplicate id 'gpu-driver'" in out
    assert "c.md" in out and "front matter" in out
    assert "broken" in out and "does not compile" in out
    assert "is not an http(s) URL" in out
    assert "has no '## ko' section" in out


def test_team_entry_overriding_a_shipped_id_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "override.md").write_text(GOOD.format(id="fpga-quota"), encoding="utf-8")
    done = check(tmp_path, lang="en")
    assert "note:" in done.stdout and "overrides 'fpga-quota'" in done.stdout


def test_a_korean_team_reads_the_report_in_korean(tmp_path: Path) -> None:
    """The note and the count line were English ("15 entries from 2 folder(s): 0 problem(s),
    all good") in a Korean team's terminal."""
    (tmp_path / "override.md").write_text(GOOD.format(id="fpga-quota"), encoding="utf-8")
    done = check(tmp_path, lang="ko")
    assert done.returncode == 0
    note, summary = done.stdout.strip().splitlines()
    assert note.startswith(f"참고: {tmp_path / 'override.md'}: ")
    assert note.endswith("fpga-quota.md의 'fpga-quota' 항목을 대신합니다")
    assert re.fullmatch(r"항목 \d+개, 폴더 2개: 문제 0개, 이상 없음", summary), summary


def test_a_signature_that_another_entry_wins_is_reported(tmp_path: Path) -> None:
    stolen = GOOD.format(id="thief").replace(
        "CUDA driver version is insufficient for CUDA runtime version", "OOMKilled")
    (tmp_path / "thief.md").write_text(stolen, encoding="utf-8")
    done = check(tmp_path)
    assert done.returncode == 1
    assert "signature 'OOMKilled'" in done.stdout
