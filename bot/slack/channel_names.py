"""Channel names typed as plain text after the slash command, turned into channel ids.

The manifest's `/troubleshoot` has `should_escape: false` (a paste must arrive as it was
typed), so Slack sends a channel typed as `#ml-serving` as that very text, not as
`<#C0123|ml-serving>` (the escaped form, which the digest's scope parser reads). The ids of the
names come from `conversations.list` (scopes `channels:read`, `groups:read`: public channels,
and the private ones the bot was invited to).

A private channel's name is found only where it was typed in that very channel. Anyone may type
`#some-name` in a public channel; answering "subscribed" for a private channel the bot is in and
"not found" otherwise told them which private channels exist. Its incidents would never reach
another channel's digest anyway (bot.digest.scope), so naming it elsewhere has no use.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger(__name__)

# `#name` not inside Slack's own markup (`<#C0123|name>`): Slack channel names are lowercase
# letters (other scripts too), digits, `-` and `_`, at most 80 characters.
PLAIN_CHANNEL = re.compile(r"(?<![<\w])#([^\s#<>|,@`*]{1,80})")
MAX_PAGES = 10  # of 1,000 channels each; a workspace with more names its channels by mention


def with_channel_ids(client: Any, text: str, *, typed_in: str) -> tuple[str, list[str]]:
    """`text` with each `#name` the bot can see written as `<#C0123|name>`, and the names it
    could not find (as typed, with their `#`). A private channel counts as found only when it is
    `typed_in`, the conversation the text was typed in. Slack unreachable: the text as it was."""
    names = {match.group(1).lower() for match in PLAIN_CHANNEL.finditer(text)}
    if not names:
        return text, []
    try:
        ids = _ids_by_name(client, names, typed_in=typed_in)
    except Exception as error:  # Slack down or a scope missing: the parser says what it can
        log.warning("could not look up channel names: %s", type(error).__name__)
        return text, []
    unknown = [f"#{name}" for name in sorted(names - ids.keys())]

    def written(match: re.Match[str]) -> str:
        channel = ids.get(match.group(1).lower())
        return f"<#{channel}|{match.group(1)}>" if channel else match.group(0)

    return PLAIN_CHANNEL.sub(written, text), unknown


def _is_private(channel: dict[str, Any]) -> bool:
    return any(channel.get(flag) for flag in ("is_private", "is_group", "is_mpim", "is_im"))


def _ids_by_name(client: Any, wanted: set[str], *, typed_in: str) -> dict[str, str]:
    found: dict[str, str] = {}
    cursor: str | None = None
    for _page in range(MAX_PAGES):
        response = client.conversations_list(types="public_channel,private_channel",
                                             exclude_archived=True, limit=1000,
                                             **({"cursor": cursor} if cursor else {}))
        for channel in response.get("channels") or []:
            name = str(channel.get("name") or "").lower()
            if name in wanted and channel.get("id") and (
                    not _is_private(channel) or channel["id"] == typed_in):
                found.setdefault(name, str(channel["id"]))
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if cursor is None or wanted <= found.keys():
            break
    return found
