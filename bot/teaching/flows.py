"""What every surface does after a resolution: propose a draft entry when the incident had no
confident entry. The CLI's `incidents resolve` and Slack's Resolve modal call the same function."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.knowledge.loader import cached_knowledge_base
from bot.storage import session_scope
from bot.teaching import service

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProposedDraft:
    """A draft as the surfaces show it (plain values: the session is closed)."""

    id: int
    entry_id: str
    title: str
    cause: str
    fix: str
    signatures: list[str]
    incident_id: int | None


@dataclass(frozen=True)
class AfterResolution:
    draft: ProposedDraft | None
    refusal: str | None = None  # why no draft, when one was considered


def shown(draft: service.KnowledgeDraft) -> ProposedDraft:
    data = service.draft_json(draft)
    return ProposedDraft(id=draft.id, entry_id=draft.entry_id, title=draft.title,
                         cause=draft.cause, fix=draft.fix,
                         signatures=list(data["signatures"]),  # type: ignore[call-overload]
                         incident_id=draft.incident_id)


def propose_after_resolution(database_url: str | None, knowledge_path: str | None, *,
                             incident_id: int, note: str, by: str | None,
                             channel: str | None = None) -> AfterResolution:
    """A draft entry from the note, when the incident had no confident entry; never raises
    for a drafting problem (the resolution stands either way)."""
    try:
        with session_scope(database_url) as session:
            incident = session.get(service.Incident, incident_id)
            if incident is None or incident.entry_id is not None:
                return AfterResolution(None)
            proposal = service.propose_entry(session, incident, note=note, by=by,
                                             base=cached_knowledge_base(knowledge_path),
                                             channel=channel)
            if proposal.draft is None:
                return AfterResolution(None, proposal.refusal)
            return AfterResolution(shown(proposal.draft))
    except Exception:  # a resolution must not fail because its draft could not be written
        log.exception("no knowledge draft for incident #%s", incident_id)
        return AfterResolution(None)
