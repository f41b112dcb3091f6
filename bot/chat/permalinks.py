"""Links to the thread where an incident is discussed: Slack's message permalink, built from the
workspace URL (auth.test's `url`) and the thread's channel and ts, so no Web API call is made per
incident and nothing is stored.

Shared by the Slack layer (answers, lists, the Home tab: bot.slack.permalinks decides which
incidents a reader may have linked) and the weekly digest, which posts through the chat client
it is handed and may not import bot.slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

MarkupT = TypeVar("MarkupT", bound=Any)

_LINK = re.compile(r"<(?:https?://[^|>]+)\|([^>]*)>")


def permalink(workspace_url: str, channel: str, ts: str) -> str:
    """Slack's link to a message: `https://acme.slack.com/archives/C123/p1700000000000100`."""
    return f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def shown_text(mrkdwn: str) -> str:
    """What a reader sees of mrkdwn links: `<url|#2>` shows as `#2` (for length budgets)."""
    return _LINK.sub(r"\1", mrkdwn)


@dataclass(frozen=True)
class IncidentLinks:
    """The threads of the incidents one message may link to, by incident id."""

    workspace_url: str | None = None
    threads: Mapping[int, tuple[str, str]] = field(default_factory=dict)

    def ref(self, incident_id: int) -> str:
        """`#2`, linked to its thread when this message may link it."""
        where = self.threads.get(incident_id)
        if not self.workspace_url or where is None:
            return f"#{incident_id}"
        return f"<{permalink(self.workspace_url, *where)}|#{incident_id}>"

    def markup(self, base: MarkupT) -> MarkupT:
        """`base` (a bot.answers.lines.Markup) with its incident numbers linked."""
        return replace(base, incident=self.ref)


NO_LINKS = IncidentLinks()
