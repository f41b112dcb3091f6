"""Drive the real `troubleshoot-bot match` command (in-process, `tests/support/cli.py`) and check
the JSON contract of design §3. Real pipes and encodings: tests/test_cli_robustness.py."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Result, run_cli

SCHEDULING = "Warning FailedScheduling 0/3 nodes are available: 3 Insufficient nvidia.com/gpu."


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return run_cli(["match", *args], stdin=stdin)


def test_json_shape_and_answer() -> None:
    done = run("--json", SCHEDULING)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"matches", "fingerprint"}
    assert result["matches"][0]["id"] == "container-cannot-be-scheduled"
    for match in result["matches"]:
        assert set(match) == {"id", "title", "score", "confident", "tier", "evidence"}
        assert 0 <= match["score"] <= 100
        assert match["tier"] in ("confident", "likely", "unknown")
        assert match["confident"] == (match["tier"] == "confident")
    assert sum(match["confident"] for match in result["matches"]) <= 1
    assert result["matches"][0]["tier"] in ("confident", "likely")  # shown either way
    assert all(match["tier"] == "unknown" for match in result["matches"][1:])
    assert "nvidia.com/gpu" in result["matches"][0]["evidence"]


def test_stdin_top_and_language() -> None:
    done = run("--json", "--top", "1", "--lang", "ko", "-", stdin=SCHEDULING)
    result = json.loads(done.stdout)
    assert len(result["matches"]) == 1
    assert any("\uac00" <= ch <= "\ud7a3" for ch in result["matches"][0]["title"])


def test_unknown_error_abstains() -> None:
    result = json.loads(run("--json", "the coffee machine is broken").stdout)
    assert all(not match["confident"] for match in result["matches"])


def test_human_output_has_steps_and_link() -> None:
    done = run("--lang", "en", SCHEDULING)
    text = done.stdout
    assert "1. " in text and "https://" in text and "Matched:" in text


def test_human_output_says_when_it_does_not_know() -> None:
    assert "No known fix" in run("--lang", "en", "the coffee machine is broken").stdout


def test_binary_junk_on_stdin_is_fine() -> None:
    done = run("--json", "-", stdin=bytes(range(256)) * 100)
    assert done.returncode == 0
    assert "fingerprint" in json.loads(done.stdout)


def test_binary_junk_read_by_a_person_is_refused_as_ask_refuses_it() -> None:
    # "No known fix" with status 0 reads as a verdict on the junk; --json keeps the contract.
    done = run("--lang", "en", "-", stdin=bytes(range(256)) * 100)
    assert done.returncode == 2
    assert "binary data" in done.stderr and "No known fix" not in done.stdout


def test_batch(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps({"id": "a", "text": SCHEDULING}) + "\n"
                     + json.dumps({"id": 7, "text": "OOMKilled"}) + "\n", encoding="utf-8")
    done = run("--batch", str(batch))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    for line in lines:
        assert set(line) == {"id", "matches", "fingerprint"}
        assert all(match["tier"] in ("confident", "likely", "unknown")
                   for match in line["matches"])
    assert lines[0]["matches"][0]["tier"] in ("confident", "likely")


def test_batch_reports_bad_lines(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text('not json\n{"id": "b"}\n{"id": "c", "text": "OOMKilled"}\n')
    done = run("--batch", str(batch))
    assert done.returncode == 1
    assert ":1: not JSON" in done.stderr and ":2:" in done.stderr
    # One output line per input line: nothing is silently dropped.
    first, second, third = (json.loads(line) for line in done.stdout.splitlines())
    assert first["error"].startswith("not JSON") and first["line"] == 1
    assert second["id"] == "b" and second["matches"] == []
    assert third["id"] == "c" and third["matches"]


def test_empty_paste_gets_a_clear_message() -> None:
    done = run("--lang", "en", "   ")
    assert done.returncode == 2
    assert "nothing to match" in done.stderr
    assert "찾아볼 내용이 없습니다" in run("--lang", "ko", "   ").stderr
