"""Turn Microsoft Docs (Learn) Markdown into plain Markdown a KB entry can hold.

- `> [!NOTE]` / `[!TIP]` / `[!IMPORTANT]` / `[!WARNING]` / `[!CAUTION]` alerts become plain
  paragraphs that start with a label ("참고:" in a Korean guide, "Note:" otherwise);
- `# [Azure CLI](#tab/azcli)` ... `---` tab groups become bold-labelled sub-blocks, every tab kept;
- relative links (`how-to-x.md#y`, `../aks/z.md`, `/python/api/...`, `#anchor`, `media/a.png`)
  become absolute learn.microsoft.com links; `<a name>` anchors are dropped;
- Docs-only directives (`:::image`, `::: zone`, `[!INCLUDE]`, `:::code`) become plain Markdown or
  a visible TODO for the person finishing the draft;
- headings inside a section move one level down so they cannot collide with the KB's
  `## en` / `### Cause` structure.

Fenced code blocks pass through untouched.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bot.i18n import Catalog
from bot.knowledge.msdocs import fenced_lines, is_tab_heading

# The Docs alert kinds (`> [!NOTE]`) and the label each becomes in a draft.
STRINGS: dict[str, dict[str, str]] = {
    "alert_note": {"en": "Note", "ko": "참고"},
    "alert_tip": {"en": "Tip", "ko": "팁"},
    "alert_important": {"en": "Important", "ko": "중요"},
    "alert_warning": {"en": "Warning", "ko": "경고"},
    "alert_caution": {"en": "Caution", "ko": "주의"},
}
t = Catalog(STRINGS)
ALERT_KINDS = frozenset(key.removeprefix("alert_") for key in STRINGS)
_ALERT = re.compile(r"^(\s*)>\s*\[!(\w+)\](?:\s+(.*?))?\s*$")
_DIV = re.compile(r"^(\s*)>\s*\[!div\b[^\]]*\]\s*$", re.IGNORECASE)
_TAB_LABEL = re.compile(r"\[([^\]]+)\]\(#tab/[^)]*\)")
_ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["'][^"']*["']\s*>\s*</a>\s*""", re.IGNORECASE)
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?((?:\s+\"[^\"]*\")?)\s*\)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_DIRECTIVE_MARKER = re.compile(r"^\s*:::\s*(zone|moniker|row|column|image-end)\b.*$")
_IMAGE = re.compile(r"^\s*:::image\s+(.*?):::\s*$")
_CODE_DIRECTIVE = re.compile(r"^\s*:::code\s+(.*?):::\s*$")
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")
_INCLUDE = re.compile(r"\[!(?:INCLUDE|code-[\w-]+)\s*\[[^\]]*\]\(([^)]*)\)\]", re.IGNORECASE)
_DEEPER_HEADING = re.compile(r"^(#{3,5})(\s)")
_BLOCK_START = re.compile(r"^\s*([*+-]\s|\d+[.)]\s|`{3}|~{3}|\|)")


def render_plain(markdown: str, *, page_url: str, lang: str = "en") -> str:
    """The section's Markdown with the Docs dialect replaced by plain Markdown."""
    lines = unquote_alerts(markdown.split("\n"), lang)
    out: list[str] = []
    in_tab_group = False
    for _index, line, in_code in fenced_lines(lines):
        if in_code:
            out.append(line)
        elif is_tab_heading(line):
            in_tab_group = True
            label = _TAB_LABEL.search(line)
            out.append(f"**{label.group(1).strip() if label else 'Tab'}**")
        elif in_tab_group and line.strip() == "---":
            in_tab_group = False  # the closing rule of a tab group is markup, not content
        elif not _DIRECTIVE_MARKER.match(line):
            out.append(render_line(line, page_url))
    return squeeze_blank_lines("\n".join(out)).strip("\n")


def unquote_alerts(lines: list[str], lang: str) -> list[str]:
    """Alert blockquotes become plain lines that start with the alert's label; `[!div]` layout
    quotes simply lose their quoting.

    The quote's indentation is kept, so an alert inside a list item stays inside that item.
    """
    out: list[str] = []
    index = 0
    code = {number for number, _line, in_code in fenced_lines(lines) if in_code}
    while index < len(lines):
        line = lines[index]
        alert = None if index in code else _ALERT.match(line)
        kind = alert.group(2).lower() if alert else ""
        layout = None if index in code else _DIV.match(line)  # `> [!div class=...]` wrappers
        if not layout and kind not in ALERT_KINDS:
            out.append(line)
            index += 1
            continue
        indent = (alert or layout).group(1)  # type: ignore[union-attr]
        body: list[str] = [alert.group(3)] if alert and alert.group(3) and not layout else []
        index += 1
        while index < len(lines) and lines[index].startswith(indent + ">"):
            text = lines[index][len(indent) + 1:]
            body.append(text[1:] if text.startswith(" ") else text)
            index += 1
        if not layout:
            body = label_first_line(body, t(f"alert_{kind}", lang))
        out.extend(indent + text if text.strip() else "" for text in body)
    return out


def label_first_line(body: list[str], label: str) -> list[str]:
    for number, text in enumerate(body):
        if text.strip():
            if _BLOCK_START.match(text):
                return [*body[:number], f"{label}:", "", *body[number:]]
            return [*body[:number], f"{label}: {text.lstrip()}", *body[number + 1:]]
    return [f"{label}:"]


def render_line(line: str, page_url: str) -> str:
    """One prose line: directives replaced, headings moved down, links resolved."""
    image = _IMAGE.match(line)
    if image:
        attributes = dict(_ATTRIBUTE.findall(image.group(1)))
        source = resolve_link(attributes.get("source", ""), page_url)
        return f"![{attributes.get('alt-text', '')}]({source})"
    code = _CODE_DIRECTIVE.match(line)
    if code:
        source = dict(_ATTRIBUTE.findall(code.group(1))).get("source", "?")
        return f"<!-- TODO: code sample not imported: {source} -->"
    line = _INCLUDE.sub(lambda m: f"<!-- TODO: included text not imported: {m.group(1)} -->",
                        line)
    line = _DEEPER_HEADING.sub(lambda m: "#" + m.group(1) + m.group(2), line)
    return outside_code_spans(line, lambda prose: _LINK.sub(
        lambda m: f"{m.group(1)}[{m.group(2)}]({resolve_link(m.group(3), page_url)}"
                  f"{m.group(4)})", _ANCHOR.sub("", prose)))


def outside_code_spans(line: str, change) -> str:  # type: ignore[no-untyped-def]
    """Apply `change` to the parts of the line that are not inline code."""
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [change(line[last:span.start()]), span.group(0)]
        last = span.end()
    parts.append(change(line[last:]))
    return "".join(parts)


def resolve_link(url: str, page_url: str) -> str:
    """A Docs-relative link as an absolute learn.microsoft.com address.

    `how-to-x.md#y` is a sibling page (Learn serves pages without `.md`), `/python/...` is
    site-absolute, `#y` is a section of this page; `~/` repository paths cannot be resolved
    outside the docs repository and are left for the person finishing the draft.
    """
    url = url.strip()
    if not url or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) or url.startswith("~"):
        return url
    if url.startswith("#"):
        return page_url + url
    path, tail = re.match(r"([^?#]*)(.*)", url).groups()  # type: ignore[union-attr]
    path = re.sub(r"\.(md|yml)$", "", path)
    return urljoin(page_url, path) + tail


def squeeze_blank_lines(text: str) -> str:
    """At most one blank line in a row outside code blocks (removed markup leaves gaps)."""
    out: list[str] = []
    for _index, line, in_code in fenced_lines(text.split("\n")):
        if not in_code:
            line = line.rstrip()  # trailing spaces are invisible hard breaks; drop them
            if not line and out and not out[-1]:
                continue
        out.append(line)
    return "\n".join(out)
