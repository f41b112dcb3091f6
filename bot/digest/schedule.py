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
    PrivacyFor,
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
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")  # 09:00, 9:30 (24:00 is read, then refused)
# How Korean speakers write a time: "9시", "9시30분", "오전 9시", "오후 9시 30분", "21시",
# "21시 반". The half-day word may stand apart from the hour ("오전 9시"), so the phrase is read
# from the whole argument text before it is split into words.
KOREAN_TIME = re.compile(
    r"(?:(?P<half>오전|오후|아침|저녁|밤)\s*)?(?P<hour>\d{1,2})\s*시"
    r"(?:\s*(?:(?P<minute>\d{1,2})\s*분|(?P<half_hour>반)))?")
# "9am", "9:30pm", "9 pm": the English counterpart, for people who type it that way.
ENGLISH_TIME = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>[0-5]\d))?\s*(?P<half>am|pm)$",
                          re.IGNORECASE)
AFTERNOON = ("오후", "저녁", "밤", "pm")


class TimeError(ValueError):
    """A time of day that does not exist (25시, 오후 13시)."""


def _clock(hour: int, minute: int, half: str | None) -> str:
    half = (half or "").lower() or None
    if half is not None:
        if not 1 <= hour <= 12:
            raise TimeError(f"{hour} with {half}")
        hour = hour % 12 + (12 if half in AFTERNOON else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise TimeError(f"{hour}:{minute:02d}")
    return f"{hour:02d}:{minute:02d}"


def parse_time_of_day(token: str) -> str | None:
    """HH:MM for "09:00", "9:30", "9am", "9시", "오전 9시", "오후 9시 30분", "21시"; None when the
    token is no time at all; TimeError when it is one that does not exist ("25시")."""
    token = token.strip()
    if match := CLOCK.match(token):
        return _clock(int(match.group(1)), int(match.group(2)), None)
    if match := ENGLISH_TIME.match(token):
        return _clock(int(match["hour"]), int(match["minute"] or 0), match["half"])
    if (match := KOREAN_TIME.fullmatch(token)):
        minute = 30 if match["half_hour"] else int(match["minute"] or 0)
        return _clock(int(match["hour"]), minute, match["half"])
    return None


def split_schedule_words(text: str) -> list[str]:
    """The words of `subscribe ...`, with a Korean time phrase ("오후 9시 30분") kept as one."""
    words: list[str] = []
    position = 0
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", text, flags=re.IGNORECASE)  # "9 pm"
    for match in KOREAN_TIME.finditer(text):
        words += text[position:match.start()].split()
        words.append(match.group(0))
        position = match.end()
    return words + text[position:].split()


def weekday_number(token: str) -> int | None:
    """0-6 for "mon", "Monday", "월", "월요일", "월요일에"; None for anything else."""
    word = token.strip().lower()
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    if word.endswith(("에", "마다")):  # "월요일에", "월요일마다"
        return WEEKDAYS.get(word.removesuffix("에").removesuffix("마다"))
    return None


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
                    lease: timedelta = DEFAULT_LEASE,
                    privacy: PrivacyFor | None = None) -> list[PostOutcome]:
    """Post every digest that is due at `now`; safe to run on any number of workers at once.

    A failed post (say, the bot is not in the channel) is retried, at most once per lease.
    """
    outcomes = []
    for channel, week in due_digests(engine, now):
        outcome = post_digest_once(engine, client, channel, week, privacy=privacy, worker=worker,
                                   now=now, lease=lease, retry_failed_after=lease)
        log.info("digest %s for %s: %s", week.label, channel, outcome.status)
        outcomes.append(outcome)
    return outcomes
