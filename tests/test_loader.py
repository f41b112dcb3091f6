"""Reading KB entries: front matter, language sections, fix steps, folder overrides."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge.loader import (
    KnowledgeError,
    knowledge_folders,
    load_entries,
    load_knowledge_base,
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
