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
is recorded before the chart upload, so a death during the upload is not a takeover at all.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from typing import Any

from sqlalchemy import Engine, and_, or_, select, update

from bot.digest.figures import Digest, compute_digest
from bot.digest.models import DigestRun, DigestSubscription
from bot.digest.weeks import IsoWeek, zone
from bot.settings import settings

log = logging.getLogger(__name__)

RUNS = DigestRun.__table__
SUBSCRIPTIONS = DigestSubscription.__table__
CLAIMED, POSTED, FAILED = "claimed", "posted", "failed"
DEFAULT_LEASE = timedelta(minutes=10)
DIGEST_EVENT = "troubleshoot_digest"  # message metadata event type of a posted digest
HISTORY_PAGES = 10  # of 200 messages each: how far back a takeover looks for the digest


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


def channel_settings(engine: Engine, channel: str | None) -> ChannelDigestSettings:
    """A subscribed channel's own zone and language; otherwise DIGEST_TIMEZONE / BOT_LANGUAGE."""
    row = None
    if channel:
        with engine.connect() as conn:
            row = conn.execute(select(SUBSCRIPTIONS.c.timezone, SUBSCRIPTIONS.c.language)
                               .where(SUBSCRIPTIONS.c.channel == channel)).first()
    timezone = (row.timezone if row and row.timezone else None) or zone().key
    language = (row.language if row and row.language else None) or settings().bot_language
    return ChannelDigestSettings(timezone, language)


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


def publish(client: Any, channel: str, digest: Digest, language: str) -> tuple[str, str]:
    """chat.postMessage with the rendered digest; returns (channel id, message ts)."""
    from bot.digest.render import render_message

    message = render_message(digest, language, with_chart_note=not digest.is_empty)
    response = client.chat_postMessage(channel=channel, unfurl_links=False,
                                       metadata=digest_metadata(channel, digest.week.label),
                                       **message)
    return str(response.get("channel") or channel), str(response["ts"])


def find_posted_digest(client: Any, channel: str, week: IsoWeek) -> tuple[str, str] | None:
    """(channel id, ts) of this week's digest if it is already in the channel, else None.

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
                return str(response.get("channel") or channel), str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not response.get("has_more") or not cursor:
            return None
    return None


def _week_began(week: IsoWeek) -> datetime:
    # A day early: the channel's own zone may start the week up to 14 hours before UTC does.
    return datetime.combine(week.monday, time_of_day(0), UTC) - timedelta(days=1)


def has_chart(client: Any, channel_id: str, ts: str) -> bool:
    replies = client.conversations_replies(channel=channel_id, ts=ts, limit=50)
    return any(message.get("files") for message in replies.get("messages") or [])


def upload_chart(client: Any, channel_id: str, thread_ts: str, digest: Digest) -> None:
    from bot.digest.chart import render_chart

    client.files_upload_v2(
        channel=channel_id, thread_ts=thread_ts, content=render_chart(digest),
        filename=f"digest-{digest.week.label}.png",
        title=f"Errors per day, {digest.week.label}",
        alt_txt=f"Bar chart of errors per day in {digest.week.label}, stacked by problem")


def post_digest_once(engine: Engine, client: Any, channel: str, week: IsoWeek, *,
                     worker: str | None = None, lease: timedelta = DEFAULT_LEASE,
                     retry_failed_after: timedelta = timedelta(0), wait_s: float = 0.0,
                     now: datetime | None = None) -> PostOutcome:
    """Post `week`'s digest to `channel` unless it was (or is being) posted already.

    With `wait_s`, a caller that lost the race waits that long for the winner to finish, so that
    it can say "already posted" rather than "in progress".
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
        digest = compute_digest(engine, week, zone(settings.timezone), channel=channel)
        found = _posted_before_takeover(engine, client, channel, week)
        if found is not None:
            return _adopt(engine, client, channel, week, worker, digest, *found)
        channel_id, ts = publish(client, channel, digest, settings.language)
    except Exception as error:  # Slack or database trouble: recorded, then reported
        detail = _error_text(error)
        _finish(engine, channel, label, worker, status=FAILED, error=detail)
        log.warning("digest %s for %s failed: %s", label, channel, detail)
        return PostOutcome("failed", channel, label, detail=detail)
    _finish(engine, channel, label, worker, status=POSTED, message_ts=ts,
            posted_at=datetime.now(UTC))
    if not digest.is_empty:
        _add_chart(client, channel, channel_id, ts, digest)
    return PostOutcome("posted", channel, label, ts)


def _add_chart(client: Any, channel: str, channel_id: str, ts: str, digest: Digest, *,
               unless_present: bool = False) -> None:
    try:
        if not (unless_present and has_chart(client, channel_id, ts)):
            upload_chart(client, channel_id, ts, digest)
    except Exception as error:  # the message reads well without the chart
        log.warning("digest %s for %s: chart upload failed: %s", digest.week.label, channel,
                    _error_text(error))


def _posted_before_takeover(engine: Engine, client: Any, channel: str,
                            week: IsoWeek) -> tuple[str, str] | None:
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
           digest: Digest, channel_id: str, ts: str) -> PostOutcome:
    """Record the digest found in the channel as posted, with its chart if that is missing."""
    _finish(engine, channel, week.label, worker, status=POSTED, message_ts=ts,
            posted_at=datetime.now(UTC))
    log.warning("digest %s for %s: found in the channel (ts %s) after a takeover; not posting "
                "it again", week.label, channel, ts)
    if not digest.is_empty:
        _add_chart(client, channel, channel_id, ts, digest, unless_present=True)
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
