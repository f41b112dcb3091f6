"""A large team knowledge base is parsed and indexed once, then read back by the next process.

What a user would notice if the cache were wrong: an edited, added or removed entry not taking
effect, an answer that differs from the uncached one, a crash on a damaged or foreign cache
file. Each test has its own cache folder (XDG_CACHE_HOME) and its own knowledge folder of
MIN_CACHED_FILES entries (smaller ones are never cached).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from bot.disk_cache import cache_folder, cached, code_fingerprint
from bot.knowledge.loader import MIN_CACHED_FILES, load_knowledge_base
from bot.matching.matcher import Matcher
from tests.support.cli import run_cli

PASTE = "RuntimeError: zqteam0042 failed while zqwarm0042 the zqcache0042 (exit 3)"


def write_entry(folder: Path, number: int, cause: str = "Generated.") -> None:
    (folder / f"team-{number:04d}.md").write_text(
        "---\n"
        f"id: team-{number:04d}\n"
        f"title: {{en: \"Team problem {number}\", ko: \"팀 문제 {number}\"}}\n"
        "signatures:\n"
        f"  - \"RuntimeError: zqteam{number:04d} failed while zqwarm{number:04d} the "
        f"zqcache{number:04d}\"\n"
        f"patterns:\n  - 'zqteam{number:04d} \\w+ while'\n"
        "---\n"
        f"## en\n### Cause\n{cause}\n### Fix\n1. Restart it.\n"
        "## ko\n### 원인\n생성됨.\n### 해결\n1. 다시 시작합니다.\n", encoding="utf-8")


@pytest.fixture
def team_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "team-kb"
    folder.mkdir()
    for number in range(MIN_CACHED_FILES):
        write_entry(folder, number)
    return folder


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def cached_files(cache_home: Path) -> list[str]:
    folder = cache_home / "troubleshoot-bot"
    return sorted(path.name.split("-")[0] for path in folder.glob("*.pickle"))


def uncached(folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Matcher:
    """The matcher as built with no cache at all: the cache folder is not private."""
    shared = tmp_path / "shared-cache"
    (shared / "troubleshoot-bot").mkdir(parents=True)
    (shared / "troubleshoot-bot").chmod(0o777)
    with monkeypatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(shared))
        matcher = Matcher(load_knowledge_base(extra=str(folder)))
    assert not list((shared / "troubleshoot-bot").iterdir()), "a shared folder is never written"
    return matcher


def test_a_cached_knowledge_base_answers_as_a_freshly_built_one(
        team_folder: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    first = Matcher(load_knowledge_base(extra=str(team_folder)))
    assert cached_files(cache_home) == ["index", "kb"]
    again = Matcher(load_knowledge_base(extra=str(team_folder)))  # read back from the files
    fresh = uncached(team_folder, monkeypatch, tmp_path)

    assert again.kb == first.kb == fresh.kb
    for matcher in (first, again):
        assert matcher.match(PASTE, top=5) == fresh.match(PASTE, top=5)
    # The paste is the team entry's own signature: it ranks first. (Whether it is answered
    # confidently is the learned decision's call on a generic RuntimeError, not the cache's.)
    assert fresh.match(PASTE).matches[0].entry_id == "team-0042"


def test_an_edited_entry_takes_effect(team_folder: Path, cache_home: Path) -> None:
    Matcher(load_knowledge_base(extra=str(team_folder)))
    write_entry(team_folder, 7, cause="Rewritten.")  # as long as before: the content counts
    kb = load_knowledge_base(extra=str(team_folder))
    edited = kb.get("team-0007")
    assert edited is not None and edited.body["en"].cause == "Rewritten."


def test_an_added_or_removed_entry_takes_effect(team_folder: Path, cache_home: Path) -> None:
    Matcher(load_knowledge_base(extra=str(team_folder)))
    write_entry(team_folder, MIN_CACHED_FILES + 1)
    (team_folder / "team-0003.md").unlink()
    kb = load_knowledge_base(extra=str(team_folder))
    assert kb.get(f"team-{MIN_CACHED_FILES + 1:04d}") is not None
    assert kb.get("team-0003") is None
    answer = Matcher(kb).match(PASTE.replace("0042", "0003")).answer
    assert answer is None or answer.entry_id != "team-0003"


def test_a_broken_entry_is_still_reported_when_cached(team_folder: Path, cache_home: Path) -> None:
    (team_folder / "team-0009.md").write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    for _ in range(2):  # parsed, then read back
        kb = load_knowledge_base(extra=str(team_folder))
        assert [problem.path.name for problem in kb.problems] == ["team-0009.md"]
        assert "not valid YAML" in kb.problems[0].message


def test_a_damaged_cache_file_is_rebuilt(team_folder: Path, cache_home: Path) -> None:
    expected = load_knowledge_base(extra=str(team_folder))
    damaged = b"\x80\x05not a pickle"
    [stored] = (cache_home / "troubleshoot-bot").glob("kb-*.pickle")
    stored.write_bytes(damaged)
    assert load_knowledge_base(extra=str(team_folder)) == expected
    assert stored.read_bytes() != damaged  # written again, whole
    assert load_knowledge_base(extra=str(team_folder)) == expected


def test_a_cache_folder_others_can_write_is_not_used(team_folder: Path, cache_home: Path) -> None:
    folder = cache_home / "troubleshoot-bot"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    load_knowledge_base(extra=str(team_folder))
    assert not list(folder.iterdir())
    assert cache_folder() == folder


def test_the_shipped_knowledge_base_is_not_cached(cache_home: Path) -> None:
    Matcher(load_knowledge_base(extra=""))
    assert not (cache_home / "troubleshoot-bot").exists()


def test_changed_code_is_a_new_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "kb_reader_under_test.py"
    monkeypatch.syspath_prepend(str(tmp_path))
    module.write_text("VERSION = 1\n")
    before = code_fingerprint(["kb_reader_under_test"])
    module.write_text("VERSION = 2\n")
    assert code_fingerprint(["kb_reader_under_test"]) != before


def test_processes_racing_on_a_cold_cache_all_answer_as_uncached(
        team_folder: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """Real processes, because what is tested is what one process leaves for the next: two
    start together on an empty cache (both build, both write), a third reads what they left."""
    env = {**os.environ, "KNOWLEDGE_PATH": str(team_folder), "XDG_CACHE_HOME": str(cache_home)}
    command = [sys.executable, "-m", "bot", "match", "--json", "--top", "5", PASTE]

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    racing = [start(), start()]
    outputs = [process.communicate(timeout=300) for process in racing]
    third = start().communicate(timeout=300)
    expected = run_cli(["match", "--json", "--top", "5", PASTE],
                       env={"KNOWLEDGE_PATH": str(team_folder),
                            "XDG_CACHE_HOME": str(tmp_path / "another-cache")})
    assert expected.exit_code == 0, expected.stderr
    assert json.loads(expected.stdout)["matches"][0]["id"] == "team-0042"
    for stdout, stderr in [*outputs, third]:
        assert json.loads(stdout) == json.loads(expected.stdout), stderr
    assert cached_files(cache_home) == ["index", "kb"]
    assert not [path for path in (cache_home / "troubleshoot-bot").iterdir()
                if path.name.startswith(".tmp-")]


def test_the_garbage_collector_runs_again_after_loading(team_folder: Path,
                                                         cache_home: Path) -> None:
    """Building a large KB pauses the cyclic collector (it would only rescan what is built):
    a server left without it after start-up would never free a reference cycle again."""
    assert gc.isenabled()
    Matcher(load_knowledge_base(extra=str(team_folder)))  # cold: built and written
    assert gc.isenabled()
    Matcher(load_knowledge_base(extra=str(team_folder)))  # warm: read back
    assert gc.isenabled()


def test_the_garbage_collector_runs_again_after_a_failed_build(cache_home: Path) -> None:
    def failing() -> None:
        assert not gc.isenabled(), "paused while building"
        raise RuntimeError("the knowledge base could not be built")

    with pytest.raises(RuntimeError, match="could not be built"):
        cached("test", b"key", failing)
    assert gc.isenabled()


class _Node:
    """An object that can be put in a reference cycle and watched through a weak reference."""

    partner: object = None


def _cycle() -> weakref.ref[_Node]:
    """A reference cycle nothing else holds: only the cyclic collector can free it."""
    node = _Node()
    node.partner = node
    return weakref.ref(node)


def test_what_a_load_built_is_left_out_of_later_collections(team_folder: Path,
                                                             cache_home: Path) -> None:
    """The entries and the index live as long as the process: later collections no longer
    walk them (a tenth of a cold start went to that), and cycles made later are still freed."""
    for _ in range(2):  # cold, then warm (read back from the cache)
        matcher = Matcher(load_knowledge_base(extra=str(team_folder)))
        collected = {id(thing) for thing in gc.get_objects()}  # frozen ones are not listed
        assert not [entry for entry in matcher.kb if id(entry) in collected]
        assert not [choice for choice in matcher.index.signatures if id(choice) in collected]
    later = _cycle()
    gc.collect()
    assert later() is None


def test_a_failed_build_leaves_its_garbage_collectable(cache_home: Path) -> None:
    made: list[weakref.ref[_Node]] = []

    def failing() -> None:
        made.append(_cycle())
        raise RuntimeError("the knowledge base could not be built")

    with pytest.raises(RuntimeError, match="could not be built"):
        cached("test", b"key", failing)
    gc.collect()
    assert made[0]() is None, "frozen with the failed build's garbage"


def test_a_collector_paused_by_the_caller_stays_paused(cache_home: Path) -> None:
    gc.disable()
    try:
        assert cached("test", b"key", lambda: 42) == 42
        assert not gc.isenabled()
    finally:
        gc.enable()
