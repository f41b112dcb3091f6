"""`#id` links: every incident number a message shows opens the incident's thread, where its
readers may see that channel. What the Slack layer uses, in one place; the pieces live where the
domains can use them too: the permalink format (bot.chat.permalinks), the workspace URL from
auth.test (bot.chat.identity), which incidents a message may link (bot.incidents.links), and
the numbers an answer shows (bot.answers.links)."""

from __future__ import annotations

from bot.answers.links import answer_links
from bot.chat.permalinks import NO_LINKS, IncidentLinks, permalink, shown_text
from bot.incidents.links import links_for

__all__ = ["NO_LINKS", "IncidentLinks", "answer_links", "links_for", "permalink", "shown_text"]
