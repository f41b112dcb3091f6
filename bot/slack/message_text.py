"""All the text a Slack message shows, for diagnosing a message someone points the bot at.

A person's message keeps its words in `text`. Alerts posted by other bots (Azure Monitor,
Grafana, Alertmanager, PagerDuty) often say little there and put the error in attachments
(pretext, title, text, fields) or in blocks. This collects every piece, in the order Slack shows
them, without repeating what `text` already says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ATTACHMENT_PARTS = ("pretext", "author_name", "title", "text", "footer")


def shown_parts(message: dict[str, Any]) -> list[str]:
    """The message's texts: `text`, then each attachment's, then each block's."""
    parts = [str(message.get("text") or "")]
    for attachment in message.get("attachments") or []:
        if isinstance(attachment, dict):
            parts += list(_attachment_parts(attachment))
    parts += [text for block in message.get("blocks") or [] if isinstance(block, dict)
              for text in _block_parts(block)]
    unique: list[str] = []
    for part in (part.strip() for part in parts):
        if part and not any(part in seen for seen in unique):
            unique.append(part)
    return unique


def _attachment_parts(attachment: dict[str, Any]) -> Iterator[str]:
    shown = [str(attachment.get(key) or "") for key in ATTACHMENT_PARTS]
    for field in attachment.get("fields") or []:
        if isinstance(field, dict):
            shown.append(f"{field.get('title') or ''}: {field.get('value') or ''}".strip(": "))
    if not any(shown):  # only a fallback: what notifications show
        shown.append(str(attachment.get("fallback") or ""))
    yield from shown
    for block in attachment.get("blocks") or []:
        if isinstance(block, dict):
            yield from _block_parts(block)


def _block_parts(block: dict[str, Any]) -> Iterator[str]:
    text = block.get("text")
    if isinstance(text, dict):
        yield str(text.get("text") or "")
    for field in block.get("fields") or []:
        if isinstance(field, dict):
            yield str(field.get("text") or "")
    if block.get("type") == "rich_text":
        yield "".join(_rich_text(block.get("elements") or []))
    elif block.get("type") == "context":
        yield " ".join(str(element.get("text") or "") for element in block.get("elements") or []
                       if isinstance(element, dict))


def _rich_text(elements: list[Any]) -> Iterator[str]:
    for element in elements:
        if not isinstance(element, dict):
            continue
        if element.get("type") in ("text", "link"):
            yield str(element.get("text") or element.get("url") or "")
        elif element.get("elements"):
            yield from _rich_text(element["elements"])
            if element.get("type") in ("rich_text_section", "rich_text_preformatted",
                                       "rich_text_quote"):
                yield "\n"
