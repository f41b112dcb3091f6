"""ISO weeks in a team's time zone: labels, parsing, and the UTC instants that bound them.

Timestamps are stored in UTC; a week is a local notion ("Monday 00:00 in Seoul"), so every query
bound is computed here, once, as a UTC instant. Wall-clock arithmetic on zone-aware datetimes
keeps daylight-saving weeks right (a week is then 167 or 169 hours long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.settings import settings

WEEK_PATTERN = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


class WeekError(ValueError):
    """A week or time zone the user typed that we cannot use; the message says why."""


def zone(name: str | None = None) -> ZoneInfo:
    """The team's time zone: `name`, else DIGEST_TIMEZONE (Asia/Seoul by default)."""
    name = (name or settings().digest_timezone).strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise WeekError(f"unknown time zone {name!r} (use an IANA name like Asia/Seoul)") \
            from error


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = WEEK_PATTERN.match(text.strip())
        if not match:
            raise WeekError(f"week must look like 2026-W07, got {text!r}")
        year, week = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError as error:
            raise WeekError(f"{year} has no ISO week {week}") from error
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def last_completed(cls, now: datetime, tz: ZoneInfo) -> IsoWeek:
        """The week before the one `now` falls in, in the team's time zone."""
        return cls.containing(now.astimezone(tz).date()).previous()

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(days=7))

    def window(self, tz: ZoneInfo) -> WeekWindow:
        return WeekWindow(self, tz)


@dataclass(frozen=True)
class WeekWindow:
    """A week in one time zone: [start, end) and the seven day boundaries, as UTC instants."""

    week: IsoWeek
    tz: ZoneInfo

    def local_midnight(self, day_offset: int) -> datetime:
        day = self.week.monday + timedelta(days=day_offset)
        return datetime.combine(day, time(0), tzinfo=self.tz)

    @property
    def start(self) -> datetime:
        return self.local_midnight(0).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return self.local_midnight(7).astimezone(UTC)

    @property
    def day_ends(self) -> list[datetime]:
        """UTC instant at which each of the seven local days ends (Monday first)."""
        return [self.local_midnight(offset).astimezone(UTC) for offset in range(1, 8)]

    @property
    def days(self) -> list[date]:
        return [self.week.monday + timedelta(days=offset) for offset in range(7)]
