"""Block Kit building blocks that respect Slack's limits, and Markdown -> mrkdwn conversion.

Slack rejects a whole message when one block breaks a limit (`invalid_blocks`), so every
builder here truncates instead of trusting its input. Pure functions, no I/O.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.mrkdwn import escape as escape  # the one mrkdwn escape; renderers call bk.escape
from bot.textcut import shorten

Block = dict[str, Any]

MAX_SECTION_TEXT = 3000  # section text
MAX_HEADER_TEXT = 150  # header plain_text
MAX_CONTEXT_TEXT = 2000  # one context element
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BLOCK_ID = 255
MAX_BLOCKS = 50  # in a message; a modal or Home tab allows 100
MAX_CONTEXT_ACTIONS = 5  # elements of a context_actions block
MAX_ACCESSIBILITY_LABEL = 75
MAX_FALLBACK_TEXT = 3000  # Slack accepts more, but notifications show only the start
ELLIPSIS = "…"


def truncate(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    if len(text) <= limit:
        return text
    cut = shorten(text, limit, marker)[: -len(marker) or None]
    # Never leave a code fence open: an odd number of ``` turns the rest of Slack's rendering
    # into code.
    if cut.count("```") % 2 == 1:
        cut = cut[: max(limit - len(marker) - 4, 0)] + "\n```"
    return cut + marker


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def block_id(value: str) -> str:
    return value[:MAX_BLOCK_ID]


def header(text: str, *, id_: str | None = None) -> Block:
    block: Block = {"type": "header", "text": plain(truncate(text, MAX_HEADER_TEXT))}
    if id_:
        block["block_id"] = block_id(id_)
    return block


def section(text: str, *, id_: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(truncate(text, MAX_SECTION_TEXT))}
    if id_:
        block["block_id"] = block_id(id_)
    if accessory:
        block["accessory"] = accessory
    return block


def sections(text: str, *, id_prefix: str | None = None) -> list[Block]:
    """Long mrkdwn split over several sections at line breaks, each under the section limit.

    A code block cut in two is closed at the end of one section and reopened at the start of
    the next, or both render as garbage.
    """
    budget = MAX_SECTION_TEXT - 8  # room for the closing and reopening fences
    chunks: list[str] = []
    current = ""
    in_code = False  # whether `current` ends inside a code block
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > budget and current:
            chunks.append(current + ("\n```" if in_code else ""))
            current = ("```\n" if in_code else "") + line
        else:
            current = candidate
        in_code ^= line.count("```") % 2 == 1
    if current:
        chunks.append(current)
    return [section(chunk, id_=f"{id_prefix}:{index}" if id_prefix else None)
            for index, chunk in enumerate(chunks)]


def context(*texts: str, id_: str | None = None) -> Block:
    elements = [mrkdwn(truncate(text, MAX_CONTEXT_TEXT)) for text in texts if text]
    block: Block = {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}
    if id_:
        block["block_id"] = block_id(id_)
    return block


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, *, action_id: str, value: dict[str, Any] | str,
           style: str | None = None) -> Block:
    raw = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    element: Block = {"type": "button", "text": plain(truncate(text, MAX_BUTTON_TEXT)),
                      "action_id": action_id, "value": raw[:MAX_BUTTON_VALUE]}
    if style:
        element["style"] = style
    return element


def actions(*elements: Block, id_: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if id_:
        block["block_id"] = block_id(id_)
    return block


def context_actions(*elements: Block, id_: str | None = None) -> Block:
    """Actions shown as contextual info: Slack's feedback buttons (and icon buttons)."""
    block: Block = {"type": "context_actions",
                    "elements": list(elements)[:MAX_CONTEXT_ACTIONS]}
    if id_:
        block["block_id"] = block_id(id_)
    return block


def feedback_buttons(*, action_id: str, positive: tuple[str, str, str],
                     negative: tuple[str, str, str]) -> Block:
    """A 👍/👎 pair; each side is (text, value, accessibility label). The click reports the
    value of the side pressed (a `feedback_buttons` action)."""
    def side(text: str, value: str, label: str) -> Block:
        return {"text": plain(truncate(text, MAX_BUTTON_TEXT)), "value": value[:MAX_BUTTON_VALUE],
                "accessibility_label": truncate(label, MAX_ACCESSIBILITY_LABEL)}

    return {"type": "feedback_buttons", "action_id": action_id,
            "positive_button": side(*positive), "negative_button": side(*negative)}


def cap_blocks(blocks: list[Block], limit: int = MAX_BLOCKS) -> list[Block]:
    """At most `limit` blocks; the trailing context and actions blocks (incident number and
    buttons) are the ones people need, so the middle gives way."""
    if len(blocks) <= limit:
        return blocks
    tail: list[Block] = []
    for block in reversed(blocks):
        if block["type"] in ("actions", "context_actions", "context") and len(tail) < 4:
            tail.insert(0, block)
        else:
            break
    head = blocks[: len(blocks) - len(tail)]
    return head[: limit - len(tail)] + tail


def fallback(text: str) -> str:
    """The `text` every message carries for notifications and clients without blocks."""
    return truncate(" ".join(text.split()), MAX_FALLBACK_TEXT)


_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_FENCE_LANG = re.compile(r"^(\s*)```[\w+-]+\s*$", re.MULTILINE)


def markdown_to_mrkdwn(text: str) -> str:
    """The subset of Markdown KB entries use, as Slack mrkdwn.

    Slack has its own dialect: *bold*, <url|label>, ``` fences without a language tag, and
    &, <, > escaped everywhere, code included (`<namespace>` would otherwise vanish as markup).
    """
    parts = re.split(r"(```.*?```)", _FENCE_LANG.sub(r"\1```", text), flags=re.DOTALL)
    return "".join(escape(part) if index % 2 == 1 else _prose_to_mrkdwn(part)
                   for index, part in enumerate(parts))


def _prose_to_mrkdwn(text: str) -> str:
    # Links become Slack links before escaping, parked behind placeholders so that their
    # angle brackets survive the escaping of everything else.
    links: list[str] = []

    def park_link(found: re.Match[str]) -> str:
        links.append(f"<{escape(found.group(2))}|{escape(found.group(1))}>")
        return f"\x00{len(links) - 1}\x00"

    text = escape(_LINK.sub(park_link, text))
    text = _HEADING.sub(r"*\1*", _BOLD.sub(r"*\1*", text))
    return re.sub("\x00(\\d+)\x00", lambda found: links[int(found.group(1))], text)


def inline_code(text: str, limit: int = 300) -> str:
    """One line of text safe inside `...`: backticks would end the code span early."""
    flat = " ".join(text.split()).replace("`", "'")
    return escape(truncate(flat, limit))
