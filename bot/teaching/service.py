"""Team knowledge in the database: propose, approve, reject, teach, export; the team's KB.

Every function takes a session (the caller owns the transaction) and audits what it changes.
Approved changes bump the version row, which every process polls (live.py) to reload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.incidents.audience import Audience
from bot.incidents.models import Incident, Occurrence
from bot.incidents.seen import seen_by
from bot.knowledge.front_matter import split_front_matter
from bot.knowledge.loader import KnowledgeError, parse_entry
from bot.knowledge.model import Entry, KnowledgeBase, LocalizedBody
from bot.matching.matcher import Matcher
from bot.paths import project_folder
from bot.redaction import sanitize
from bot.storage import utcnow
from bot.teaching.drafting import (
    cause_and_fix,
    entry_id_for,
    entry_markdown,
    generality_problem,
    prose_problem,
    signature_of,
    title_from,
)
from bot.teaching.models import (
    KIND_ENTRY,
    KIND_SIGNATURE,
    STATUS_APPROVED,
    STATUS_PROPOSED,
    STATUS_REJECTED,
    KnowledgeAudit,
    KnowledgeDraft,
    KnowledgeVersion,
    LabelledExample,
    TeamEntry,
    TeamSignature,
)
from bot.teaching.refusals import NO_ERROR_LINE, Refused

VERSION_ROW = 1
# A signature that the evaluation set's "none" pastes (errors the KB rightly does not know)
# match this many times or more would answer unrelated errors.
UNRELATED_LIMIT = 3
TEXT_LIMIT = 4_000


class TeachingError(ValueError):
    """A refused change; the message says why, for the person who asked."""

    @property
    def reason(self) -> str:
        """The message as raised: a SignatureProblem keeps its kind and entries, which
        str(error) would drop (bot.slack.render_teaching.refusal_text reads them)."""
        return self.args[0] if self.args else str(self)


class NotMaintainer(TeachingError):
    pass


class SignatureProblem(str):
    """Why a signature was refused: the English sentence (audit rows, the command line) that it
    is, plus what a person's answer in Slack needs to say it in their own language: `kind`
    ("not_error", "general", "other_entry", "not_confident"), the entry it was for and, for
    "other_entry", the entry that answers it instead."""

    kind: str
    entry: str
    other: str | None

    def __new__(cls, text: str, *, kind: str, entry: str,
                other: str | None = None) -> SignatureProblem:
        problem = super().__new__(cls, text)
        problem.kind, problem.entry, problem.other = kind, entry, other
        return problem


@dataclass(frozen=True)
class Proposal:
    draft: KnowledgeDraft | None
    refusal: str | None = None  # why no draft was proposed
    answered: bool = False  # no draft because the incident had a confident answer: nothing to say


# ----- who may approve

def maintainer_problem(user: str | None, maintainers: frozenset[str],
                       group_members: frozenset[str] = frozenset()) -> Refused | None:
    """Why `user` may not approve, or None. KB_MAINTAINERS holds user ids or a user group id
    (whose members the Slack layer looks up and passes as `group_members`)."""
    if not maintainers:
        return Refused("no_maintainers")
    if not user or (user not in maintainers and user not in group_members):
        return Refused("not_a_maintainer", user=user or "someone unknown")
    return None


# ----- version and audit

def knowledge_version(session: Session) -> int:
    return int(session.scalar(select(KnowledgeVersion.version)
                              .where(KnowledgeVersion.id == VERSION_ROW)) or 0)


def _bump_version(session: Session) -> None:
    changed = session.execute(
        update(KnowledgeVersion).where(KnowledgeVersion.id == VERSION_ROW)
        .values(version=KnowledgeVersion.version + 1, changed_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        session.add(KnowledgeVersion(id=VERSION_ROW, version=1, changed_at=utcnow()))
        session.flush()


def _audit(session: Session, *, actor: str | None, action: str, draft_id: int | None = None,
           entry_id: str | None = None, detail: str = "") -> None:
    session.add(KnowledgeAudit(actor=actor, action=action, draft_id=draft_id,
                               entry_id=entry_id, detail=str(sanitize(detail))[:TEXT_LIMIT]))


def audit_log(session: Session, limit: int = 100) -> list[KnowledgeAudit]:
    return list(session.scalars(select(KnowledgeAudit)
                                .order_by(KnowledgeAudit.at.desc(), KnowledgeAudit.id.desc())
                                .limit(limit)))


# ----- the team's knowledge base

def team_knowledge_base(session: Session, base: KnowledgeBase) -> KnowledgeBase:
    """`base` with the enabled team entries (overriding by id) and team signatures added."""
    by_id = {entry.id: entry for entry in base.entries}
    for row in session.scalars(select(TeamEntry).where(TeamEntry.enabled.is_(True))
                               .order_by(TeamEntry.entry_id)):
        try:
            by_id[row.entry_id] = parse_entry(row.markdown)
        except KnowledgeError:  # stored text that no longer parses: skip it, keep answering
            continue
    extra: dict[str, list[str]] = {}
    for row in session.scalars(select(TeamSignature).where(TeamSignature.enabled.is_(True))
                               .order_by(TeamSignature.id)):
        extra.setdefault(row.entry_id, []).append(row.signature)
    for entry_id, signatures in extra.items():
        entry = by_id.get(entry_id)
        if entry is not None:
            added = tuple(s for s in signatures if s not in entry.signatures)
            by_id[entry_id] = replace(entry, signatures=entry.signatures + added)
    return KnowledgeBase(tuple(by_id.values()), base.problems)


# ----- how general a signature is

@lru_cache(maxsize=1)
def unrelated_pastes() -> tuple[str, ...]:
    """The evaluation set's pastes labelled "none" (tests/eval/real.jsonl), when present."""
    path = project_folder("tests") / "eval" / "real.jsonl"
    if not path.is_file():
        return ()
    pastes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and item.get("expected") == "none" and item.get("text"):
            pastes.append(str(item["text"]))
    return tuple(pastes)


def signature_problem(signature: str, entry: Entry, kb: KnowledgeBase
                      ) -> SignatureProblem | None:
    """Why `signature` must not be a signature of `entry` (in `kb`), or None."""
    problem = prose_problem(signature)
    if problem:
        return SignatureProblem(problem, kind="not_error", entry=entry.id)
    problem = generality_problem(signature)
    if problem:
        return SignatureProblem(problem, kind="general", entry=entry.id)
    probe_body = LocalizedBody(cause="probe", steps=("probe",))
    probe = Entry(id="__probe__", title={"en": "probe"}, signatures=(signature,),
                  body={"en": probe_body})
    probe_matcher = Matcher(KnowledgeBase((probe,)), model=None)
    hits = [paste for paste in unrelated_pastes()
            if any(m.confident for m in probe_matcher.match(paste, top=1).matches)]
    if len(hits) >= UNRELATED_LIMIT:
        return SignatureProblem(
            f"too general: {signature!r} matches {len(hits)} unrelated pastes of the "
            f"evaluation set (errors the knowledge base rightly does not know)",
            kind="general", entry=entry.id)
    with_it = KnowledgeBase((*(e for e in kb.entries if e.id != entry.id),
                             replace(entry, signatures=_added(entry.signatures, signature))))
    best = Matcher(with_it, model=None).match(signature, top=2).matches
    if not best or best[0].entry_id != entry.id:
        other = best[0].entry_id if best else "nothing"
        return SignatureProblem(
            f"{signature!r} is answered by {other!r} first, not {entry.id!r}: "
            f"teach it to {other!r} or make it more specific",
            kind="other_entry", entry=entry.id, other=best[0].entry_id if best else None)
    if not best[0].confident:
        return SignatureProblem(
            f"{signature!r} names {entry.id!r} but not confidently: make it more specific",
            kind="not_confident", entry=entry.id)
    return None


def _added(signatures: tuple[str, ...], signature: str) -> tuple[str, ...]:
    return signatures if signature in signatures else (*signatures, signature)


# ----- proposing

def paste_of(session: Session, incident: Incident, channel: str | None = None) -> str:
    """The incident's first stored paste (redacted when recorded), else its summary.

    With `channel` (where a draft made from it will be posted), only what was said there: one
    incident gathers the same error from every channel, and the first paste may be a private
    channel's, which a draft posted in a public one would quote (title, signature, example).
    Nothing said there: "". Without a channel (the command line, an operator): any."""
    query = select(Occurrence.text).where(Occurrence.incident_id == incident.id,
                                          Occurrence.text.is_not(None))
    if channel is not None:
        query = query.where(Occurrence.channel == channel)
    text = session.scalar(query.order_by(Occurrence.id).limit(1))
    if text is None and channel is not None and incident.channel != channel:
        return ""  # the summary is the first paste's, said elsewhere
    return str(sanitize(text or incident.summary or ""))


def _nothing_said_in(channel: str | None, incident: Incident) -> str:
    return f"incident #{incident.id} was not pasted in {channel}: nothing there to draft from"


def answered_for(session: Session, incident: Incident, audience: Audience | None) -> str | None:
    """The incident's confident entry as `audience` sees it (bot.incidents.seen): the first
    confident answer among the pastes it may see; the column itself for the operator."""
    if audience is None:
        return incident.entry_id
    return seen_by(session, [incident.id], audience)[incident.id].entry_id


def propose_entry(session: Session, incident: Incident, *, note: str, by: str | None,
                  base: KnowledgeBase, channel: str | None = None,
                  audience: Audience | None = None) -> Proposal:
    """After a resolution with a note, of an incident that had no confident entry: a draft.
    "No confident entry" among the pastes `audience` may see (None: the operator, all of
    them): a private channel's answer must not silently stop a public channel's draft."""
    answered = answered_for(session, incident, audience)
    if answered is not None:
        return Proposal(None, f"incident #{incident.id} was answered by {answered!r}",
                        answered=True)
    note = str(sanitize(note)).strip()
    if not note:
        return Proposal(None, "the resolution has no note to draft an entry from")
    paste = paste_of(session, incident, channel)
    if not paste:
        return Proposal(None, _nothing_said_in(channel, incident))
    signature = signature_of(paste)
    if not signature:  # only someone's words: no draft, and the resolver is told what to paste
        refusal = Refused(NO_ERROR_LINE, id=incident.id)
        _audit(session, actor=by, action="refuse", detail=refusal)
        return Proposal(None, refusal)
    kb = team_knowledge_base(session, base)
    title = title_from(signature)
    taken = {entry.id for entry in kb.entries} | set(session.scalars(
        select(KnowledgeDraft.entry_id).where(KnowledgeDraft.kind == KIND_ENTRY)))
    entry_id = entry_id_for(title, taken)
    cause, _steps = cause_and_fix(note)
    draft_entry = _entry_of(entry_id, title, cause, note, [signature], incident.id)
    problem = signature_problem(signature, draft_entry, kb)
    if problem:
        _audit(session, actor=by, action="refuse", entry_id=entry_id, detail=problem)
        return Proposal(None, problem)
    draft = KnowledgeDraft(kind=KIND_ENTRY, status=STATUS_PROPOSED, incident_id=incident.id,
                           entry_id=entry_id, title=title, cause=cause[:TEXT_LIMIT],
                           fix=note[:TEXT_LIMIT], signatures=json.dumps([signature]),
                           example=paste[:TEXT_LIMIT], proposed_by=by, channel=channel,
                           created_at=utcnow())
    session.add(draft)
    session.flush()
    _audit(session, actor=by, action="propose", draft_id=draft.id, entry_id=entry_id,
           detail=f"entry from incident #{incident.id}: {signature}")
    return Proposal(draft)


def propose_signature(session: Session, incident_id: int, entry_id: str, *, by: str | None,
                      base: KnowledgeBase, source: str = "teach",
                      channel: str | None = None) -> KnowledgeDraft:
    """The incident's error line as a signature of `entry_id` (an existing entry); with
    `channel`, the line of what was pasted there (the draft is posted there, see paste_of)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise TeachingError(Refused("no_incident", id=incident_id))
    kb = team_knowledge_base(session, base)
    entry = kb.get(entry_id)
    if entry is None:
        raise TeachingError(Refused("no_entry", entry=repr(entry_id)))
    paste = paste_of(session, incident, channel)
    if not paste:
        raise TeachingError(_nothing_said_in(channel, incident))
    signature = signature_of(paste)
    if not signature:
        refusal = Refused("no_error_line_teach", id=incident_id)
        _audit(session, actor=by, action="refuse", entry_id=entry_id, detail=refusal)
        raise TeachingError(refusal)
    problem = signature_problem(signature, entry, kb)
    if problem:
        _audit(session, actor=by, action="refuse", entry_id=entry_id, detail=problem)
        raise TeachingError(problem)
    _label(session, incident_id=incident_id, text=paste, entry_id=entry_id, by=by,
           source=source)
    draft = KnowledgeDraft(kind=KIND_SIGNATURE, status=STATUS_PROPOSED, incident_id=incident_id,
                           entry_id=entry_id, title=entry.title_in("en"), cause="", fix="",
                           signatures=json.dumps([signature]), example=paste[:TEXT_LIMIT],
                           proposed_by=by, channel=channel, created_at=utcnow())
    session.add(draft)
    session.flush()
    _audit(session, actor=by, action="propose", draft_id=draft.id, entry_id=entry_id,
           detail=f"signature from incident #{incident_id}: {signature}")
    return draft


def label_new_problem(session: Session, incident: Incident, *, by: str | None) -> None:
    """A paste the team says no entry covers (labelled `none` until an entry is approved)."""
    _label(session, incident_id=incident.id, text=paste_of(session, incident), entry_id=None,
           by=by, source="picker")
    _audit(session, actor=by, action="label-new", entry_id=None,
           detail=f"incident #{incident.id} is a new problem")


def _label(session: Session, *, incident_id: int | None, text: str, entry_id: str | None,
           by: str | None, source: str) -> None:
    exists = session.scalar(select(LabelledExample.id).where(
        LabelledExample.incident_id == incident_id, LabelledExample.entry_id == entry_id))
    if exists is None and text.strip():
        session.add(LabelledExample(incident_id=incident_id, text=text[:TEXT_LIMIT],
                                    entry_id=entry_id, labelled_by=by, source=source,
                                    created_at=utcnow()))
        session.flush()


# ----- deciding

def get_draft(session: Session, draft_id: int) -> KnowledgeDraft:
    draft = session.get(KnowledgeDraft, draft_id)
    if draft is None:
        raise TeachingError(Refused("no_draft", id=draft_id))
    return draft


def _open_draft(session: Session, draft_id: int) -> KnowledgeDraft:
    draft = get_draft(session, draft_id)
    if draft.status != STATUS_PROPOSED:
        key = f"draft_{draft.status}" + ("_by" if draft.decided_by else "")
        raise TeachingError(Refused(key, id=draft_id, by=draft.decided_by or ""))
    return draft


def edit_draft(session: Session, draft_id: int, *, by: str | None, title: str | None = None,
               cause: str | None = None, fix: str | None = None) -> KnowledgeDraft:
    draft = _open_draft(session, draft_id)
    if title is not None and title.strip():
        draft.title = str(sanitize(title)).strip()[:200]
    if cause is not None and cause.strip():
        draft.cause = str(sanitize(cause)).strip()[:TEXT_LIMIT]
    if fix is not None and fix.strip():
        draft.fix = str(sanitize(fix)).strip()[:TEXT_LIMIT]
    _audit(session, actor=by, action="edit", draft_id=draft.id, entry_id=draft.entry_id)
    return draft


def approve(session: Session, draft_id: int, *, by: str, maintainers: frozenset[str],
            base: KnowledgeBase, entry_id: str | None = None, title: str | None = None,
            group_members: frozenset[str] = frozenset()) -> KnowledgeDraft:
    """A maintainer adds the draft to the knowledge base; every process answers it within
    the reload interval (the version row changes)."""
    refusal = maintainer_problem(by, maintainers, group_members)
    if refusal:
        _audit(session, actor=by, action="refuse-approve", draft_id=draft_id, detail=refusal)
        session.commit()  # the refused attempt stays in the audit; the caller rolls back
        raise NotMaintainer(refusal)
    draft = _open_draft(session, draft_id)
    signatures = json.loads(draft.signatures or "[]")
    kb = team_knowledge_base(session, base)
    if draft.kind == KIND_ENTRY:
        new_id = (entry_id or draft.entry_id).strip()
        if title and title.strip():
            draft.title = str(sanitize(title)).strip()[:200]
        entry = _entry_of(new_id, draft.title, draft.cause, draft.fix, signatures,
                          draft.incident_id)
        for signature in signatures:
            problem = signature_problem(signature, entry, kb)
            if problem:
                raise TeachingError(problem)
        markdown = _markdown_of(new_id, draft.title, draft.cause, draft.fix, signatures,
                                draft.incident_id)
        row = session.get(TeamEntry, new_id)
        if row is None:
            session.add(TeamEntry(entry_id=new_id, markdown=markdown, enabled=True,
                                  draft_id=draft.id, updated_by=by, updated_at=utcnow()))
        else:
            row.markdown, row.enabled, row.draft_id = markdown, True, draft.id
            row.updated_by, row.updated_at = by, utcnow()
        draft.entry_id = new_id
        if draft.example:
            _label(session, incident_id=draft.incident_id, text=draft.example,
                   entry_id=new_id, by=by, source="resolve")
    else:
        entry = kb.get(draft.entry_id)
        if entry is None:
            raise TeachingError(Refused("entry_gone", entry=repr(draft.entry_id)))
        for signature in signatures:
            problem = signature_problem(signature, entry, kb)
            if problem:
                raise TeachingError(problem)
            session.add(TeamSignature(entry_id=draft.entry_id, signature=signature,
                                      enabled=True, draft_id=draft.id, added_by=by,
                                      created_at=utcnow()))
    draft.status, draft.decided_by, draft.decided_at = STATUS_APPROVED, by, utcnow()
    _bump_version(session)
    _audit(session, actor=by, action="approve", draft_id=draft.id, entry_id=draft.entry_id,
           detail=f"{draft.kind}: {', '.join(signatures)}")
    session.flush()
    return draft


def reject(session: Session, draft_id: int, *, by: str, maintainers: frozenset[str],
           group_members: frozenset[str] = frozenset()) -> KnowledgeDraft:
    """A maintainer, or whoever proposed it, discards a draft."""
    draft = _open_draft(session, draft_id)
    refusal = maintainer_problem(by, maintainers, group_members)
    if refusal and by != draft.proposed_by:
        raise NotMaintainer(refusal.nor_proposer())
    draft.status, draft.decided_by, draft.decided_at = STATUS_REJECTED, by, utcnow()
    _audit(session, actor=by, action="reject", draft_id=draft.id, entry_id=draft.entry_id)
    return draft


def disable_entry(session: Session, entry_id: str, *, by: str, maintainers: frozenset[str]
                  ) -> int:
    """Stop answering a team entry and the team signatures of `entry_id`; how many rows."""
    refusal = maintainer_problem(by, maintainers)
    if refusal:
        raise NotMaintainer(refusal)
    changed = session.execute(update(TeamEntry).where(
        TeamEntry.entry_id == entry_id, TeamEntry.enabled.is_(True))
        .values(enabled=False, updated_by=by, updated_at=utcnow())).rowcount
    changed += session.execute(update(TeamSignature).where(
        TeamSignature.entry_id == entry_id, TeamSignature.enabled.is_(True))
        .values(enabled=False)).rowcount
    if not changed:
        raise TeachingError(Refused("nothing_to_disable", entry=repr(entry_id)))
    _bump_version(session)
    _audit(session, actor=by, action="disable", entry_id=entry_id)
    return int(changed)


def attach_message(session: Session, draft_id: int, *, channel: str, message_ts: str) -> None:
    draft = get_draft(session, draft_id)
    draft.channel, draft.message_ts = channel, message_ts


# ----- listing and exporting

def list_drafts(session: Session, status: str | None = None) -> list[KnowledgeDraft]:
    query = select(KnowledgeDraft).order_by(KnowledgeDraft.id)
    if status:
        query = query.where(KnowledgeDraft.status == status)
    return list(session.scalars(query))


def drafts_visible_to(session: Session, audience: Audience,
                      status: str | None = None) -> tuple[list[KnowledgeDraft], int]:
    """The drafts `audience` may read, and how many others there are.

    A draft quotes a paste's error line (title, signature) and a resolution note (fix), so it
    belongs to the channel it was made in (else its incident's), as an incident does
    (bot.incidents.audience): a private channel's or a DM's draft is listed only there. A
    draft whose incident is gone counts as private; one that never had an incident or a
    channel (the command line's) is anyone's."""
    drafts = list_drafts(session, status)
    wanted = {draft.incident_id for draft in drafts if draft.incident_id}
    said_in: dict[int, str | None] = {
        incident_id: channel for incident_id, channel in session.execute(
            select(Incident.id, Incident.channel).where(Incident.id.in_(wanted)))} if wanted \
        else {}

    def source(draft: KnowledgeDraft) -> str | None:  # made from what was said there
        return draft.channel or (said_in.get(draft.incident_id) if draft.incident_id else None)

    visible = audience.visible({source(draft) for draft in drafts})
    shown = [draft for draft in drafts
             if source(draft) in visible
             or (source(draft) is None and not draft.incident_id and not draft.channel)]
    return shown, len(drafts) - len(shown)


def pending_count(session: Session, since: datetime | None = None) -> int:
    query = select(func.count()).select_from(KnowledgeDraft).where(
        KnowledgeDraft.status == STATUS_PROPOSED)
    if since is not None:
        query = query.where(KnowledgeDraft.created_at >= since)
    return int(session.scalar(query) or 0)


def draft_json(draft: KnowledgeDraft) -> dict[str, object]:
    """The fixed `kb drafts --json` shape."""
    return {"id": draft.id, "kind": draft.kind, "incident_id": draft.incident_id,
            "entry_id": draft.entry_id, "title": draft.title, "status": draft.status,
            "signatures": json.loads(draft.signatures or "[]")}


def labelled_examples(session: Session) -> list[dict[str, object]]:
    """Feedback's labelled pastes in the evaluation set's JSONL shape (`none`: a new problem)."""
    rows = session.scalars(select(LabelledExample).order_by(LabelledExample.id))
    return [{"id": f"feedback-{row.id}", "text": row.text, "expected": row.entry_id or "none",
             "source": f"feedback:{row.source}"} for row in rows]


def export(session: Session, base: KnowledgeBase, folder: Path) -> list[Path]:
    """Team entries, and shipped entries the team added signatures to, as entry files."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    extra: dict[str, list[str]] = {}
    for row in session.scalars(select(TeamSignature).where(TeamSignature.enabled.is_(True))
                               .order_by(TeamSignature.id)):
        extra.setdefault(row.entry_id, []).append(row.signature)
    texts: dict[str, str] = {}
    for row in session.scalars(select(TeamEntry).where(TeamEntry.enabled.is_(True))):
        texts[row.entry_id] = row.markdown
    for entry_id in extra:
        if entry_id not in texts:
            shipped = base.get(entry_id)
            if shipped is not None and shipped.path is not None:
                texts[entry_id] = shipped.path.read_text(encoding="utf-8")
    for entry_id, text in sorted(texts.items()):
        path = folder / f"{entry_id}.md"
        path.write_text(str(sanitize(_with_signatures(text, extra.get(entry_id, [])))),
                        encoding="utf-8")
        written.append(path)
    return written


def _with_signatures(markdown: str, signatures: list[str]) -> str:
    if not signatures:
        return markdown
    meta, body = split_front_matter(markdown)
    meta = dict(meta or {})
    meta["signatures"] = list(_added_all(tuple(meta.get("signatures") or ()), signatures))
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body.lstrip(chr(10))}"


def _added_all(existing: tuple[str, ...], signatures: list[str]) -> tuple[str, ...]:
    for signature in signatures:
        existing = _added(existing, signature)
    return existing


def _markdown_of(entry_id: str, title: str, cause: str, fix: str, signatures: list[str],
                 incident_id: int | None) -> str:
    return entry_markdown(entry_id=entry_id, title=title, cause=cause, fix=fix,
                          signatures=signatures, incident_id=incident_id)


def _entry_of(entry_id: str, title: str, cause: str, fix: str, signatures: list[str],
              incident_id: int | None) -> Entry:
    return parse_entry(_markdown_of(entry_id, title, cause, fix, signatures, incident_id))
