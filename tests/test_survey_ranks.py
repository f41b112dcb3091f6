"""scripts/survey_ranks.py as a helper uses it: dump the pure-code ranking of labelled pastes,
then see which pastes a change moved, the time split's files apart from the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.survey_ranks import TIME_SPLIT_FILES, main, moves

OOM_PASTE = ("Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"
             "the scoring pod was killed again")


def _write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_dump_ranks_a_memory_kill_first_and_diff_reports_nothing_for_the_same_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pastes = _write(tmp_path / "final_holdout15.jsonl", [
        {"id": "oom", "text": OOM_PASTE, "expected": "vm-out-of-memory"}])
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert main(["dump", str(before), str(pastes)]) == 0
    assert main(["dump", str(after), str(pastes)]) == 0
    ranks = json.loads(before.read_text(encoding="utf-8"))
    assert ranks["oom"][0] == "vm-out-of-memory"
    assert ranks["oom"][2][0] == "vm-out-of-memory"
    capsys.readouterr()
    assert main(["diff", str(before), str(after)]) == 0
    assert capsys.readouterr().out == ""


def test_diff_keeps_the_time_split_apart_and_counts_unrelated_pastes_whose_first_changed() -> None:
    split_file = TIME_SPLIT_FILES[0]
    before = {
        "a": ("vm-out-of-memory", split_file, ["service-launch-fails", "vm-out-of-memory"]),
        "b": ("http-status-code-504", "dev.jsonl", ["http-status-code-504"]),
        "c": ("none", "dev.jsonl", ["http-status-code-502"]),
    }
    after = {
        "a": ("vm-out-of-memory", split_file, ["vm-out-of-memory", "service-launch-fails"]),
        "b": ("http-status-code-504", "dev.jsonl",
              ["http-status-code-503", "http-status-code-502", "debug-locally",
               "http-status-code-504"]),
        "c": ("none", "dev.jsonl", ["http-status-code-504"]),
    }
    found = moves(before, after)
    assert found == {
        "split: entered the first": ["a (2 -> 1)"],
        "pool: left the first": ["b (1 -> 4)"],
        "pool: left the first three": ["b (1 -> 4)"],
        "pool: unrelated, first entry changed": ["c"],
    }
