"""Read KB entries from Markdown files with YAML front matter.

The shipped entries live in `knowledge/` at the top of the repository (and inside the installed
package data); teams add folders through KNOWLEDGE_PATH, and an entry there with a shipped id
replaces the shipped one.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import yaml

from bot.disk_cache import cached, code_fingerprint
from bot.knowledge.front_matter import FrontMatterError, split_front_matter
from bot.knowledge.model import (
    KIND_CAUSE,
    KINDS,
    LANGUAGES,
    STAGES,
    Entry,
    KnowledgeBase,
    LoadProblem,
    LocalizedBody,
)
from bot.paths import project_folder
from bot.settings import settings

_LANGUAGE_HEADING = re.compile(r"^##\s+(\w+)\s*$", re.MULTILINE)
_SUBHEADING = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)
_CAUSE_HEADINGS = {"cause", "원인"}
_FIX_HEADINGS = {"fix", "해결", "해결 방법", "조치"}
_NUMBERED_ITEM = re.compile(r"^\d+\.\s+", re.MULTILINE)
# The note `kb import` leaves at the top of each language section of a draft.
_DRAFT_NOTE = re.compile(r"^>\s*TODO:", re.MULTILINE)
DRAFT_PROBLEM = ("unfinished draft from `kb import` (`draft: true` or its `> TODO:` note): "
                 "not served; rewrite it, then remove both")


# Below this many files parsing takes well under a second: no disk cache (the shipped KB, tests).
MIN_CACHED_FILES = 500
# The modules whose code decides what a file parses to: a change to any of them is a new key.
_PARSING_MODULES = ("bot.knowledge.loader", "bot.knowledge.front_matter", "bot.knowledge.model")


class KnowledgeError(ValueError):
    """A KB file that cannot be read as an entry; the message names the file."""


def parse_entry(text: str, path: Path | None = None) -> Entry:
    where = str(path) if path else "<text>"
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as error:
        raise KnowledgeError(f"{where}: {error}") from error
    if meta is None:
        raise KnowledgeError(f"{where}: no YAML front matter (a '---' block at the top)")
    entry_id = meta.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise KnowledgeError(f"{where}: 'id' is missing")
    title = meta.get("title")
    if isinstance(title, str):
        title = {"en": title}
    if not isinstance(title, dict):
        raise KnowledgeError(f"{where}: 'title' must be a mapping like {{en: ..., ko: ...}}")
    kind = str(meta.get("kind") or KIND_CAUSE).strip().lower()
    if kind not in KINDS:
        raise KnowledgeError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    stage = str(meta.get("stage") or "").strip().lower()
    if stage and stage not in STAGES:
        raise KnowledgeError(f"{where}: 'stage' must be one of {', '.join(STAGES)}, "
                             f"got {stage!r}")
    return Entry(
        id=entry_id.strip(),
        title={str(k): str(v) for k, v in title.items()},
        signatures=tuple(_string_list(meta.get("signatures"), "signatures", where)),
        patterns=tuple(_string_list(meta.get("patterns"), "patterns", where)),
        tags=tuple(_string_list(meta.get("tags"), "tags", where)),
        source=str(meta.get("source") or ""),
        kind=kind,
        stage=stage,
        body=ParsedOnUse(body),
        path=path,
        draft=bool(meta.get("draft")) or bool(_DRAFT_NOTE.search(body)),
    )


def _string_list(value: object, name: str, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise KnowledgeError(f"{where}: '{name}' must be a list of strings")
    return [item for item in value if item.strip()]


class ParsedOnUse(Mapping[str, LocalizedBody]):
    """parse_bodies(markdown) as a read-only mapping, parsed when first read.

    The text is read for an answer (a few entries a paste) and by the prose search's first
    question, never to match a signature: splitting 10,000 team entries' bodies up front was
    a tenth of loading them. Pickled as the Markdown itself (the disk cache), and equal to the
    dict parse_bodies() gives (the same bodies whenever read: parsing is deterministic).
    """

    __slots__ = ("_parsed", "markdown")

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self._parsed: dict[str, LocalizedBody] | None = None

    def _bodies(self) -> dict[str, LocalizedBody]:
        parsed = self._parsed
        if parsed is None:  # two threads may both parse: the same value either way
            parsed = self._parsed = parse_bodies(self.markdown)
        return parsed

    def __getitem__(self, lang: str) -> LocalizedBody:
        return self._bodies()[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies())

    def __len__(self) -> int:
        return len(self._bodies())

    def __repr__(self) -> str:
        return repr(self._bodies())

    def __reduce__(self) -> tuple[type[ParsedOnUse], tuple[str]]:
        return ParsedOnUse, (self.markdown,)


def parse_bodies(markdown: str) -> dict[str, LocalizedBody]:
    """Split the body into `## en` / `## ko` sections, each into cause, fix steps and extra."""
    bodies: dict[str, LocalizedBody] = {}
    headings = _unfenced(_LANGUAGE_HEADING, markdown)
    for index, heading in enumerate(headings):
        lang = heading.group(1).lower()
        if lang not in LANGUAGES:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(markdown)
        bodies[lang] = _parse_language_section(markdown[heading.end() : end])
    return bodies


def _parse_language_section(section: str) -> LocalizedBody:
    parts: dict[str, str] = {}
    subheadings = _unfenced(_SUBHEADING, section)
    if not subheadings:
        return LocalizedBody(cause=section.strip(), steps=())
    parts["lead"] = section[: subheadings[0].start()]
    for index, heading in enumerate(subheadings):
        end = subheadings[index + 1].start() if index + 1 < len(subheadings) else len(section)
        name = heading.group(1).strip().lower()
        key = "cause" if name in _CAUSE_HEADINGS else "fix" if name in _FIX_HEADINGS else "extra"
        parts[key] = (parts.get(key, "") + "\n" + section[heading.end() : end]).strip()
    cause = (parts.get("lead", "").strip() + "\n" + parts.get("cause", "")).strip()
    fix = parts.get("fix", "")
    starts = _unfenced(_NUMBERED_ITEM, fix)
    return LocalizedBody(cause=cause, steps=_steps(fix, starts),
                         extra=parts.get("extra", "").strip(),
                         fix_intro=_fix_intro(fix, starts))


def _unfenced(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Heading matches outside fenced code: a `## x` line inside a code block is not a heading."""
    if "```" not in text:  # no code block (most sections): nothing to look inside
        return list(pattern.finditer(text))
    return [m for m in pattern.finditer(text) if not _inside_fence(text, m.start())]


def _fix_intro(fix: str, starts: list[re.Match[str]]) -> str:
    """Text of the fix section before its first numbered step (kept, not dropped); `starts`:
    the steps' numbers, _unfenced(_NUMBERED_ITEM, fix)."""
    return fix[: starts[0].start()].strip() if starts else ""


def _steps(fix: str, starts: list[re.Match[str]]) -> tuple[str, ...]:
    """Numbered items at the left margin; indented lines and code blocks stay with their item.
    `starts`: the steps' numbers, _unfenced(_NUMBERED_ITEM, fix)."""
    if not starts:
        return (fix.strip(),) if fix.strip() else ()
    steps = []
    for index, item in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(fix)
        steps.append(_dedent_item(fix[item.end() : end]))
    return tuple(step for step in steps if step)


def _inside_fence(text: str, position: int) -> bool:
    return text.count("```", 0, position) % 2 == 1


def _dedent_item(item: str) -> str:
    lines = item.strip("\n").splitlines()
    if not lines:
        return ""
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
    return "\n".join([lines[0].strip()] + [line[indent:] for line in lines[1:]]).strip()


def entry_files(folder: Path) -> list[Path]:
    # Sorted by their parts: the order of Path's own `<`, compared in C instead of by ~14 calls
    # of that Python method per file (a quarter of listing 10,000 files).
    return sorted((path for path in folder.rglob("*.md") if path.name.lower() != "readme.md"),
                  key=_parts)


_parts = attrgetter("parts")


def knowledge_folders(extra: str | None = None) -> list[Path]:
    """The shipped folder first, then KNOWLEDGE_PATH folders in order (later ones win)."""
    extra = (settings().knowledge_path or "") if extra is None else extra
    folders = [project_folder("knowledge")]
    folders += [Path(part) for part in extra.split(os.pathsep) if part.strip()]
    return folders


def load_entries(folders: Iterable[Path], *, include_drafts: bool = False
                 ) -> tuple[list[Entry], list[LoadProblem]]:
    """Every entry from the folders, a later folder's entry replacing an earlier one's id.

    Files that cannot be read, missing folders and unfinished drafts are left out and reported
    (drafts are kept only with `include_drafts`, for the importer's own checks). The callers say
    so: `kb check` fails, `serve` refuses to start, `match` and `ask` warn.

    A large knowledge base is read back from the disk cache when its files are byte for byte
    the ones it was parsed from (bot/disk_cache.py). Each file is listed and read once: the
    bytes that are hashed for the key are the bytes that are parsed.
    """
    files = _EntryFiles.read(list(folders))
    key = None if include_drafts else files.key()
    if key is None:
        return _read_entries(files, include_drafts=include_drafts)
    return cached("kb", key, lambda: _read_entries(files, include_drafts=False))


@dataclass(frozen=True)
class _EntryFiles:
    """The folders' entry files (None for a folder that does not exist) and their bytes, or the
    error reading one raised (raised again where the parser reaches that file)."""

    folders: list[tuple[Path, list[Path] | None]]
    contents: dict[Path, bytes | OSError]

    @classmethod
    def read(cls, folders: list[Path]) -> _EntryFiles:
        listed: list[tuple[Path, list[Path] | None]] = []
        contents: dict[Path, bytes | OSError] = {}
        for folder in folders:
            if not folder.is_dir():
                listed.append((folder, None))
                continue
            paths = entry_files(folder)
            listed.append((folder, paths))
            for path in paths:
                try:
                    contents[path] = path.read_bytes()
                except OSError as error:
                    contents[path] = error
        return cls(listed, contents)

    def text(self, path: Path) -> str:
        """The file's text as `path.read_text(encoding="utf-8")` gives it, as far as the parser
        can tell: it turns `\r\n` and `\r` into `\n` itself (front_matter.normalise_text)."""
        content = self.contents[path]
        if isinstance(content, OSError):
            raise content
        return content.decode("utf-8")

    def key(self) -> bytes | None:
        """What load_entries() reads, as bytes to hash: every folder, file name and file
        content, and the code that parses them; None for a small knowledge base or an
        unreadable file."""
        digest = hashlib.sha256(code_fingerprint(_PARSING_MODULES))
        digest.update(f"{yaml.__version__} {yaml.__with_libyaml__}".encode())
        count = 0
        for folder, paths in self.folders:
            digest.update(b"\0folder\0" + os.fsencode(folder))
            for path in paths or ():
                content = self.contents[path]
                if isinstance(content, OSError):
                    return None  # let the reader report it as it always has
                digest.update(b"\0file\0%s\0%d\0" % (os.fsencode(path), len(content)))
                digest.update(content)
                count += 1
        return digest.digest() if count >= MIN_CACHED_FILES else None


def _read_entries(files: _EntryFiles, *, include_drafts: bool
                  ) -> tuple[list[Entry], list[LoadProblem]]:
    by_id: dict[str, Entry] = {}
    problems: list[LoadProblem] = []
    for folder, paths in files.folders:
        if paths is None:
            problems.append(LoadProblem(folder, "knowledge folder does not exist"))
            continue
        seen_here: dict[str, Path] = {}
        for path in paths:
            try:
                entry = parse_entry(files.text(path), path)
            except (KnowledgeError, UnicodeDecodeError) as error:
                # The report names the file already: keep the reason only.
                problems.append(LoadProblem(path, str(error).removeprefix(f"{path}: ")))
                continue
            if entry.draft and not include_drafts:
                problems.append(LoadProblem(path, DRAFT_PROBLEM))
                continue
            if entry.id in seen_here:
                problems.append(LoadProblem(path, f"duplicate id {entry.id!r} "
                                                  f"(also in {seen_here[entry.id]})"))
                continue
            seen_here[entry.id] = path
            by_id[entry.id] = entry
    return list(by_id.values()), problems


def load_knowledge_base(extra: str | None = None) -> KnowledgeBase:
    entries, problems = load_entries(knowledge_folders(extra))
    return KnowledgeBase(tuple(entries), tuple(problems))


@lru_cache(maxsize=4)
def cached_knowledge_base(extra: str | None = None) -> KnowledgeBase:
    """Loaded once per process (per KNOWLEDGE_PATH value): the web and worker processes share it."""
    return load_knowledge_base(extra)
