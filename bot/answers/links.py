"""The incident numbers an answer shows, linked for the readers it was built for."""

from __future__ import annotations

from typing import Any

from bot.answers.models import Answer
from bot.chat.permalinks import IncidentLinks
from bot.incidents.links import links_for


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
