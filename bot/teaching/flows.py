"""What every surface does after a resolution: propose a draft entry when the incident had no
confident entry. The CLI's `incidents resolve` and Slack's Resolve modal call the same function."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from bot.incidents.audience import Audience
from bot.incidents.models import Incident, Occurrence
from bot.knowledge.loader import cached_knowledge_base
from bot.storage import session_scope
from bot.teaching import service
from bot.teaching.refusals import NO_ERROR_LINE, Refused

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
    kind: str = "entry"  # entry / signature


@dataclass(frozen=True)
class AfterResolution:
    draft: ProposedDraft | None
    refusal: str | None = None  # why no draft, when one was considered

    @property
    def wants_error_line(self) -> bool:
        """No draft because the paste was only someone's words: the resolver is asked for the
        error line (every surface tells them; the other refusals are for `kb drafts` readers)."""
        return isinstance(self.refusal, Refused) and self.refusal.key == NO_ERROR_LINE


def shown(draft: service.KnowledgeDraft) -> ProposedDraft:
    data = service.draft_json(draft)
    return ProposedDraft(id=draft.id, entry_id=draft.entry_id, title=draft.title,
                         cause=draft.cause, fix=draft.fix,
                         signatures=list(data["signatures"]),  # type: ignore[call-overload]
                         incident_id=draft.incident_id, kind=draft.kind)


def settled_audience(database_url: str | None, incident_id: int,
                     audience: Audience | None) -> Audience | None:
    """`audience` with its privacy look-ups for this incident made now, outside any
    transaction: they may ask Slack and write the cache, which must not happen while a session
    holds the database."""
    if audience is None:
        return None
    with session_scope(database_url) as session:
        channels = set(session.scalars(select(Occurrence.channel).distinct()
                                       .where(Occurrence.incident_id == incident_id)))
    visible = audience.visible(channels)
    return Audience(channel=audience.channel, public_among=lambda asked: asked & visible)


def propose_after_resolution(database_url: str | None, knowledge_path: str | None, *,
                             incident_id: int, note: str, by: str | None,
                             channel: str | None = None,
                             audience: Audience | None = None) -> AfterResolution:
    """A draft entry from the note, when the incident had no confident entry among the pastes
    `audience` (the resolving channel's readers) may see; never raises for a drafting problem
    (the resolution stands either way). Without an audience, a `channel` sees its own pastes
    only (no other channel's answer may decide for it); the command line sees all."""
    if audience is None and channel is not None:
        audience = Audience(channel=channel, public_among=lambda _channels: set())
    try:
        audience = settled_audience(database_url, incident_id, audience)
        with session_scope(database_url) as session:
            incident = session.get(Incident, incident_id)
            if incident is None:
                return AfterResolution(None)
            proposal = service.propose_entry(session, incident, note=note, by=by,
                                             base=cached_knowledge_base(knowledge_path),
                                             channel=channel, audience=audience)
            if proposal.answered:  # the usual case, not a refusal worth telling anyone
                return AfterResolution(None)
            if proposal.draft is None:
                return AfterResolution(None, proposal.refusal)
            return AfterResolution(shown(proposal.draft))
    except Exception:  # a resolution must not fail because its draft could not be written
        log.exception("no knowledge draft for incident #%s", incident_id)
        return AfterResolution(None)


def propose_signature_from_feedback(database_url: str | None, knowledge_path: str | None, *,
                                    incident_id: int, entry_id: str, by: str | None,
                                    channel: str | None = None) -> AfterResolution:
    """After "Not this one" or an abstention, the team chose `entry_id`: the error line of what
    was pasted in `channel` (where the draft is posted) proposed as its signature (and kept as
    a labelled example)."""
    try:
        with session_scope(database_url) as session:
            draft = service.propose_signature(session, incident_id, entry_id, by=by,
                                              base=cached_knowledge_base(knowledge_path),
                                              source="picker", channel=channel)
            return AfterResolution(shown(draft))
    except service.TeachingError as error:
        # The reason itself, which may be a SignatureProblem that Slack says in the user's words.
        return AfterResolution(None, error.reason)


def label_new_problem(database_url: str | None, *, incident_id: int, by: str | None) -> None:
    """The team says the paste is a problem the knowledge base does not have yet."""
    with session_scope(database_url) as session:
        incident = session.get(Incident, incident_id)
        if incident is not None:
            service.label_new_problem(session, incident, by=by)
