"""Decide which parts of a Microsoft Docs troubleshooting guide become draft KB entries.

The rules, in order (each is a small function below, all pure):

1. Sections are the guide's `##` headings; the entry id is the section's `<a name>` anchor (or the
   slug of its title when it has none). A `##` section that is only a lead-in to its `###`
   subsections (a sentence and a list of in-page links, like "Common deployment errors" over
   "### ERROR: OutOfQuota") hands over to them: each `###` becomes an entry. Elsewhere `###`
   subsections stay part of their section.
2. The page title (`#`), well-known non-problem sections (`SKIP_ANCHORS`: prerequisites, next
   steps, an overview of steps, a user-forum link, ...) and sections with no text are skipped.
3. A table whose first column is headed "Error" (or 오류, Message, Symptom, Status code, ...) lists
   problems: each row becomes its own entry (rows with a 1xx-3xx status are not errors). Its id is
   `http-status-code-<N>` when the error cell starts with an HTTP status code, else the first
   `ROW_IDS` rule that matches, else the slug of the error cell. The section that only holds such
   a table is then skipped.
4. Signatures are the error text a person would paste: code spans that read like an error message,
   bold or code Kubernetes-style reasons (`CrashLoopBackOff`), the error code of an "Error: X"
   heading, a call named in a heading (`get_model_path()`), and the usual forms of an HTTP
   status code named in the heading or the error cell. Code blocks stay in the body only.
5. The first plain paragraph of a section is the cause; the rest is the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from bot.knowledge.cli_reports import ImportNote, say
from bot.knowledge.msdocs import (
    Guide,
    Section,
    Table,
    code_spans,
    find_tables,
    fold_into,
    plain_heading_text,
    slugify,
    strong_spans,
)
from bot.knowledge.msdocs_render import render_plain

DEFAULT_BASE_URL = "https://learn.microsoft.com/azure/machine-learning/"
# Where Learn publishes a guide, by the `ms.service` of its front matter.
SERVICE_BASE_URLS = {"machine-learning": DEFAULT_BASE_URL}

SKIP_ANCHORS = re.compile(
    r"^(prerequisites?|before-you-begin|next-steps?|see-also|related-(content|articles|resources)"
    r"|additional-resources|more-resources|feedback|clean-up-resources|overview|in-this-article"
    r"|steps-for-.+|.+-user-forum|(get-)?support|필수-구성-요소|다음-단계|관련-콘텐츠)$")

# Rows of "other error messages" tables that have a well-known id (the design's §3 ids).
ROW_IDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"이미지 빌드|image build", re.IGNORECASE), "image-build-fails"),
    (re.compile(r"SIGKILL|out of memory|OOMKilled", re.IGNORECASE), "vm-out-of-memory"),
    (re.compile(r"\bFPGA\b", re.IGNORECASE), "fpga-quota"),
)

_ERROR_HEADERS = {"error", "errors", "error message", "error code", "message", "symptom",
                  "issue", "problem", "exception", "status code", "http status code",
                  "오류", "오류 메시지", "오류 코드", "에러", "증상", "문제", "예외", "상태 코드"}
# "Why this code is returned" / "이 코드가 반환되는 이유" explain a cause too.
_CAUSE_HEADER = re.compile(r"^(cause|reason)$|\bwhy\b|원인|이유$")
_PHRASE_HEADERS = {"reason phrase", "phrase", "이유 구문", "status text"}
_FIX_HEADERS = {"resolution", "solution", "fix", "mitigation", "action", "workaround",
                "해결 방법", "해결", "해결책", "조치", "해결 방법/해결 방법"}

_ERROR_WORDS = re.compile(
    r"error|fail|exception|insufficient|couldn'?t|can ?not|unable|died|killed|\bSIG[A-Z]{3,}"
    r"|denied|refused|timed? ?out|not found|invalid|crash|back-?off|unavailable|traceback"
    r"|exit code|forbidden|unauthori[sz]ed|conflict|quota|exceeded|not available",
    re.IGNORECASE)
_COMMAND = re.compile(r"^(\$\s|>>>|az |kubectl |docker |python3? |pip3? |curl |conda |import |"
                      r"from \S+ import |def |class |print\(|return |export |cd )")
_REASON_NAME = re.compile(
    r"^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+(BackOff|Error|Exception|Failed|Failure|Killed|Timeout"
    r"|NotFound|Unavailable|Denied|Exceeded|Conflict|Unschedulable)$")
_ERROR_HEADING = re.compile(r"^(?:error|오류|에러)\s*:\s*([A-Za-z][\w.]*)", re.IGNORECASE)
_CALL_IN_HEADING = re.compile(r"\b[A-Za-z_][\w.]*\([\w, ]*\)")
_STATUS_IN_HEADING = re.compile(r"\b([1-5]\d\d)\b")
_STATUS_CONTEXT = re.compile(r"http|status|상태|오류|error|code|코드", re.IGNORECASE)
_NOT_PROSE = re.compile(r"^\s*([>#|]|[*+-]\s|\d+[.)]\s|`{3}|~{3}|:::|\[!|<)")
_ACRONYMS = {"http", "https", "aks", "aci", "gpu", "cpu", "vm", "fpga", "cli", "sdk", "api",
             "url", "json", "yaml", "sku", "id", "ml", "dns", "tls", "ssl", "oom"}
TAG_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aks", re.compile(r"\bAKS\b|kubernetes", re.IGNORECASE)),
    ("aci", re.compile(r"\bACI\b|Container Instances")),
    ("gpu", re.compile(r"\bGPU\b|nvidia\.com/gpu", re.IGNORECASE)),
    ("score-script", re.compile(r"score\.py|\binit\(\)|\brun\(")),
)


@dataclass(frozen=True)
class Draft:
    """One entry to write: the guide's text (in the guide's language) plus what we inferred."""

    id: str
    title: dict[str, str]
    signatures: tuple[str, ...]
    tags: tuple[str, ...]
    source: str  # page URL + section anchor
    cause: str  # plain Markdown in `lang`; empty when it could not be told apart
    fix: str  # plain Markdown in `lang`
    lang: str  # the guide's language
    section: str  # anchor of the guide section it came from


@dataclass(frozen=True)
class Skipped:
    anchor: str  # the section's
    title: str
    reason: ImportNote  # said in the reader's language by the report (cli_reports)
    row: int | None = None  # a row of the section's error table, counted from 1

    def where(self, lang: str = "en") -> str:
        """`http-status-codes`, or `http-status-codes row 1` in the reader's words."""
        return self.anchor if self.row is None else say("skipped_row", lang, anchor=self.anchor,
                                                        row=self.row)


@dataclass(frozen=True)
class ImportPlan:
    drafts: tuple[Draft, ...]
    skipped: tuple[Skipped, ...]
    page_url: str
    lang: str
    notes: tuple[ImportNote, ...] = ()  # warnings for the person running the import


def plan_import(guide: Guide, *, file_name: str, base_url: str | None = None) -> ImportPlan:
    lang = guide_language(file_name, guide.meta)
    base, notes = choose_base_url(guide.meta, base_url)
    url = page_url(file_name, base)
    drafts: list[Draft] = []
    taken: set[str] = set()
    sections, skipped = entry_sections(guide.sections)
    for section in sections:
        reason = skip_reason(section)
        if reason:
            skipped.append(Skipped(section.anchor, section.title, reason))
            continue
        made, passed_over = section_entries(section, url, lang)
        drafts += [with_unique_id(draft, taken) for draft in made]
        skipped += passed_over
    order = {section.anchor: number for number, section in enumerate(guide.sections)}
    skipped.sort(key=lambda item: order.get(item.anchor, len(order)))
    return ImportPlan(tuple(drafts), tuple(skipped), url, lang, tuple(notes))


def section_entries(section: Section, url: str, lang: str) -> tuple[list[Draft], list[Skipped]]:
    """The rows of its error tables, then the section itself unless the table was all it held."""
    tables = [table for table in find_tables(section.markdown) if error_columns(table)]
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    for table in tables:
        rows, not_errors = row_drafts(section, table, url, lang)
        drafts += rows
        skipped += not_errors
    rest = remove_tables(section.markdown, tables)
    if drafts and not has_own_content(rest):
        skipped.append(Skipped(section.anchor, section.title,
                               ImportNote("skip_split_rows", {"count": len(drafts)})))
        return drafts, skipped
    return [*drafts, section_draft(section, rest, url, lang)], skipped


def entry_sections(sections: tuple[Section, ...]) -> tuple[list[Section], list[Skipped]]:
    """The sections that can become entries: `###` subsections either replace a lead-in `##`
    parent (each is then a problem of its own) or are folded back into their parent."""
    out: list[Section] = []
    skipped: list[Skipped] = []
    index = 0
    while index < len(sections):
        section = sections[index]
        end = index + 1
        while section.level < 3 and end < len(sections) and sections[end].level == 3:
            end += 1
        children = list(sections[index + 1:end])
        if section.level != 2:
            out += [section, *children]  # the page title or a stray `###`: nothing to fold into
        elif children and is_lead_in(section.markdown):
            skipped.append(Skipped(section.anchor, section.title,
                                   ImportNote("skip_lead_in", {"count": len(children)})))
            out += children
        else:
            out.append(fold_into(section, children) if children else section)
        index = end
    return out, skipped


def is_lead_in(markdown: str) -> bool:
    """No text, a list of links to the subsections below, or one sentence that ends in a colon."""
    link_item = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+\[[^\]]*\]\(#[^)]*\)\s*$", re.MULTILINE)
    text = markdown.strip()
    if not text:
        return True
    if link_item.search(text):
        return not has_own_content(link_item.sub("", text))
    return "\n\n" not in text and text.endswith(":")


def guide_language(file_name: str, meta: dict[str, object]) -> str:
    """`x.ko.md` or `ms.contentlocale: ko-KR` is a Korean guide; anything else is English."""
    suffix = re.search(r"\.([a-z]{2})(?:-[a-z]{2,4})?\.(md|markdown)$", file_name.lower())
    locale = suffix.group(1) if suffix else str(meta.get("ms.contentlocale") or "en")[:2]
    return "ko" if locale.lower() == "ko" else "en"


def choose_base_url(meta: dict[str, object],
                    override: str | None) -> tuple[str, list[ImportNote]]:
    if override:
        return override.rstrip("/") + "/", []
    service = str(meta.get("ms.service") or "")
    if service in SERVICE_BASE_URLS:
        return SERVICE_BASE_URLS[service], []
    if not service:
        return DEFAULT_BASE_URL, [ImportNote("base_url_no_service", {"url": DEFAULT_BASE_URL})]
    return DEFAULT_BASE_URL, [ImportNote("base_url_assumed",
                                         {"service": repr(service), "url": DEFAULT_BASE_URL})]


def page_url(file_name: str, base_url: str) -> str:
    """`how-to-troubleshoot-deployment.ko.md` -> `<base>how-to-troubleshoot-deployment`."""
    stem = re.sub(r"\.(md|markdown)$", "", file_name, flags=re.IGNORECASE)
    stem = re.sub(r"\.[a-z]{2}(-[a-z]{2,4})?$", "", stem, flags=re.IGNORECASE)
    return base_url.rstrip("/") + "/" + stem


def skip_reason(section: Section) -> ImportNote | None:
    if section.level == 1:
        return ImportNote("skip_page_title")
    if SKIP_ANCHORS.match(section.anchor):
        return ImportNote("skip_well_known")
    if not section.markdown.strip():
        return ImportNote("skip_no_text")
    return None


def has_own_content(markdown: str) -> bool:
    """More than a one-paragraph lead-in ("these errors are fixed as follows")."""
    paragraphs = [block for block in re.split(r"\n\s*\n", markdown.strip()) if block.strip()]
    return len(paragraphs) > 1 or "```" in markdown


def section_draft(section: Section, markdown: str, url: str, lang: str) -> Draft:
    cause, fix = split_cause(markdown)
    code = status_code_of(section.title) or status_code_of(section.anchor.replace("-", " "))
    return Draft(
        id=safe_id(section.anchor),
        title=titles(section.title, section.anchor, lang),
        signatures=tuple(dedupe([*status_code_forms(code), *heading_signatures(section.title),
                                 *error_signatures(markdown)])),
        tags=tags_for(section.title + "\n" + markdown, code),
        source=f"{url}#{section.anchor}",
        cause=render_plain(cause, page_url=url, lang=lang),
        fix=render_plain(fix, page_url=url, lang=lang),
        lang=lang,
        section=section.anchor,
    )


def split_cause(markdown: str) -> tuple[str, str]:
    """The first paragraph when it is plain prose (the cause), and everything after it."""
    lines = markdown.strip("\n").split("\n")
    end = next((index for index, line in enumerate(lines) if not line.strip()), len(lines))
    if not lines or not lines[0].strip() or _NOT_PROSE.match(lines[0]):
        return "", markdown.strip("\n")
    return "\n".join(lines[:end]), "\n".join(lines[end:]).strip("\n")


@dataclass(frozen=True)
class ErrorColumns:
    """Which column of an error table holds what (indexes; None when the table has no such)."""

    error: int
    phrase: int | None  # a status code's reason phrase ("Unauthorized"), part of the title
    cause: int | None
    fix: int | None


def error_columns(table: Table) -> ErrorColumns | None:
    """The columns when the table lists errors (its first column is headed like one), else None."""
    header = [plain_heading_text(cell).lower().strip(" :") for cell in table.header]
    if len(header) < 2 or header[0] not in _ERROR_HEADERS:
        return None
    phrase = next((i for i, name in enumerate(header) if name in _PHRASE_HEADERS), None)
    cause = next((i for i, name in enumerate(header)
                  if i not in (0, phrase) and _CAUSE_HEADER.search(name)), None)
    fix = next((i for i, name in enumerate(header) if name in _FIX_HEADERS), None)
    if fix is None and len(header) - 1 not in (0, phrase, cause):
        fix = len(header) - 1  # an unnamed last column is what to do about the error
    return ErrorColumns(0, phrase, cause, fix)


def row_drafts(section: Section, table: Table, url: str,
               lang: str) -> tuple[list[Draft], list[Skipped]]:
    """One draft per error row; rows whose status code is not an error are reported skipped."""
    columns = error_columns(table)
    assert columns is not None
    drafts, skipped = [], []
    for number, row in enumerate(table.rows, start=1):
        error = cell(row, columns.error)
        error_text = plain_heading_text(error)
        title = " ".join(filter(None, [error_text, plain_heading_text(cell(row, columns.phrase))]))
        if not error_text:
            continue
        if re.match(r"\s*[1-3]\d\d\b", error_text):
            skipped.append(Skipped(section.anchor, title, ImportNote("skip_not_an_error"),
                                   row=number))
            continue
        code = status_code_of(error_text, anywhere=False)
        fix = cell(row, columns.fix)
        entry_id = row_id(error_text, code)
        drafts.append(Draft(
            id=entry_id or f"{section.anchor}-row-{number}",
            title=titles(shorten(title), entry_id, lang),
            signatures=tuple(dedupe([*status_code_forms(code), *code_spans(error),
                                     *error_signatures(fix)])),
            tags=tags_for(error + "\n" + fix, code),
            source=f"{url}#{section.anchor}",
            cause=render_plain(cell_markdown(cell(row, columns.cause)), page_url=url, lang=lang),
            fix=render_plain(cell_markdown(fix), page_url=url, lang=lang),
            lang=lang,
            section=section.anchor,
        ))
    return drafts, skipped


def cell(row: tuple[str, ...], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def cell_markdown(text: str) -> str:
    """Table cells put line breaks as `<br>`; give them back their lines."""
    return re.sub(r"\s*<br\s*/?>\s*", "\n", text, flags=re.IGNORECASE).strip()


def row_id(error_text: str, code: int | None) -> str:
    if code:
        return f"http-status-code-{code}"
    for pattern, entry_id in ROW_IDS:
        if pattern.search(error_text):
            return entry_id
    slug = shorten(slugify(error_text), 60, "-")
    return safe_id(slug) if slug else ""


def remove_tables(markdown: str, tables: list[Table]) -> str:
    lines = markdown.split("\n")
    dropped = {index for table in tables for index in range(table.start, table.end)}
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped).strip("\n")


def status_code_of(text: str, *, anywhere: bool = True) -> int | None:
    """An HTTP status code named in a heading ("502 HTTP 상태 코드", "409 conflict error")."""
    found = _STATUS_IN_HEADING.search(text) if anywhere else re.match(r"\s*([1-5]\d\d)\b", text)
    if not found or not (_STATUS_CONTEXT.search(text) or not anywhere):
        return None
    code = int(found.group(1))
    return code if code in HTTPStatus._value2member_map_ and code >= 400 else None


def status_code_forms(code: int | None) -> list[str]:
    """How a status code shows up in pasted text: `502 Bad Gateway`, `HTTP 502`, ..."""
    if not code:
        return []
    return [f"{code} {HTTPStatus(code).phrase}", f"HTTP {code}", f"status code {code}"]


def heading_signatures(title: str) -> list[str]:
    """What a heading names that people paste: `ERROR: OutOfQuota`'s code, a failing call."""
    named = _ERROR_HEADING.match(title)
    if named:
        return [named.group(1)]
    if _REASON_NAME.match(title):
        return [title]
    # "Function fails: get_model_path()": the failing call shows up in the traceback.
    return _CALL_IN_HEADING.findall(title)


def error_signatures(markdown: str) -> list[str]:
    spans = [span for span in code_spans(markdown) if looks_like_error_text(span)]
    reasons = [text for text in [*strong_spans(markdown), *code_spans(markdown)]
               if _REASON_NAME.match(text)]
    return dedupe([*spans, *reasons])


def looks_like_error_text(span: str) -> bool:
    """A code span holding an error message rather than a name, a path or a command."""
    words = span.split()
    if len(words) < 3 or _COMMAND.match(span):
        return False
    if _ERROR_WORDS.search(span):
        return True
    return sum(1 for word in words if re.fullmatch(r"[A-Za-z][A-Za-z'’]*[:,.]?", word)) >= 4


def tags_for(text: str, code: int | None) -> tuple[str, ...]:
    tags = [name for name, pattern in TAG_RULES if pattern.search(text)]
    return tuple(["http", *tags] if code else tags)


def titles(guide_title: str, anchor: str, lang: str) -> dict[str, str]:
    other = "en" if lang == "ko" else "ko"
    readable = humanise(anchor) if other == "en" and anchor.isascii() and anchor else ""
    return {lang: guide_title, other: readable or f"TODO: {guide_title}"}


def humanise(anchor: str) -> str:
    """`http-status-code-502` -> `HTTP status code 502`."""
    words = [word.upper() if word in _ACRONYMS else word for word in re.split(r"[-_]+", anchor)
             if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def safe_id(text: str) -> str:
    """An id that is also a safe file name: no path separators, no leading dots."""
    return re.sub(r"[^\w.-]+", "-", text).strip(".-") or "entry"


def with_unique_id(draft: Draft, taken: set[str]) -> Draft:
    candidate, number = draft.id, 2
    while candidate.lower() in taken:
        candidate, number = f"{draft.id}-{number}", number + 1
    taken.add(candidate.lower())
    if candidate == draft.id:
        return draft
    return Draft(**{**draft.__dict__, "id": candidate})


def shorten(text: str, limit: int = 100, cut_at: str = " ") -> str:
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(cut_at, 1)[0] or text[:limit]
    return head.rstrip(cut_at) + ("" if cut_at == "-" else "…")


def dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out
