"""`#id` links: every incident number a message shows opens the incident's thread.

An incident lives in the thread where it was first discussed (its card, or the message a mention
answered). Its permalink is Slack's message link, built from the workspace URL that auth.test
gives (bot.slack.identity) and the thread's channel and ts: no Web API call per incident, nothing
to store, and it never goes stale.

A link is made only for an incident whose channel the message's readers may see (the same rule
that decides which incidents they are shown: bot.incidents.audience); any other number stays
plain text, so a link never reveals where a private channel's incident lives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.answers.lines import Markup
from bot.answers.models import Answer
from bot.incidents.audience import Audience
from bot.incidents.service import incident_threads
from bot.slack.identity import app_identity
from bot.storage import session_scope

log = logging.getLogger(__name__)

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

    def url(self, incident_id: int) -> str | None:
        where = self.threads.get(incident_id)
        return permalink(self.workspace_url, *where) if self.workspace_url and where else None

    def markup(self, base: Markup) -> Markup:
        """`base` with its incident numbers linked."""
        return replace(base, incident=self.ref)


NO_LINKS = IncidentLinks()


def links_for(client: Any, database_url: str, *, audience: Audience | None,
              incident_ids: Iterable[int | None]) -> IncidentLinks:
    """Links for these incidents, as far as `audience` may see their channels (None: none).

    Never fails a reply: without the workspace URL or the database the numbers stay plain."""
    wanted = {incident_id for incident_id in incident_ids if incident_id is not None}
    if not wanted or audience is None:
        return NO_LINKS
    try:
        workspace_url = app_identity(client).workspace_url
        if not workspace_url:
            return NO_LINKS
        with session_scope(database_url) as session:
            threads = incident_threads(session, wanted)
        visible = audience.visible({channel for channel, _ts in threads.values()})
    except Exception:
        log.warning("could not link incident numbers; showing them plain", exc_info=True)
        return NO_LINKS
    return IncidentLinks(workspace_url, {incident_id: where for incident_id, where
                                         in threads.items() if where[0] in visible})


def answer_incident_ids(answer: Answer) -> set[int]:
    """Every incident number an answer shows: its own, the one it recurs after, the last fix,
    the similar incidents."""
    ids = {item.id for item in answer.similar}
    if answer.last_fix is not None:
        ids.add(answer.last_fix.id)
    if answer.incident is not None:
        ids.add(answer.incident.id)
        if answer.incident.recurrence_of is not None:
            ids.add(answer.incident.recurrence_of)
    return ids


def answer_links(client: Any, database_url: str, answer: Answer) -> IncidentLinks:
    """Links for the numbers in an answer, for the readers the answer was built for."""
    return links_for(client, database_url, audience=answer.context.audience,
                     incident_ids=answer_incident_ids(answer))
