"""Incident numbers as links to the threads where the incidents live, for a message's readers.

A link is made only for an incident whose channel the readers may see (the rule that decides
which incidents they are shown: bot.incidents.audience); any other number stays plain text, so
a link never reveals where a private channel's incident lives. The address is the chat's
message permalink (bot.chat.permalinks) from the workspace URL the client reports
(bot.chat.identity): no call per incident, nothing stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from bot.chat.identity import app_identity
from bot.chat.permalinks import NO_LINKS, IncidentLinks
from bot.incidents.audience import Audience
from bot.incidents.service import incident_threads
from bot.storage import session_scope

log = logging.getLogger(__name__)


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
