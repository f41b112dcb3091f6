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

from bot.controls import strip_invisible


def escape(text: str) -> str:
    """`text` safe inside mrkdwn: shown as written, never a mention or a link."""
    return (strip_invisible(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))
