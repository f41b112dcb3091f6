"""Read the structure of a guide written in the Microsoft Docs (Learn) Markdown dialect.

Only structure lives here: front matter, `##` sections with their `<a name>` anchors, pipe tables
and code spans. Turning a section's text into plain Markdown is `msdocs_render`; deciding what
becomes a KB entry is `drafts`. Everything is pure (text in, values out).

Every scan over lines goes through `fenced_lines`, so that `# comment` or `| x |` inside a fenced
code block is never mistaken for a heading or a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.knowledge.front_matter import FrontMatterError, split_front_matter

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")  # "## C#" keeps its "#"
_ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["']([^"']+)["']\s*>\s*</a>""", re.IGNORECASE)
# A Docs tab is written as a level-1 heading whose text is a link to `#tab/<id>`.
_TAB_LINK = re.compile(r"\]\(#tab/[^)]*\)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")



class GuideFormatError(ValueError):
    """The text is not a guide this importer can read; the message says why."""


@dataclass(frozen=True)
class Section:
    """One heading and the Markdown under it, up to the next heading (of level 3 or above)."""

    anchor: str  # the explicit `<a name>` anchor, or the slug of the title
    title: str  # heading text as plain text (anchors and link markup removed)
    level: int  # 1 for the page title, 2 for sections, 3 for subsections
    markdown: str  # the text under the heading, newlines normalised
    explicit_anchor: bool  # True when the guide wrote `<a name="...">` itself
    heading: str = ""  # the heading line as written, to fold a subsection back into its parent


@dataclass(frozen=True)
class Table:
    """A pipe table: its header cells and body rows, cells as raw Markdown."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    start: int  # line index of the header inside the text it came from
    end: int  # line index after the last row


@dataclass(frozen=True)
class Guide:
    meta: dict[str, object]  # the YAML front matter (empty when there is none)
    sections: tuple[Section, ...]  # in document order, the page title (level 1) included


def fold_into(parent: Section, children: list[Section]) -> Section:
    """The parent section with its subsections' headings and text put back under it."""
    parts = [parent.markdown, *(f"{child.heading}\n\n{child.markdown}" for child in children)]
    return Section(parent.anchor, parent.title, parent.level,
                   "\n\n".join(part for part in parts if part.strip()),
                   parent.explicit_anchor, parent.heading)


def guide_front_matter(text: str) -> tuple[dict[str, object], str]:
    """A guide's front matter (empty when it has none) and the Markdown after it."""
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as error:
        raise GuideFormatError(f"the {error}") from error
    return meta or {}, body


def fenced_lines(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Each line with its index and whether it is part of a fenced code block (fences included)."""
    fence: str | None = None
    for index, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
            yield index, line, True
        elif fence is not None:
            closer = _FENCE.match(line)
            if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= len(fence) \
                    and not line.strip()[len(closer.group(1)):].strip():
                fence = None
            yield index, line, True
        else:
            yield index, line, False


def is_tab_heading(line: str) -> bool:
    return line.lstrip().startswith("#") and bool(_TAB_LINK.search(line))


def split_sections(markdown: str, max_level: int = 3) -> tuple[Section, ...]:
    """Cut the body at headings of level `max_level` or above (tab headings are not headings)."""
    lines = markdown.split("\n")
    starts: list[tuple[int, int, str]] = []
    for index, line, in_code in fenced_lines(lines):
        heading = None if in_code or is_tab_heading(line) else _HEADING.match(line)
        if heading and len(heading.group(1)) <= max_level:
            starts.append((index, len(heading.group(1)), heading.group(2)))
    sections = []
    for number, (index, level, raw_title) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        anchor_match = _ANCHOR.search(raw_title)
        title = plain_heading_text(raw_title)
        anchor = anchor_match.group(1).strip() if anchor_match else slugify(title)
        sections.append(Section(anchor=anchor, title=title, level=level,
                                markdown="\n".join(lines[index + 1:end]).strip("\n"),
                                explicit_anchor=bool(anchor_match), heading=lines[index]))
    return tuple(sections)


def parse_guide(text: str) -> Guide:
    meta, body = guide_front_matter(text)
    return Guide(meta=meta, sections=split_sections(body))


def plain_heading_text(raw: str) -> str:
    """Heading text without anchors, link markup, emphasis or backticks."""
    text = _ANCHOR.sub("", raw)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return " ".join(text.replace("`", "").split())


def slugify(text: str) -> str:
    """The anchor Docs would give a heading: lower case, words joined by hyphens.

    Unicode letters are kept (a Korean heading keeps its Korean words), punctuation is dropped,
    underscores stay as Learn keeps them ("Function fails: get_model_path()" ->
    `function-fails-get_model_path`).
    """
    text = plain_heading_text(text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text).strip("-") if text.strip() else ""


def split_table_row(line: str) -> tuple[str, ...]:
    """Cells of one pipe-table row; a `|` inside a code span or escaped as `\\|` is not a border."""
    cells: list[str] = []
    current: list[str] = []
    in_code = ""
    index = 0
    text = line.strip()
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] == "|":
            current.append("|")
            index += 2
            continue
        if char == "`":
            run = len(text[index:]) - len(text[index:].lstrip("`"))
            ticks = text[index:index + run]
            if not in_code:
                in_code = ticks
            elif ticks == in_code:
                in_code = ""
            current.append(ticks)
            index += run
            continue
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current))
    if text.startswith("|"):
        cells = cells[1:]
    if text.endswith("|") and cells:
        cells = cells[:-1]
    return tuple(cell.strip() for cell in cells)


def find_tables(markdown: str) -> list[Table]:
    """Pipe tables (a header row, a `---|---` delimiter row, body rows) outside code blocks."""
    lines = markdown.split("\n")
    code = {index for index, _line, in_code in fenced_lines(lines) if in_code}
    tables = []
    index = 0
    while index + 1 < len(lines):
        header, delimiter = lines[index], lines[index + 1]
        if (index not in code and "|" in header and _TABLE_DELIMITER.match(delimiter)
                and "-" in delimiter):
            end = index + 2
            while end < len(lines) and end not in code and "|" in lines[end] \
                    and lines[end].strip():
                end += 1
            rows = tuple(split_table_row(line) for line in lines[index + 2:end])
            tables.append(Table(split_table_row(header), rows, index, end))
            index = end
        else:
            index += 1
    return tables


def code_spans(markdown: str) -> list[str]:
    """The text of every inline code span outside fenced code blocks, in order."""
    lines = markdown.split("\n")
    prose = "\n".join(line for _index, line, in_code in fenced_lines(lines) if not in_code)
    return [match.group(2).strip() for match in _CODE_SPAN.finditer(prose)
            if match.group(2).strip()]


def strong_spans(markdown: str) -> list[str]:
    """The text of every `**bold**` span outside fenced code blocks."""
    lines = markdown.split("\n")
    prose = "\n".join(line for _index, line, in_code in fenced_lines(lines) if not in_code)
    return [match.group(2).strip() for match in re.finditer(r"(\*\*|__)(.+?)\1", prose)]
