"""Record and query incident history. The only module that writes incidents and occurrences.

Callers (CLI `ask`, the Slack handlers, log diagnosis) pass the matcher's result; this module
redacts and truncates the text, groups by fingerprint and finds similar past incidents.

Grouping: one OPEN incident per (workspace, fingerprint), enforced by the partial unique index
`uq_incidents_open_fingerprint`. A paste upserts against that index (INSERT ... ON CONFLICT DO
UPDATE), so twenty simultaneous pastes of one error make one incident counted twenty times, on
PostgreSQL and SQLite alike, without any lock in Python. Once an incident is resolved (or
dismissed) it leaves the index: the next paste of the same error opens a NEW incident whose
`previous_incident_id` points at the last one. Reopening the old incident instead would stretch
its time to resolve over the quiet weeks between the two outbreaks and overwrite the note that
says how it was fixed; a new, linked incident keeps both honest and lets the answer say "last
fixed by @x: ...".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz, process, utils
from sqlalchemy import and_, case, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from bot.incidents.audience import Audience
from bot.incidents.models import STATUS_OPEN, STATUS_RESOLVED, Feedback, Incident, Occurrence
from bot.incidents.seen import Seen, SeenIncident, as_seen, seen_by
from bot.matching.error_lines import is_error_line
from bot.matching.extraction import strongest_line
from bot.matching.masking import mask
from bot.matching.result import MatchResult
from bot.redaction import sanitize
from bot.storage import utcnow
from bot.textcut import shorten

TEXT_LIMIT = 20_000  # characters of an occurrence's text kept in the database
SUMMARY_LIMIT = 300  # characters of an incident's summary line
# find_similar compares texts only against a bounded, indexed slice of history: the newest
# incidents of the workspace plus the newest resolved-with-a-note ones (of what the reader may
# see: see find_similar).
RECENT_CANDIDATES = 2_000
RESOLVED_CANDIDATES = 500
SAME_KEY_CANDIDATES = 50
TEXT_SIMILARITY_CUTOFF = 80.0  # rapidfuzz token_sort_ratio, 0..100
# Matches the partial unique index's predicate word for word: SQLite and PostgreSQL only use a
# partial index as the ON CONFLICT arbiter when they can see that this predicate implies its own.
_OPEN_PREDICATE = text("status = 'open'")


@dataclass(frozen=True)
class SimilarIncident:
    id: int
    entry_id: str | None
    status: str
    occurrences: int
    last_seen: datetime
    summary: str
    resolved_by: str | None
    resolution_note: str | None


@dataclass(frozen=True)
class Recorded:
    incident_id: int
    occurrence_id: int
    is_new_incident: bool
    occurrences: int  # the incident's occurrence count after this one
    status: str
    similar: tuple[SimilarIncident, ...]  # up to three, resolved-with-notes first
    previous_incident_id: int | None = None  # the resolved incident this one is a recurrence of
    owner: str | None = None  # who said "I'm on it" (take_ownership)


class IncidentNotFound(LookupError):
    def __init__(self, incident_id: int) -> None:
        super().__init__(f"incident #{incident_id} does not exist")
        self.incident_id = incident_id


class IncidentNotOpen(ValueError):
    """Resolving an incident that is already resolved (or dismissed)."""

    def __init__(self, incident: Incident) -> None:
        if incident.status == STATUS_RESOLVED:
            who = f" by @{incident.resolved_by}" if incident.resolved_by else ""
            when = (f" on {as_utc(incident.resolved_at):%Y-%m-%d %H:%M} UTC"
                    if incident.resolved_at else "")
            message = f"incident #{incident.id} is already resolved{who}{when}"
        else:
            message = f"incident #{incident.id} is {incident.status}, not open"
        super().__init__(message)
        self.incident_id = incident.id


# --- text preparation -------------------------------------------------------------------------


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def truncate_for_storage(value: str, limit: int = TEXT_LIMIT) -> tuple[str, bool]:
    """(text, was_cut): the head and the tail of a long text with the cut marked in between.

    Both ends matter: a traceback starts with the context and ends with the exception.
    """
    if len(value) <= limit:
        return value, False
    head_length = limit * 2 // 3
    tail_length = limit - head_length
    omitted = len(value) - head_length - tail_length
    return (f"{value[:head_length]}\n… [truncated {omitted} characters] …\n"
            f"{value[-tail_length:]}", True)


def _cut(value: str, limit: int) -> str:
    # Between words: the summary is what lists and the Home tab show, the note what the card
    # quotes; a word cut in half reads as another word.
    return shorten(value, limit)


def incident_summary(pasted: str, result: MatchResult) -> str:
    """The one line that names the incident in lists, redacted: the line that decided the
    match (its evidence), else the first error line; never the chat around the error.

    As pasted (`0/3 nodes are available`), not masked: people read it in lists, the Home tab
    and the digest. Repeats are compared by its masked form, `summary_key`.
    """
    line = result.summary_line
    if not is_error_line(line) and pasted.strip():
        # The deciding line may be a traceback's frame (`File "main.py", line 12, in init`),
        # which names nothing; the paste's strongest error line (the exception) names the
        # problem, as the digest quotes an unknown error.
        strongest = strongest_line(pasted)
        if strongest and is_error_line(strongest):
            line = strongest
    if not line.strip():  # a result built without the matcher's lines
        line = next((candidate for candidate in pasted.splitlines() if candidate.strip()), "")
    if result.answer is None and not is_error_line(line):
        # No answer, and the line is someone talking ("이거 왜 이래요? 배포가 계속 실패합니다"):
        # no summary at all, and lists say "unknown error", rather than quote the chat. (Weak
        # candidates do not make it an error line: the Home tab used to list the question.)
        return ""
    return _cut(" ".join(sanitize(line).split()), SUMMARY_LIMIT)


def summary_key(summary: str) -> str:
    """The summary masked with the matcher's own masking, so that the summaries of repeats
    (other pod names, ids, timestamps) compare as equal in find_similar. Made from the
    redacted summary: masking first would rewrite a token's digits into placeholders, and the
    redaction patterns would no longer see the token."""
    try:
        masked = mask(summary)
    except Exception:  # masking is a nicety for comparing; never lose a paste over it
        masked = summary
    return _cut(" ".join(masked.split()), SUMMARY_LIMIT)


# --- recording --------------------------------------------------------------------------------


def record_occurrence(session: Session, *, workspace: str, source: str, text: str,
                      result: MatchResult, user: str | None = None, channel: str | None = None,
                      thread_ts: str | None = None, service: str | None = None,
                      with_similar: bool = True, now: datetime | None = None,
                      text_truncated: bool = False) -> Recorded:
    """Store one paste: join the open incident of its fingerprint, or open a new one.

    The caller commits (session_scope does). Nothing is read before the upsert, so on SQLite
    the transaction starts with a write and waits for the lock instead of failing.
    `with_similar=False` leaves similar incidents to the caller: Slack finds them for an
    audience after this transaction, so that no privacy lookup runs under the write lock.
    `now` and `text_truncated` are for pastes written late from the outbox: when it was
    pasted, and whether the outbox already cut its text.
    """
    text = sanitize(text)  # first, whole: the summary and the stored text are cut from it
    now = now or utcnow()
    answer = result.answer
    best = result.matches[0] if result.matches else None
    summary = incident_summary(text, result)
    incident_id, count, status, previous_id, owner = _upsert_open_incident(
        session, workspace=workspace, fingerprint=result.fingerprint,
        entry_id=answer.entry_id if answer else None, summary=summary, now=now, user=user,
        channel=channel, thread_ts=thread_ts, service=service)
    stored, was_cut = truncate_for_storage(text)
    was_cut = was_cut or text_truncated
    occurrence = Occurrence(
        incident_id=incident_id, created_at=now, source=source, user=user, channel=channel,
        thread_ts=thread_ts, text=stored, text_truncated=was_cut,
        entry_id=answer.entry_id if answer else None, score=best.score if best else None,
        confident=answer is not None)
    session.add(occurrence)
    session.flush()
    similar = find_similar(session, workspace=workspace, result=result,
                           exclude_incident_id=incident_id,
                           summary=summary) if with_similar else []
    return Recorded(incident_id=incident_id, occurrence_id=occurrence.id,
                    is_new_incident=count == 1, occurrences=count, status=status,
                    similar=tuple(similar), previous_incident_id=previous_id, owner=owner)


def _upsert_open_incident(session: Session, *, workspace: str, fingerprint: str,
                          entry_id: str | None, summary: str, now: datetime, user: str | None,
                          channel: str | None, thread_ts: str | None, service: str | None
                          ) -> tuple[int, int, str, int | None, str | None]:
    """(id, occurrence count, status, previous incident id, owner) after one atomic upsert.

    A count of 1 means this statement inserted the row: the update branch always makes it >= 2.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The incident this one recurs after: the newest closed one with the same fingerprint.
    # Evaluated inside the INSERT, so it is only used when a new incident is actually created.
    previous = (select(Incident.id)
                .where(Incident.workspace == workspace, Incident.fingerprint == fingerprint,
                       Incident.status != STATUS_OPEN)
                .order_by(Incident.id.desc()).limit(1).scalar_subquery())
    statement = insert(Incident).values(
        workspace=workspace, channel=channel, thread_ts=thread_ts, service=service,
        fingerprint=fingerprint, entry_id=entry_id, summary=summary,
        summary_key=summary_key(summary), status=STATUS_OPEN,
        first_seen=now, last_seen=now, occurrence_count=1, reported_by=user,
        previous_incident_id=previous)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[Incident.workspace, Incident.fingerprint],
        index_where=_OPEN_PREDICATE,
        set_={
            "occurrence_count": Incident.occurrence_count + 1,
            # Concurrent pastes commit in any order: last_seen only moves forward.
            "last_seen": case((excluded.last_seen > Incident.last_seen, excluded.last_seen),
                              else_=Incident.last_seen),
            # A later paste may know what an earlier one did not.
            "entry_id": func.coalesce(Incident.entry_id, excluded.entry_id),
            "service": func.coalesce(Incident.service, excluded.service),
        },
    ).returning(Incident.id, Incident.occurrence_count, Incident.status,
                Incident.previous_incident_id, Incident.owner)
    row = session.execute(statement).one()
    return int(row[0]), int(row[1]), str(row[2]), row[3], row[4]


# --- similar incidents ------------------------------------------------------------------------


def find_similar(session: Session, *, workspace: str, result: MatchResult,
                 exclude_incident_id: int | None = None, limit: int = 3,
                 summary: str | None = None,
                 audience: Audience | None = None) -> list[SimilarIncident]:
    """Up to `limit` past incidents like this paste: resolved ones with a note first.

    Candidates come from indexed queries only (same fingerprint, same KB entry, and a bounded
    slice of recent incidents whose summaries rapidfuzz compares), so the cost does not grow
    with the size of the history. For an `audience`, only incidents of channels it may see are
    candidates, and a note written in a channel it may not see is left out.

    The slices are cut from what the audience may see: cut from everyone's history, a busy
    private channel's newer incidents filled them and a public fix fell out before the
    reader's rule was applied. The channels are few (one per incident channel), so they are
    checked first, as for the lists (visible_incidents). The same-entry slice is the newest
    *opened* first: ordered by `last_seen`, private pastes into old public incidents lifted
    them over a newer one. The text slices stay ordered by `last_seen` (its index keeps them
    cheap): a resolved incident's `last_seen` no longer moves (a new paste opens a new
    incident), so only the 2,000 newest open ones could be reordered by pastes elsewhere.
    """
    if limit <= 0:
        return []
    if summary is None:
        summary = incident_summary("", result)
    answer = result.answer
    not_excluded = (Incident.id != exclude_incident_id if exclude_incident_id is not None
                    else Incident.id.is_not(None))
    # None: everything (the CLI); else the channels whose incidents and notes may be shown.
    visible = _visible_channels(session, audience)
    in_workspace = and_(Incident.workspace == workspace, not_excluded)
    if visible is not None:
        in_workspace = and_(in_workspace, Incident.channel.in_(visible))
    # A fix is one the reader may read: its note written where the reader may look.
    has_note = _has_note() if visible is None else and_(_has_note(), or_(
        Incident.resolved_in.is_(None), Incident.resolved_in.in_(visible)))

    similarity: dict[int, float] = {}

    def consider(ids: list[int], score: float) -> None:
        for incident_id in ids:
            similarity[incident_id] = max(similarity.get(incident_id, 0.0), score)

    consider(list(session.scalars(
        select(Incident.id).where(in_workspace, Incident.fingerprint == result.fingerprint)
        .order_by(Incident.id.desc()).limit(SAME_KEY_CANDIDATES))), 100.0)
    # Same entry: kept below only where the audience saw that entry answered (Seen.entry_id).
    same_entry_ids: set[int] = set()
    if answer is not None:
        same_entry = and_(in_workspace, Incident.entry_id == answer.entry_id)
        for query in (select(Incident.id).where(same_entry),
                      select(Incident.id).where(same_entry, has_note)):
            same_entry_ids.update(session.scalars(
                query.order_by(Incident.id.desc()).limit(SAME_KEY_CANDIDATES)))  # few rows
    if summary:
        for incident_id, score in _similar_by_text(session, in_workspace, has_note,
                                                   summary_key(summary)):
            consider([incident_id], score)
    if not similarity and not same_entry_ids:
        return []

    kept = session.scalars(select(Incident).where(
        Incident.id.in_(set(similarity) | same_entry_ids))).all()
    if visible is not None and audience is not None:
        # A note written in a channel with no incident of its own: ask about it now.
        noted_in = {incident.resolved_in for incident in kept if incident.resolved_in} - visible
        visible = visible | audience.visible(noted_in) if noted_in else visible
    seen = seen_by(session, (incident.id for incident in kept), audience)
    for incident in kept:
        if (answer is not None and incident.id in same_entry_ids
                and seen[incident.id].entry_id == answer.entry_id):
            consider([incident.id], 90.0)
    shown = [_as_seen_with(incident, visible, seen[incident.id]) for incident in kept
             if incident.id in similarity]

    def rank(item: SimilarIncident) -> tuple[bool, float, datetime, int]:
        # Ties on last_seen: the newer incident (higher id) first, as the recent slice cuts
        # them, whatever order the database returned the rows in.
        fixed = item.status == STATUS_RESOLVED and bool(item.resolution_note)
        return (fixed, similarity[item.id], item.last_seen, item.id)

    return sorted(shown, key=rank, reverse=True)[:limit]


def _as_seen_with(incident: Incident, visible: set[str] | None, seen: Seen) -> SimilarIncident:
    # A note written in a channel the reader may not see stays there; so do the pastes made
    # there (counted and dated only where the reader may look).
    note_hidden = (visible is not None and incident.resolved_in is not None
                   and incident.resolved_in not in visible)
    return SimilarIncident(
        id=incident.id, entry_id=seen.entry_id, status=incident.status,
        occurrences=max(seen.occurrences, 1),
        last_seen=as_utc(seen.last_seen or incident.first_seen),
        summary=incident.summary, resolved_by=None if note_hidden else incident.resolved_by,
        resolution_note=None if note_hidden else incident.resolution_note)


def _has_note():  # type: ignore[no-untyped-def]
    return and_(Incident.status == STATUS_RESOLVED, Incident.resolution_note.is_not(None),
                Incident.resolution_note != "")


def _visible_channels(session: Session, audience: Audience | None) -> set[str] | None:
    """The channels whose incidents and notes `audience` may see (None: the operator, all).

    Read from the channel index alone, across workspaces (a filter on the workspace made it a
    scan of the table): the bot serves one workspace, and another's channel in the same
    database would only be looked up, fail, and count as private. A note written in a channel
    with no incident of its own is left out of the fixes' slice (find_similar still shows it
    where the reader may see that channel)."""
    if audience is None:
        return None
    channels = _incident_channels(session)
    return audience.visible(channels | ({audience.channel} if audience.channel else set()))


def _incident_channels_statement():  # type: ignore[no-untyped-def]
    """Every channel with an incident, one index seek per channel (a loose index scan of
    `ix_incidents_channel_thread_ts`): PostgreSQL answers `SELECT DISTINCT channel` by reading
    the whole index, 35-65 ms at 100,000 incidents for 40 channels, on every Slack answer."""
    following = aliased(Incident)
    walked = (select(func.min(Incident.channel).label("channel"))
              .where(Incident.channel.is_not(None)).cte("walked", recursive=True))
    walked = walked.union_all(
        select(select(func.min(following.channel)).where(following.channel > walked.c.channel)
               .scalar_subquery()).where(walked.c.channel.is_not(None)))
    return select(walked.c.channel).where(walked.c.channel.is_not(None))


# Built once: made per call, SQLAlchemy spent ~6 ms building and compiling the recursive query.
_INCIDENT_CHANNELS = _incident_channels_statement()


def _incident_channels(session: Session) -> set[str]:
    return set(session.scalars(_INCIDENT_CHANNELS))


def _similar_by_text(session: Session, in_workspace, has_note,  # type: ignore[no-untyped-def]
                     key: str) -> list[tuple[int, float]]:
    """Incidents whose masked summaries (`summary_key`) are close to `key`, with the score."""
    # Ties on last_seen broken by the newest id, as SQLite's (workspace, last_seen) index did
    # implicitly; the covering index (workspace, last_seen, id, summary_key) keeps that order,
    # so the recent slice is read from the index without a table row per candidate.
    newest_first = (Incident.last_seen.desc(), Incident.id.desc())
    recent = session.execute(
        select(Incident.id, Incident.summary_key).where(in_workspace)
        .order_by(*newest_first).limit(RECENT_CANDIDATES)).all()
    fixed = session.execute(
        select(Incident.id, Incident.summary_key).where(in_workspace, has_note)
        .order_by(*newest_first).limit(RESOLVED_CANDIDATES)).all()
    choices = {row[0]: row[1] for row in (*recent, *fixed) if row[1]}
    found = process.extract(key, choices, scorer=fuzz.token_sort_ratio,
                            processor=utils.default_process,
                            score_cutoff=TEXT_SIMILARITY_CUTOFF, limit=SAME_KEY_CANDIDATES)
    return [(incident_id, float(score)) for _text, score, incident_id in found]


# --- queries ----------------------------------------------------------------------------------


def list_incidents(session: Session, *, workspace: str | None = None, status: str = "open",
                   channel: str | None = None, limit: int = 20) -> list[Incident]:
    """Newest activity first. `status="all"` lists every status."""
    query = select(Incident)
    if workspace is not None:
        query = query.where(Incident.workspace == workspace)
    if status != "all":
        query = query.where(Incident.status == status)
    if channel is not None:
        query = query.where(Incident.channel == channel)
    query = query.order_by(Incident.last_seen.desc(), Incident.id.desc()).limit(max(limit, 0))
    return list(session.scalars(query))


def visible_incidents(session: Session, audience: Audience, *, workspace: str,
                      status: str = "open", channel: str | None = None,
                      limit: int = 20) -> tuple[list[SeenIncident], int]:
    """(incidents this audience may see, newest first, counted and dated as it sees them; how
    many others were left out). `channel`: only that channel's incidents.

    The channels are few (one per incident channel), so they are checked first and the list is
    one query over the visible ones; the left-out ones are only counted. Newest by the pastes
    the audience may see (bot.incidents.seen): ordered by the `last_seen` column, a paste in a
    private channel a minute ago would lift its incident to the top of a public list.
    """
    in_scope = [Incident.workspace == workspace]
    if status != "all":
        in_scope.append(Incident.status == status)
    if channel is not None:
        in_scope.append(Incident.channel == channel)
    channels = set(session.scalars(select(Incident.channel).where(*in_scope).distinct()))
    listed = and_(*in_scope, Incident.channel.in_(audience.visible(channels)))
    newest = _newest_seen(session, audience, listed)
    shown = as_seen(session, session.scalars(
        select(Incident).outerjoin(newest, newest.c.incident_id == Incident.id).where(listed)
        .order_by(func.coalesce(newest.c.seen_at, Incident.first_seen).desc(),
                  Incident.id.desc()).limit(max(limit, 0))),
        audience)
    total = session.scalar(select(func.count()).select_from(Incident).where(*in_scope)) or 0
    shown_total = session.scalar(select(func.count()).select_from(Incident).where(listed)) or 0
    return shown, total - shown_total


def _newest_seen(session: Session, audience: Audience, listed):  # type: ignore[no-untyped-def]
    """(incident_id, seen_at): the newest paste of each `listed` incident in a channel the
    audience may see, or on the command line (Seen.last_seen, as one subquery to sort by)."""
    of_listed = and_(Occurrence.incident_id == Incident.id, listed)
    pasted_in = set(session.scalars(
        select(Occurrence.channel).join(Incident, of_listed)
        .where(Occurrence.channel.is_not(None)).distinct()))
    seen_in = audience.visible(pasted_in)
    return (select(Occurrence.incident_id, func.max(Occurrence.created_at).label("seen_at"))
            .join(Incident, of_listed)
            .where(or_(Occurrence.channel.is_(None), Occurrence.channel.in_(seen_in)))
            .group_by(Occurrence.incident_id).subquery())


def incident_in_conversation(session: Session, incident: Incident, *, channel: str | None,
                             thread_ts: str | None) -> bool:
    """Whether a request from `channel` (and `thread_ts`) comes from where this incident is
    discussed: its own channel, or a thread in which one of its occurrences was recorded."""
    if not channel:
        return False
    if incident.channel == channel:
        return True
    if not thread_ts:
        return False
    # An occurrence whose thread is not known yet counts too: its answer was just posted in
    # this channel and the thread is attached right after, so a click that quick is no stranger.
    return session.scalar(select(func.count()).select_from(Occurrence).where(
        Occurrence.incident_id == incident.id, Occurrence.channel == channel,
        or_(Occurrence.thread_ts == thread_ts, Occurrence.thread_ts.is_(None)))) > 0


def incident_threads(session: Session, incident_ids: Iterable[int]
                     ) -> dict[int, tuple[str, str]]:
    """Where each incident is discussed: (channel, thread ts) of its first thread, for the
    incidents that have one (a CLI paste has none)."""
    wanted = {int(incident_id) for incident_id in incident_ids}
    if not wanted:
        return {}
    rows = session.execute(select(Incident.id, Incident.channel, Incident.thread_ts).where(
        Incident.id.in_(wanted), Incident.channel.is_not(None),
        Incident.thread_ts.is_not(None)))
    return {row.id: (row.channel, row.thread_ts) for row in rows}


def threads_in_channel(session: Session, incident_id: int, *, channel: str,
                       limit: int = 20) -> list[str]:
    """The threads in `channel` where the incident's pastes were answered, newest first: each
    repeat of an open incident gets a card of its own, and each card shows the state."""
    rows = session.execute(
        select(Occurrence.thread_ts)
        .where(Occurrence.incident_id == incident_id, Occurrence.channel == channel,
               Occurrence.thread_ts.is_not(None))
        .group_by(Occurrence.thread_ts)
        .order_by(func.max(Occurrence.created_at).desc()).limit(limit))
    return [row.thread_ts for row in rows]


def get_incident(session: Session, incident_id: int) -> Incident | None:
    return session.get(Incident, incident_id)


def occurrences_of(session: Session, incident_id: int, limit: int = 100) -> list[Occurrence]:
    """An incident's occurrences, oldest first (the timeline)."""
    return list(session.scalars(
        select(Occurrence).where(Occurrence.incident_id == incident_id)
        .order_by(Occurrence.created_at, Occurrence.id).limit(limit)))


def attach_thread(session: Session, *, occurrence_id: int, channel: str,
                  thread_ts: str) -> None:
    """Tie an occurrence (and its incident, if it has no thread yet) to the thread of its answer.

    A slash command has no thread when it is recorded; the answer's message starts one, and
    later "Fetch logs" or `@bot` in that thread must find the same incident.
    """
    occurrence = session.get(Occurrence, occurrence_id)
    if occurrence is None:
        return
    occurrence.channel = occurrence.channel or channel
    occurrence.thread_ts = occurrence.thread_ts or thread_ts
    session.execute(
        update(Incident)
        .where(Incident.id == occurrence.incident_id, Incident.thread_ts.is_(None))
        .values(channel=func.coalesce(Incident.channel, channel), thread_ts=thread_ts))


def incident_for_thread(session: Session, *, workspace: str, channel: str,
                        thread_ts: str) -> Incident | None:
    """The incident discussed in a Slack thread: the one reported there, else the newest one a
    paste in that thread joined."""
    reported_here = session.scalars(
        select(Incident).where(Incident.workspace == workspace, Incident.channel == channel,
                               Incident.thread_ts == thread_ts)
        .order_by(Incident.last_seen.desc()).limit(1)).first()
    if reported_here is not None:
        return reported_here
    return session.scalars(
        select(Incident).join(Occurrence, Occurrence.incident_id == Incident.id)
        .where(Incident.workspace == workspace, Occurrence.channel == channel,
               Occurrence.thread_ts == thread_ts)
        .order_by(Occurrence.created_at.desc()).limit(1)).first()


def resolve_incident(session: Session, incident_id: int, *, user: str | None,
                     note: str, channel: str | None = None) -> Incident:
    """Close an open incident with who fixed it and how. The note is redacted like any text.

    `channel`: where the note was written (None from the CLI); a note written in a private
    channel is shown only there."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(incident_id)
    if incident.status != STATUS_OPEN:
        raise IncidentNotOpen(incident)
    now = utcnow()
    elapsed = max((now - as_utc(incident.first_seen)).total_seconds(), 0.0)
    # Guarded by status: of two people resolving at once, the second gets the clear error.
    changed = session.execute(
        update(Incident)
        .where(Incident.id == incident_id, Incident.status == STATUS_OPEN)
        .values(status=STATUS_RESOLVED, resolved_by=user, resolved_at=now,
                time_to_resolve_s=elapsed, resolution_note=_cut(sanitize(note).strip(), 4_000),
                resolved_in=channel)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(incident)
    if not changed:
        raise IncidentNotOpen(incident)
    return incident


class IncidentStillOpen(ValueError):
    """Reopen asked of an incident that is open already."""

    def __init__(self, incident: Incident) -> None:
        super().__init__(f"incident #{incident.id} is open")
        self.incident = incident


class ReopenConflict(ValueError):
    """The same problem (fingerprint) has been opened again as another incident since."""

    def __init__(self, incident_id: int, other_id: int) -> None:
        super().__init__(f"incident #{incident_id}: the same problem is open as #{other_id}")
        self.incident_id, self.other_id = incident_id, other_id


def reopen_incident(session: Session, incident_id: int) -> Incident:
    """Open a resolved incident again: its resolution is cleared (the next resolution writes
    its own). Refused while the same problem is open as a newer incident: one open incident per
    problem, or the next paste could not say which one it belongs to."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(incident_id)
    if incident.status == STATUS_OPEN:
        raise IncidentStillOpen(incident)
    other = session.execute(
        select(Incident.id).where(Incident.workspace == incident.workspace,
                                  Incident.fingerprint == incident.fingerprint,
                                  Incident.status == STATUS_OPEN)).scalar()
    if other is not None:
        raise ReopenConflict(incident_id, int(other))
    changed = session.execute(
        update(Incident)
        .where(Incident.id == incident_id, Incident.status != STATUS_OPEN)
        .values(status=STATUS_OPEN, resolved_by=None, resolved_at=None, time_to_resolve_s=None,
                resolution_note=None, resolved_in=None)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(incident)
    if not changed:
        raise IncidentStillOpen(incident)
    return incident


def take_ownership(session: Session, incident_id: int, *, user: str) -> Incident:
    """`user` is on it: the incident's owner from now (the latest to say so takes it over).
    Only an open incident has an owner to name; a resolved one says so (IncidentNotOpen)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(incident_id)
    changed = session.execute(
        update(Incident)
        .where(Incident.id == incident_id, Incident.status == STATUS_OPEN)
        .values(owner=user, owned_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(incident)
    if not changed:
        raise IncidentNotOpen(incident)
    return incident


def record_feedback(session: Session, *, incident_id: int | None, entry_id: str | None,
                    user: str, helpful: bool) -> None:
    """One vote per user per incident and entry; a second click changes the vote."""
    now = utcnow()
    if incident_id is not None and entry_id is not None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Feedback).values(incident_id=incident_id, entry_id=entry_id,
                                            user=user, helpful=helpful, created_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=[Feedback.incident_id, Feedback.entry_id, Feedback.user],
            set_={"helpful": statement.excluded.helpful,
                  "created_at": statement.excluded.created_at}))
        return
    # NULLs never conflict in a unique constraint, so a vote without an incident or an entry
    # ("none of these helped") is updated in place when it exists and inserted otherwise.
    same_vote = and_(_is(Feedback.incident_id, incident_id), _is(Feedback.entry_id, entry_id),
                     Feedback.user == user)
    changed = session.execute(
        update(Feedback).where(same_vote).values(helpful=helpful, created_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        session.add(Feedback(incident_id=incident_id, entry_id=entry_id, user=user,
                             helpful=helpful, created_at=now))
        session.flush()


def _is(column, value):  # type: ignore[no-untyped-def]
    return column.is_(None) if value is None else column == value


def purge_old_texts(session: Session, *, older_than_days: int) -> int:
    """Forget the pasted texts of occurrences older than N days; counts and links stay.

    Returns how many texts were purged.
    """
    cutoff = utcnow() - timedelta(days=max(older_than_days, 0))
    return session.execute(
        update(Occurrence)
        .where(Occurrence.created_at < cutoff, Occurrence.text.is_not(None))
        .values(text=None)
        .execution_options(synchronize_session=False)).rowcount
