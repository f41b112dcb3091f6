"""Write draft entries as KB files (the format `bot.knowledge.loader` reads), safely.

Safety rules: files go only into the output folder (names come from ids made safe for file names,
and are checked again here); an existing file is replaced only when it is itself a draft
(`draft: true` in its front matter), because a file without it is someone's finished work; every
conflict is found before anything is written, so a refused run changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.i18n import Catalog
from bot.knowledge.drafts import Draft
from bot.knowledge.front_matter import FrontMatterError, split_front_matter

HEADINGS = {"en": ("Cause", "Fix"), "ko": ("원인", "해결")}
STRINGS: dict[str, dict[str, str]] = {
    "draft_rewrite_note": {
        "en": "> TODO: write this entry in your own words, in English: a short cause, then "
              "numbered\n> fix steps with the commands. The {other} section below holds the "
              "guide's text as a\n> starting point; do not ship the guide's sentences.",
        "ko": "> TODO: 이 항목을 한국어로, 직접 다시 쓰세요: 짧은 원인,\n"
              "> 그다음 번호를 매긴 해결 단계와 명령. 아래 {other} 섹션은\n"
              "> 가이드 원문을 출발점으로 옮긴 것입니다. 원문 문장을 그대로 쓰지 마세요."},
}
t = Catalog(STRINGS)


class DraftConflict(Exception):
    """Files in the output folder that are not drafts and would be overwritten."""


@dataclass(frozen=True)
class GuideInfo:
    """What the draft records about where it came from (from the guide's front matter)."""

    file_name: str
    title: str
    date: str


def render_draft(draft: Draft, guide: GuideInfo) -> str:
    other = "en" if draft.lang == "ko" else "ko"
    meta = {
        "id": draft.id,
        "draft": True,
        "title": {lang: draft.title[lang] for lang in ("en", "ko") if lang in draft.title},
        "signatures": list(draft.signatures),
        "patterns": [],
        "tags": list(draft.tags),
        "source": draft.source,
        "imported_from": {"guide": guide.file_name, "guide_title": guide.title,
                          "ms.date": guide.date, "section": draft.section},
    }
    comment = (f"# Draft made by `troubleshoot-bot kb import` from {guide.file_name}.\n"
               "# Rewrite it in your own words, check the signatures against real pastes,\n"
               "# then delete the `draft: true` line (re-imports never overwrite finished "
               "entries).\n")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000,
                           default_flow_style=False)
    bodies = {draft.lang: guide_body(draft), other: todo_body(other, draft.lang)}
    text = f"---\n{comment}{front}---\n"
    for lang in ("en", "ko"):
        text += f"\n## {lang}\n\n{bodies[lang].strip()}\n"
    return text


def guide_body(draft: Draft) -> str:
    cause_heading, fix_heading = HEADINGS[draft.lang]
    if not draft.fix:
        return f"### {cause_heading}\n\n{draft.cause or 'TODO'}\n"
    cause = draft.cause or "TODO: the guide does not say; describe the cause."
    return f"### {cause_heading}\n\n{cause}\n\n### {fix_heading}\n\n{draft.fix}\n"


def todo_body(lang: str, guide_lang: str) -> str:
    cause_heading, fix_heading = HEADINGS[lang]
    note = t("draft_rewrite_note", lang, other=guide_lang)
    return f"{note}\n\n### {cause_heading}\n\nTODO\n\n### {fix_heading}\n\n1. TODO\n"


def file_name_for(draft: Draft) -> str:
    return f"{draft.id}.md"


def is_draft_file(path: Path) -> bool:
    """True when the file's front matter says `draft: true` (ours to overwrite)."""
    try:
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return False
    return isinstance(meta, dict) and meta.get("draft") is True


def target_path(out_dir: Path, name: str) -> Path:
    """The file inside out_dir; a name that would leave it is refused, not sanitised silently."""
    path = out_dir / name
    if os.sep in name or (os.altsep and os.altsep in name) or name in {".", ".."} \
            or path.resolve().parent != out_dir.resolve():
        raise ValueError(f"refusing to write {name!r}: it is not a file name inside {out_dir}")
    return path


def write_files(files: dict[str, str], out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write name -> text into out_dir, replacing only drafts unless force; all or nothing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {name: target_path(out_dir, name) for name in files}
    finished = [path for path in targets.values()
                if path.exists() and not force and not is_draft_file(path)]
    if finished:
        raise DraftConflict(finished)
    written = []
    for name, text in files.items():
        written.append(write_atomically(targets[name], text))
    return written


def write_atomically(path: Path, text: str) -> Path:
    """Write beside the target and rename over it: a crash never leaves half a file, and a
    symlink in the target's place is replaced rather than followed out of the folder."""
    handle, temporary = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
