"""Watches, failure-episode claims and stored alerts: the SQL of the deployments domain.

Exactly once: a failure episode is reported by whoever inserts its `deployment_reports` row
(unique resource + episode; INSERT ... ON CONFLICT DO NOTHING, RETURNING says who won), across
any number of workers, `deployments check` commands and alerts. A claim whose worker died
before posting (older than the lease, still `claimed`) may be taken over by one conditional
UPDATE. A claim whose report could not be made (Azure down or slow) is released: deleted, so
that the next cycle claims it again.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, func, or_, select, update

from bot.deployments.models import DeploymentAlert, DeploymentReport, DeploymentWatch
from bot.storage import utcnow

WATCHES = DeploymentWatch.__table__
REPORTS = DeploymentReport.__table__
ALERTS = DeploymentAlert.__table__
CLAIMED, POSTED = "claimed", "posted"
PENDING, DONE = "pending", "done"
LEASE = timedelta(minutes=10)
MAX_ALERT_ATTEMPTS = 20  # an alert Azure keeps failing on is given up after this many cycles


def _insert(engine: Engine):  # type: ignore[no-untyped-def]
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# ----- watches

@dataclass(frozen=True)
class Watch:
    channel: str
    pattern: str
    workspace: str | None
    language: str | None

    def covers(self, name: str) -> bool:
        """`pattern` against the name (`endpoint/deployment` or a service), or its endpoint."""
        pattern = self.pattern.lower()
        name = name.lower()
        return (fnmatch.fnmatchcase(name, pattern)
                or fnmatch.fnmatchcase(name.split("/", 1)[0], pattern))


def add_watch(engine: Engine, *, channel: str, pattern: str = "*", workspace: str | None = None,
              language: str | None = None, user: str | None = None) -> bool:
    """Subscribe the channel; False when it already watched that pattern."""
    with engine.begin() as conn:
        inserted = conn.execute(
            _insert(engine)(WATCHES)
            .values(channel=channel, pattern=pattern, workspace=workspace, language=language,
                    created_by=user, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["channel", "pattern"])
            .returning(WATCHES.c.channel)).first()
    return inserted is not None


def remove_watches(engine: Engine, *, channel: str) -> int:
    """Unsubscribe the channel from every pattern; how many there were."""
    with engine.begin() as conn:
        return conn.execute(delete(WATCHES).where(WATCHES.c.channel == channel)).rowcount


def list_watches(engine: Engine, *, channel: str | None = None) -> list[Watch]:
    query = select(WATCHES.c.channel, WATCHES.c.pattern, WATCHES.c.workspace,
                   WATCHES.c.language).order_by(WATCHES.c.channel, WATCHES.c.pattern)
    if channel is not None:
        query = query.where(WATCHES.c.channel == channel)
    with engine.connect() as conn:
        return [Watch(*row) for row in conn.execute(query)]


def watchers_of(watches: list[Watch], name: str) -> list[Watch]:
    """One watch per channel whose pattern covers the name (a channel is posted to once)."""
    chosen: dict[str, Watch] = {}
    for watch in watches:
        if watch.channel not in chosen and watch.covers(name):
            chosen[watch.channel] = watch
    return list(chosen.values())


# ----- failure episodes

def episode_of(engine: Engine, resource: str, modified: str | None) -> str:
    """The episode of a failure seen now: its last-modified time, plus `#n` after the n times
    it was seen healthy again at that same time (a v1 service that recovers and fails again
    without an update; a flapping one posts once per episode)."""
    base = modified or "unknown"
    with engine.connect() as conn:
        recovered = conn.execute(
            select(func.count()).select_from(REPORTS).where(
                REPORTS.c.resource == resource, REPORTS.c.recovered_at.is_not(None),
                or_(REPORTS.c.episode == base, REPORTS.c.episode.like(f"{base}#%")))).scalar()
    return base if not recovered else f"{base}#{recovered}"


def unrecovered(engine: Engine) -> set[str]:
    """The resources with a posted failure not yet seen healthy again (few: failures are rare),
    so that a cycle writes only for those instead of for every healthy deployment."""
    with engine.connect() as conn:
        return set(conn.execute(select(REPORTS.c.resource).distinct().where(
            REPORTS.c.status == POSTED, REPORTS.c.recovered_at.is_(None),
            ~REPORTS.c.episode.like("alert:%"))).scalars())


def mark_recovered(engine: Engine, resource: str, now: datetime | None = None) -> int:
    """The resource is healthy: its reported episodes are over (a new failure is a new one)."""
    with engine.begin() as conn:
        return conn.execute(
            update(REPORTS).where(REPORTS.c.resource == resource, REPORTS.c.status == POSTED,
                                  REPORTS.c.recovered_at.is_(None),
                                  ~REPORTS.c.episode.like("alert:%"))
            .values(recovered_at=now or utcnow())).rowcount


def claim(engine: Engine, resource: str, episode: str, *, origin: str, worker: str,
          now: datetime | None = None, lease: timedelta = LEASE) -> int | None:
    """The report row's id if this worker now owns the episode and must post it, else None."""
    now = now or utcnow()
    with engine.begin() as conn:
        inserted = conn.execute(
            _insert(engine)(REPORTS)
            .values(resource=resource, episode=episode, status=CLAIMED, origin=origin,
                    claimed_by=worker, claimed_at=now)
            .on_conflict_do_nothing(index_elements=["resource", "episode"])
            .returning(REPORTS.c.id)).first()
        if inserted is not None:
            return int(inserted[0])
    with engine.begin() as conn:  # a claim whose worker died before posting
        taken = conn.execute(
            update(REPORTS)
            .where(REPORTS.c.resource == resource, REPORTS.c.episode == episode,
                   and_(REPORTS.c.status == CLAIMED, REPORTS.c.claimed_at < now - lease))
            .values(claimed_by=worker, claimed_at=now)
            .returning(REPORTS.c.id)).first()
    return int(taken[0]) if taken is not None else None


def release(engine: Engine, report_id: int) -> None:
    """Give a claim back (nothing was posted): the next cycle claims and tries again."""
    with engine.begin() as conn:
        conn.execute(delete(REPORTS).where(REPORTS.c.id == report_id,
                                           REPORTS.c.status == CLAIMED))


def record_post(engine: Engine, report_id: int, threads: list[tuple[str, str]],
                incident_id: int | None, now: datetime | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(
            status=POSTED, posted_at=now or utcnow(), threads=json.dumps(threads),
            incident_id=incident_id))


def threads_of(engine: Engine, resource: str, episode: str) -> list[tuple[str, str]]:
    """Where an episode was posted ([(channel, ts)]), to add to those threads."""
    with engine.connect() as conn:
        row = conn.execute(select(REPORTS.c.threads).where(
            REPORTS.c.resource == resource, REPORTS.c.episode == episode,
            REPORTS.c.status == POSTED)).first()
    return [tuple(pair) for pair in json.loads(row[0])] if row and row[0] else []


# ----- alerts

def store_alert(engine: Engine, key: str, payload: str) -> bool:
    """Keep an alert until it is handled; False for a notification already received."""
    with engine.begin() as conn:
        inserted = conn.execute(
            _insert(engine)(ALERTS)
            .values(alert_id=key, payload=payload, status=PENDING, attempts=0,
                    received_at=utcnow())
            .on_conflict_do_nothing(index_elements=["alert_id"])
            .returning(ALERTS.c.id)).first()
    return inserted is not None


def claim_alert(engine: Engine, key: str, worker: str, now: datetime | None = None,
                lease: timedelta = LEASE) -> str | None:
    """The alert's payload if this worker now handles it (pending, not being handled)."""
    now = now or utcnow()
    with engine.begin() as conn:
        row = conn.execute(
            update(ALERTS)
            .where(ALERTS.c.alert_id == key, ALERTS.c.status == PENDING,
                   or_(ALERTS.c.claimed_at.is_(None), ALERTS.c.claimed_at < now - lease))
            .values(claimed_by=worker, claimed_at=now, attempts=ALERTS.c.attempts + 1)
            .returning(ALERTS.c.payload)).first()
    return row[0] if row is not None else None


def pending_alerts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(ALERTS.c.alert_id).where(ALERTS.c.status == PENDING)
                                 .order_by(ALERTS.c.id)).scalars())


def finish_alert(engine: Engine, key: str, detail: str, *, done: bool) -> None:
    """Record what handling did; a failed attempt stays pending (retried next cycle) until
    MAX_ALERT_ATTEMPTS."""
    with engine.begin() as conn:
        attempts = conn.execute(select(ALERTS.c.attempts).where(ALERTS.c.alert_id == key)
                                ).scalar() or 0
        finished = done or attempts >= MAX_ALERT_ATTEMPTS
        conn.execute(update(ALERTS).where(ALERTS.c.alert_id == key).values(
            status=DONE if finished else PENDING, detail=detail[:1000],
            claimed_at=None if not finished else ALERTS.c.claimed_at))
