"""Reading KB entries: front matter, language sections, fix steps, folder overrides."""

from __future__ import annotations

import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.front_matter import split_front_matter
from bot.knowledge.loader import (
    KnowledgeError,
    knowledge_folders,
    load_entries,
    load_knowledge_base,
    parse_bodies,
    parse_entry,
)

ENTRY = """---
id: {id}
title: {{en: "{title}", ko: "한국어 제목"}}
signatures: ["boom happened"]
patterns: ['boom \\d+']
tags: [aks]
source: https://example.org/guide#{id}
---
## en
### Cause
It breaks. Because of reasons.
### Fix
First check this.
1. Run the thing
   ```bash
   ## not a heading
   echo hi
   ```
2. Done
## ko
### 원인
깨집니다. 이유가 있습니다.
### 해결
1. 실행합니다
"""


def write_entry(folder: Path, entry_id: str, title: str = "Title") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.md"
    path.write_text(ENTRY.format(id=entry_id, title=title), encoding="utf-8")
    return path


def test_entry_is_split_into_cause_steps_and_both_languages(tmp_path: Path) -> None:
    entry = parse_entry(write_entry(tmp_path, "x").read_text(encoding="utf-8"))
    english, korean = entry.body["en"], entry.body["ko"]
    assert english.summary == "It breaks."
    assert english.fix_intro == "First check this."
    assert len(english.steps) == 2
    assert "## not a heading" in english.steps[0]  # a heading inside a code fence stays code
    assert korean.summary == "깨집니다."
    assert korean.steps == ("실행합니다",)
    assert entry.patterns == ("boom \\d+",)
    assert entry.title_in("ko") == "한국어 제목"
    assert entry.kind == "cause"  # the default when the front matter does not say


def test_bodies_read_after_loading_are_the_parsed_markdown_also_through_a_pickle() -> None:
    """Bodies are split when first read (an answer, the prose search), not while loading: what
    is read is what parse_bodies() gives, also from the disk cache's pickle, which keeps the
    Markdown and not the split parts."""
    for entry in load_knowledge_base(extra=""):
        assert entry.path is not None
        _, markdown = split_front_matter(entry.path.read_text(encoding="utf-8"))
        expected = parse_bodies(markdown)
        pickled = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        assert markdown.encode() in pickled  # the Markdown itself, not the parts
        assert entry.body == expected and dict(entry.body) == expected
        assert pickle.loads(pickled) == entry == replace(entry, body=expected)
        assert repr(entry.body) == repr(expected)
        for lang in ("en", "ko", "fr"):
            assert entry.body_in(lang) == (expected.get(lang) or expected.get("en"))


@pytest.mark.parametrize("text, message", [
    ("no front matter", "front matter"),
    ("---\nid: [\n---\n", "not valid YAML"),
    ("---\ntitle: {en: x}\n---\n", "'id' is missing"),
    ("---\nid: x\ntitle: {en: x}\nsignatures: oops\n---\n", "list of strings"),
    ("---\nid: x\ntitle: {en: x}\nkind: vibe\n---\n", "'kind' must be one of"),
])
def test_broken_files_are_reported_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(KnowledgeError, match=message):
        parse_entry(text)


def test_team_folder_overrides_a_shipped_id_and_adds_its_own(tmp_path: Path) -> None:
    shipped, team = tmp_path / "shipped", tmp_path / "team"
    write_entry(shipped, "shared-id", "Shipped")
    write_entry(shipped, "only-shipped")
    write_entry(team, "shared-id", "Team version")
    write_entry(team, "team-runbook")
    (team / "broken.md").write_text("not an entry", encoding="utf-8")
    entries, problems = load_entries([shipped, team])
    by_id = {entry.id: entry for entry in entries}
    assert set(by_id) == {"shared-id", "only-shipped", "team-runbook"}
    assert by_id["shared-id"].title["en"] == "Team version"
    assert [problem.path.name for problem in problems] == ["broken.md"]


def test_knowledge_path_is_split_on_the_os_path_separator(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_entry(one, "from-one")
    write_entry(two, "from-two")
    kb = load_knowledge_base(f"{one}{os.pathsep}{two}")
    assert kb.get("from-one") and kb.get("from-two")
    assert knowledge_folders(f"{one}{os.pathsep}")[1:] == [one]


def test_windows_and_old_mac_line_endings_and_a_bom_load_as_plain_text(tmp_path: Path) -> None:
    """Files are read once, as bytes (hashed for the disk cache, then parsed): an entry saved
    by a Windows editor must still read exactly as the same entry saved with `\\n`."""
    text = ENTRY.format(id="x", title="Title")
    write_entry(tmp_path / "plain", "x")
    for name, data in [("crlf", text.replace("\n", "\r\n").encode()),
                       ("cr", text.replace("\n", "\r").encode()),
                       ("bom", b"\xef\xbb\xbf" + text.encode())]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.md").write_bytes(data)
    plain, problems = load_entries([tmp_path / "plain"])
    assert not problems
    for name in ("crlf", "cr", "bom"):
        entries, problems = load_entries([tmp_path / name])
        assert not problems, name
        assert replace(entries[0], path=None) == replace(plain[0], path=None), name


def test_a_file_that_is_not_utf8_is_reported_with_where_it_breaks(tmp_path: Path) -> None:
    write_entry(tmp_path, "good")
    (tmp_path / "latin1.md").write_bytes(b"---\nid: latin1\ntitle: {en: \"caf\xe9\"}\n---\n")
    entries, problems = load_entries([tmp_path])
    assert [entry.id for entry in entries] == ["good"]
    assert [(problem.path.name, problem.message) for problem in problems] == [
        ("latin1.md", "'utf-8' codec can't decode byte 0xe9 in position 31: invalid "
                      "continuation byte")]


def test_a_missing_folder_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    write_entry(tmp_path / "team", "team-runbook")
    entries, problems = load_entries([tmp_path / "nowhere", tmp_path / "team"])
    assert [entry.id for entry in entries] == ["team-runbook"]
    assert [(problem.path.name, problem.message) for problem in problems] == [
        ("nowhere", "knowledge folder does not exist")]
