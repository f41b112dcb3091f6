"""When each subscribed channel's digest is due, and posting the ones that are.

A subscription says "weekday HH:MM in time zone Z". The digest for ISO week W is due at that
weekday and time in week W+1 (the default, Monday 09:00, posts last week's digest on Monday
morning). At any moment the only week considered is the most recent one whose due time has
passed: a worker that was down over a due time posts that digest once when it returns, and a
worker that was down for three weeks posts only the latest missed week, not a backlog of stale
digests. Due times before the subscription was made (or last changed) are not caught up.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from bot.digest.posting import (
    DEFAULT_LEASE,
    POSTED,
    RUNS,
    SUBSCRIPTIONS,
    PostOutcome,
    post_digest_once,
)
from bot.digest.weeks import IsoWeek, zone

log = logging.getLogger(__name__)

WEEKDAY_NAMES = {
    0: ("mon", "monday", "월", "월요일"),
    1: ("tue", "tues", "tuesday", "화", "화요일"),
    2: ("wed", "wednesday", "수", "수요일"),
    3: ("thu", "thur", "thurs", "thursday", "목", "목요일"),
    4: ("fri", "friday", "금", "금요일"),
    5: ("sat", "saturday", "토", "토요일"),
    6: ("sun", "sunday", "일", "일요일"),
}
WEEKDAYS = {name: number for number, names in WEEKDAY_NAMES.items() for name in names}
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    weekday: int = 0  # 0 = Monday
    time_of_day: str = "09:00"
    timezone: str = "Asia/Seoul"

    def local_time(self) -> time:
        hours, minutes = self.time_of_day.split(":")
        return time(int(hours), int(minutes))

    def due_at(self, week: IsoWeek) -> datetime:
        """The UTC instant at which `week`'s digest is due (in the following week)."""
        day = week.next().monday + timedelta(days=self.weekday)
        return datetime.combine(day, self.local_time(), tzinfo=zone(self.timezone)).astimezone(UTC)

    def latest_due(self, now: datetime) -> IsoWeek | None:
        """The week whose digest was due most recently at `now` (None before any was due)."""
        local_today = now.astimezone(zone(self.timezone)).date()
        week = IsoWeek.containing(local_today).previous()
        for candidate in (week, week.previous()):
            if self.due_at(candidate) <= now:
                return candidate
        return None  # pragma: no cover - the week before last is always due

    def next_due(self, now: datetime) -> datetime:
        week = self.latest_due(now) or IsoWeek.containing(now.date()).previous()
        return self.due_at(week.next())


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def due_digests(engine: Engine, now: datetime) -> list[tuple[str, IsoWeek]]:
    """(channel, week) pairs whose digest is due at `now` and not yet posted."""
    with engine.connect() as conn:
        subscriptions = conn.execute(select(SUBSCRIPTIONS)).all()
        recent = now - timedelta(days=21)  # the due week is at most two weeks old
        posted = {(row.channel, row.week) for row in conn.execute(
            select(RUNS.c.channel, RUNS.c.week)
            .where(RUNS.c.status == POSTED, RUNS.c.claimed_at >= recent))}
    due: list[tuple[str, IsoWeek]] = []
    for row in subscriptions:
        try:
            schedule = Schedule(row.weekday, row.time_of_day, row.timezone)
            week = schedule.latest_due(now)
        except Exception as error:  # a bad row must not stop the other channels' digests
            log.warning("digest subscription for %s is unusable: %s", row.channel, error)
            continue
        if week is None or (row.channel, week.label) in posted:
            continue
        if row.created_at is not None and schedule.due_at(week) < as_utc(row.created_at):
            continue  # due before the channel subscribed: nothing to catch up
        due.append((row.channel, week))
    return due


def run_due_digests(engine: Engine, client: Any, now: datetime, *, worker: str | None = None,
                    lease: timedelta = DEFAULT_LEASE) -> list[PostOutcome]:
    """Post every digest that is due at `now`; safe to run on any number of workers at once.

    A failed post (say, the bot is not in the channel) is retried, at most once per lease.
    """
    outcomes = []
    for channel, week in due_digests(engine, now):
        outcome = post_digest_once(engine, client, channel, week, worker=worker, now=now,
                                   lease=lease, retry_failed_after=lease)
        log.info("digest %s for %s: %s", week.label, channel, outcome.status)
        outcomes.append(outcome)
    return outcomes
