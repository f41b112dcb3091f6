"""Post a channel's weekly digest exactly once, however many workers or commands try at once.

The database decides who posts: each (channel, week) has one `digest_runs` row (unique key).
A worker claims the week by inserting it (INSERT ... ON CONFLICT DO NOTHING: the row count says
whether it won). A claim that stays `claimed` longer than the lease belongs to a worker that died
between claiming and posting; any worker may take it over with a conditional UPDATE whose row
count, again, names a single winner. The winner posts, then records `posted` and the message ts.

A worker can die after Slack accepted the message and before `posted` is written (killed
mid-post, its reply lost). Slack's API has no idempotency key, so the digest message carries its
own in its metadata (`troubleshoot_digest`, with the week and the channel): a worker that takes
a claim over first looks for that message in the channel's history, and if it is there records it
as posted (and adds the chart if it is missing) instead of posting a second digest. The message ts
is recorded right after Slack accepts it.

The chart is part of the message (an image block showing a file the bot uploaded just before,
unshared), so it is seen with the figures rather than in a thread. Should Slack refuse the image
(an upload it has not finished processing), the message goes without it and the chart is shared
into the channel right after, never silently dropped.

Which channels' incidents the digest shows is the subscription's scope (bot.digest.scope);
private channels' incidents appear only in their own channel's digest.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from typing import Any

from sqlalchemy import Engine, and_, or_, select, update

from bot.chat.models import CHANNEL_PUBLIC, INTERNAL_KINDS, ChannelPrivacy
from bot.digest.figures import Digest, compute_digest
from bot.digest.models import DigestRun, DigestSubscription
from bot.digest.scope import DigestScope, coverage
from bot.digest.weeks import IsoWeek, zone
from bot.incidents.audience import PublicAmong
from bot.settings import settings

log = logging.getLogger(__name__)

RUNS = DigestRun.__table__
SUBSCRIPTIONS = DigestSubscription.__table__
CLAIMED, POSTED, FAILED = "claimed", "posted", "failed"
DEFAULT_LEASE = timedelta(minutes=10)
DIGEST_EVENT = "troubleshoot_digest"  # message metadata event type of a posted digest
HISTORY_PAGES = 10  # of 200 messages each: how far back a takeover looks for the digest
CHART_READY_WAIT_S = 10.0  # how long to wait for Slack to process the uploaded chart
CHART_BLOCK_ID = "digest_chart"
PRIVACY = ChannelPrivacy.__table__


class DigestConfigError(RuntimeError):
    """Something the operator must set before a digest can be posted (the message says what)."""


@dataclass(frozen=True)
class PostOutcome:
    status: str  # "posted" / "already posted" / "in progress" / "failed"
    channel: str
    week: str
    message_ts: str | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# ----- channel settings

@dataclass(frozen=True)
class ChannelDigestSettings:
    timezone: str
    language: str
    scope: DigestScope = field(default_factory=DigestScope)
    workspace: str | None = None  # the subscription's Slack team, for privacy lookups


def channel_settings(engine: Engine, channel: str | None) -> ChannelDigestSettings:
    """A subscribed channel's own zone, language and scope; otherwise DIGEST_TIMEZONE,
    BOT_LANGUAGE and the channel alone."""
    row = None
    if channel:
        with engine.connect() as conn:
            row = conn.execute(select(SUBSCRIPTIONS.c.timezone, SUBSCRIPTIONS.c.language,
                                      SUBSCRIPTIONS.c.scope, SUBSCRIPTIONS.c.scope_channels,
                                      SUBSCRIPTIONS.c.workspace)
                               .where(SUBSCRIPTIONS.c.channel == channel)).first()
    timezone = (row.timezone if row and row.timezone else None) or zone().key
    language = (row.language if row and row.language else None) or settings().bot_language
    scope = DigestScope.from_row(row.scope, row.scope_channels) if row else DigestScope()
    return ChannelDigestSettings(timezone, language, scope, row.workspace if row else None)


# How a poster learns which other channels the digest's channel may be shown, given the
# subscription's workspace and that channel: public ones, and none when people of another
# organisation read it (Slack Connect). The composition root (bot.cli: `args.channel_privacy`)
# hands in the front end's rule (Slack's conversations.info, cached); the digest domain never
# imports the front end.
PrivacyFor = Callable[[str | None, str], PublicAmong]


def cached_public_among(engine: Engine, workspace: str | None,
                        reader: str | None = None) -> PublicAmong:
    """Public channels as last recorded, whatever their age, without asking Slack: for a dry
    run with no token. A channel never looked up counts as private, as everywhere; and a
    `reader` channel not recorded as read by this workspace alone is shown no other channel."""

    def public_among(channels: set[str]) -> set[str]:
        if reader is not None and _recorded_kind(engine, workspace, reader) not in INTERNAL_KINDS:
            return set()
        query = select(PRIVACY.c.channel).where(PRIVACY.c.channel.in_(sorted(channels)),
                                                PRIVACY.c.kind == CHANNEL_PUBLIC)
        if workspace:
            query = query.where(PRIVACY.c.workspace == workspace)
        with engine.connect() as conn:
            return set(conn.execute(query).scalars())

    return public_among


def _recorded_kind(engine: Engine, workspace: str | None, channel: str) -> str | None:
    query = select(PRIVACY.c.kind).where(PRIVACY.c.channel == channel)
    if workspace:
        query = query.where(PRIVACY.c.workspace == workspace)
    with engine.connect() as conn:
        kinds = set(conn.execute(query).scalars())
    # Recorded under two workspaces (no workspace given): internal only if both say so.
    return kinds.pop() if len(kinds) == 1 else None


def digest_for(engine: Engine, channel: str, week: IsoWeek, settings: ChannelDigestSettings,
               public_among: PublicAmong) -> Digest:
    """`channel`'s digest of `week`, over its subscription's scope: what is posted, and what a
    dry run and the Slack preview show."""
    tz = zone(settings.timezone)
    covered = coverage(engine, settings.scope, channel, week.previous().window(tz), public_among)
    return compute_digest(engine, week, tz, channel=channel, coverage=covered)


# ----- the claim

def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def claim(engine: Engine, channel: str, week: str, worker: str, *,
          lease: timedelta = DEFAULT_LEASE, retry_failed_after: timedelta = timedelta(0),
          now: datetime | None = None) -> bool:
    """True if this worker now owns the week's digest for the channel and must post it."""
    now = _now(now)
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with engine.begin() as conn:
        # RETURNING says whether our row went in (rowcount is unreliable once SQLAlchemy adds
        # its own RETURNING for the primary key on PostgreSQL).
        inserted = conn.execute(
            insert(RUNS)
            .values(channel=channel, week=week, status=CLAIMED, claimed_by=worker,
                    claimed_at=now, attempts=1)
            .on_conflict_do_nothing(index_elements=["channel", "week"])
            .returning(RUNS.c.id)).first()
        if inserted is not None:
            return True
    # Take over an abandoned claim (its worker died) or a failed attempt, if nobody else does.
    with engine.begin() as conn:
        taken = conn.execute(
            update(RUNS)
            .where(RUNS.c.channel == channel, RUNS.c.week == week,
                   or_(and_(RUNS.c.status == CLAIMED, RUNS.c.claimed_at < now - lease),
                       and_(RUNS.c.status == FAILED,
                            RUNS.c.claimed_at <= now - retry_failed_after)))
            .values(status=CLAIMED, claimed_by=worker, claimed_at=now,
                    attempts=RUNS.c.attempts + 1, error=None))
        return taken.rowcount == 1


def run_state(engine: Engine, channel: str, week: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(RUNS.c.status, RUNS.c.message_ts, RUNS.c.claimed_by,
                                   RUNS.c.claimed_at, RUNS.c.attempts)
                            .where(RUNS.c.channel == channel, RUNS.c.week == week)).first()


def _finish(engine: Engine, channel: str, week: str, worker: str, **values: Any) -> None:
    with engine.begin() as conn:
        done = conn.execute(update(RUNS)
                            .where(RUNS.c.channel == channel, RUNS.c.week == week,
                                   RUNS.c.claimed_by == worker, RUNS.c.status == CLAIMED)
                            .values(**values))
        if done.rowcount != 1:
            log.warning("digest %s for %s: claim was taken over before it was marked %s",
                        week, channel, values.get("status"))


# ----- posting

def digest_metadata(channel: str, week: str) -> dict[str, Any]:
    """What marks a message as the digest of `week` for `channel` (Slack message metadata)."""
    return {"event_type": DIGEST_EVENT, "event_payload": {"week": week, "channel": channel}}


def publish(client: Any, channel: str, digest: Digest, language: str,
            chart_file: str | None = None, *, engine: Engine | None = None
            ) -> tuple[str, str, bool]:
    """chat.postMessage with the rendered digest and, if given, the chart file as an image
    block; returns (channel id, message ts, whether the chart is in the message)."""
    from slack_sdk.errors import SlackApiError

    from bot.digest.render import plain_ref, render_message

    incident_ref = incident_links(client, engine, digest) if engine is not None else plain_ref

    def post(with_chart: str | None) -> Any:
        message = render_message(digest, language, chart_file=with_chart,
                                 incident_ref=incident_ref)
        return client.chat_postMessage(channel=channel, unfurl_links=False,
                                       metadata=digest_metadata(channel, digest.week.label),
                                       **message)

    try:
        response, shown = post(chart_file), chart_file is not None
    except SlackApiError as error:
        if chart_file is None or error.response.get("error") != "invalid_blocks":
            raise
        # Slack refused the image (the upload not processed yet, or not visible to the bot):
        # nothing was posted, so posting without it cannot make a second digest.
        log.warning("digest %s for %s: Slack refused the chart image (%s); posting without it",
                    digest.week.label, channel, error.response.get("errors"))
        response, shown = post(None), False
    return str(response.get("channel") or channel), str(response["ts"]), shown


def incident_links(client: Any, engine: Engine, digest: Digest) -> Callable[[int], str]:
    """How the digest writes an incident number: linked to the incident's thread (Slack's
    permalink, from the workspace URL auth.test gives), plain when Slack cannot say. The
    numbers it names all belong to channels the digest covers (bot.digest.figures)."""
    from sqlalchemy.orm import Session

    from bot.chat.identity import app_identity
    from bot.chat.permalinks import IncidentLinks
    from bot.digest.render import plain_ref
    from bot.incidents.service import incident_threads

    numbers = {number for entry in digest.top_entries for number in entry.incidents}
    numbers |= {number for number in digest.unknown_sample_incidents if number is not None}
    if not numbers:
        return plain_ref
    try:
        with Session(engine) as session:
            threads = incident_threads(session, numbers)
    except Exception as error:  # the digest reads well without links
        log.warning("digest %s: no incident links (%s)", digest.week.label,
                    type(error).__name__)
        return plain_ref
    return IncidentLinks(app_identity(client).workspace_url, threads).ref


def find_posted_digest(client: Any, channel: str,
                       week: IsoWeek) -> tuple[str, str, dict[str, Any]] | None:
    """(channel id, ts, message) of this week's digest if it is already in the channel.

    Looks at messages since the week began (a digest is posted after its week), newest first.
    """
    wanted = digest_metadata(channel, week.label)
    cursor = None
    for _page in range(HISTORY_PAGES):
        response = client.conversations_history(
            channel=channel, oldest=f"{_week_began(week).timestamp():.6f}",
            include_all_metadata=True, limit=200, cursor=cursor)
        for message in response.get("messages") or []:
            if message.get("metadata") == wanted:
                return str(response.get("channel") or channel), str(message["ts"]), message
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not response.get("has_more") or not cursor:
            return None
    return None


def _week_began(week: IsoWeek) -> datetime:
    # A day early: the channel's own zone may start the week up to 14 hours before UTC does.
    return datetime.combine(week.monday, time_of_day(0), UTC) - timedelta(days=1)


def has_chart(message: dict[str, Any]) -> bool:
    """Whether a posted digest message shows its chart."""
    return any(block.get("block_id") == CHART_BLOCK_ID for block in message.get("blocks") or [])


def channel_name(client: Any, channel: str) -> str | None:
    """`#name` for the chart's title (a raw id means nothing in a picture); None if unknown."""
    try:
        found = client.conversations_info(channel=channel).get("channel") or {}
    except Exception as error:  # the chart is titled without it
        log.info("conversations.info %s for the chart title failed: %s", channel,
                 _error_text(error))
        return None
    return f"#{found['name']}" if found.get("name") else None


def upload_chart(client: Any, digest: Digest, language: str, *, channel_id: str | None = None,
                 wait_s: float = CHART_READY_WAIT_S) -> str | None:
    """Upload the chart; returns its file id. Without `channel_id` the file is not shared
    anywhere yet (the message's image block shows it); then wait, at most `wait_s`, until
    Slack has processed it, since an image block naming an unprocessed file is refused."""
    from bot.digest.chart import render_chart
    from bot.digest.render import chart_text

    name = channel_name(client, digest.channel) if digest.channel else None
    text = chart_text(digest, language, name)
    shared = {"channel": channel_id} if channel_id else {}
    response = client.files_upload_v2(
        content=render_chart(digest, language, channel_name=name),
        filename=f"digest-{digest.week.label}.png", title=text["title"], alt_txt=text["alt"],
        **shared)
    file = response.get("file") or (response.get("files") or [{}])[0]
    file_id = file.get("id")
    if file_id and not channel_id:
        _wait_until_processed(client, file_id, wait_s)
    return file_id


def _wait_until_processed(client: Any, file_id: str, wait_s: float) -> None:
    # files.info fills in the mimetype once Slack has processed an upload.
    deadline, pause = time.monotonic() + wait_s, 0.2
    while True:
        try:
            if (client.files_info(file=file_id).get("file") or {}).get("mimetype"):
                return
        except Exception as error:  # cannot tell (a missing scope?): try the image anyway
            log.info("files.info %s: %s", file_id, _error_text(error))
            return
        if time.monotonic() + pause > deadline:
            return
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def post_digest_once(engine: Engine, client: Any, channel: str, week: IsoWeek, *,
                     privacy: PrivacyFor | None = None, worker: str | None = None,
                     lease: timedelta = DEFAULT_LEASE,
                     retry_failed_after: timedelta = timedelta(0), wait_s: float = 0.0,
                     now: datetime | None = None) -> PostOutcome:
    """Post `week`'s digest to `channel` unless it was (or is being) posted already.

    `privacy` says which channels are public for a scope wider than the channel (without it,
    the bot's records: a channel never looked up counts as private). With `wait_s`, a caller
    that lost the race waits that long for the winner to finish, so that it can say "already
    posted" rather than "in progress".
    """
    worker = worker or worker_name()
    label = week.label
    deadline = time.monotonic() + wait_s
    while not claim(engine, channel, label, worker, lease=lease,
                    retry_failed_after=retry_failed_after, now=now):
        state = run_state(engine, channel, label)
        if state is not None and state.status == POSTED:
            return PostOutcome("already posted", channel, label, state.message_ts)
        if time.monotonic() >= deadline:
            detail = f"claimed by {state.claimed_by}" if state is not None else None
            status = "in progress" if state is not None and state.status == CLAIMED else "failed"
            return PostOutcome(status, channel, label, detail=detail)
        time.sleep(0.2)

    settings = channel_settings(engine, channel)
    try:
        public_among = (privacy or (lambda workspace, reader: cached_public_among(
            engine, workspace, reader)))(settings.workspace, channel)
        digest = digest_for(engine, channel, week, settings, public_among)
        found = _posted_before_takeover(engine, client, channel, week)
        if found is not None:
            return _adopt(engine, client, channel, week, worker, digest, settings.language,
                          *found)
        chart = None if digest.is_empty else _chart_file(client, digest, settings.language)
        channel_id, ts, chart_shown = publish(client, channel, digest, settings.language, chart,
                                              engine=engine)
    except Exception as error:  # Slack or database trouble: recorded, then reported
        detail = _error_text(error)
        _finish(engine, channel, label, worker, status=FAILED, error=detail)
        log.warning("digest %s for %s failed: %s", label, channel, detail)
        return PostOutcome("failed", channel, label, detail=detail)
    _finish(engine, channel, label, worker, status=POSTED, message_ts=ts,
            posted_at=datetime.now(UTC))
    if chart is not None and not chart_shown:
        _share_chart(client, channel_id, digest, settings.language)
    return PostOutcome("posted", channel, label, ts)


def _chart_file(client: Any, digest: Digest, language: str) -> str | None:
    try:
        return upload_chart(client, digest, language)
    except Exception as error:  # the message reads well without the chart
        log.warning("digest %s for %s: chart upload failed: %s", digest.week.label,
                    digest.channel, _error_text(error))
        return None


def _share_chart(client: Any, channel_id: str, digest: Digest, language: str) -> None:
    """The chart as its own message right under the digest, when the image block failed."""
    try:
        upload_chart(client, digest, language, channel_id=channel_id)
    except Exception as error:
        log.warning("digest %s for %s: chart upload failed: %s", digest.week.label,
                    digest.channel, _error_text(error))


def _posted_before_takeover(engine: Engine, client: Any, channel: str,
                            week: IsoWeek) -> tuple[str, str, dict[str, Any]] | None:
    """On a takeover, the digest the worker before us may have posted before it died."""
    state = run_state(engine, channel, week.label)
    if state is None or (state.attempts or 1) <= 1:
        return None  # the first attempt: nobody can have posted it
    try:
        return find_posted_digest(client, channel, week)
    except Exception as error:  # cannot look (a missing scope?): posting beats silence
        log.warning("digest %s for %s: could not check the channel before posting again: %s",
                    week.label, channel, _error_text(error))
        return None


def _adopt(engine: Engine, client: Any, channel: str, week: IsoWeek, worker: str,
           digest: Digest, language: str, channel_id: str, ts: str,
           message: dict[str, Any]) -> PostOutcome:
    """Record the digest found in the channel as posted, and share its chart if the message
    went without it."""
    _finish(engine, channel, week.label, worker, status=POSTED, message_ts=ts,
            posted_at=datetime.now(UTC))
    log.warning("digest %s for %s: found in the channel (ts %s) after a takeover; not posting "
                "it again", week.label, channel, ts)
    if not digest.is_empty and not has_chart(message):
        _share_chart(client, channel_id, digest, language)
    return PostOutcome("already posted", channel, week.label, ts,
                       detail="found in the channel after a takeover")


def _error_text(error: Exception) -> str:
    from slack_sdk.errors import SlackApiError

    from bot.redaction import redact

    if isinstance(error, SlackApiError):
        text = f"Slack API error: {error.response.get('error', 'unknown')}"
    else:
        text = f"{type(error).__name__}: {error}"
    return redact(text)[:500]
