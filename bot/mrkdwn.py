"""The one escape for text that people or logs wrote and that goes into Slack mrkdwn.

Slack reads `<...>` as markup: `<!channel>`, `<!here>` and `<!everyone>` notify everyone,
`<@U123>` and `<#C123>` mention, `<https://evil|fix>` shows "fix" but opens evil. Slack's own
rule ("Escaping text", api.slack.com/reference/surfaces/formatting) is to replace `&`, `<` and
`>` with `&amp;`, `&lt;` and `&gt;`, and nothing else; then every one of those forms shows as
the literal text that was written and does nothing. Bare `@channel` is not markup in messages
the API posts (the bot never sets `link_names`), so it stays as written.

Invisible and direction-changing characters go too: a right-to-left override makes a message
read differently from what it says. Every renderer (answers, the Home tab, incident lists,
log results, the digest) escapes user- and log-provided text with this function.
"""

from __future__ import annotations

from typing import Any

from bot.controls import strip_invisible
from bot.textcut import shorten


def escape(text: str) -> str:
    """`text` safe inside mrkdwn: shown as written, never a mention or a link."""
    return (strip_invisible(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


# Slack refuses a section whose text is over 3,000 characters; cut a little short of it.
SECTION_LIMIT = 2_900


def shown(text: str) -> str:
    """Text from a service, its log or a person, for mrkdwn: redacted, then escaped."""
    from bot.redaction import redact  # the redaction tables load only when text is shown

    return escape(redact(text))


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section block, cut to what Slack accepts."""
    # Between words, and never inside an escape: a cut `&lt;` would show as "&l".
    text = shorten(text, SECTION_LIMIT)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
