"""Which channels get the weekly digest and when: reading what people type for a schedule, and
the `digest_subscriptions` rows. No Slack here; `bot.slack.listeners.digest` is the front end."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.digest.models import DigestSubscription
from bot.digest.schedule import TIME_PATTERN, WEEKDAYS, Schedule
from bot.digest.weeks import WeekError, zone

SUBSCRIPTIONS = DigestSubscription.__table__
log = logging.getLogger(__name__)

# "9시", "9시30분", "9시 반", "오후3시": the way Korean speakers write a time of day.
KOREAN_TIME = re.compile(r"^(오전|오후)?(\d{1,2})시(?:(\d{1,2})분|반)?$")
ENGLISH_TIME = re.compile(r"^(\d{1,2})(?::([0-5]\d))?(am|pm)$")
MERIDIEM = {"오전": "am", "오후": "pm", "am": "am", "pm": "pm"}


@dataclass
class SubscribeError(ValueError):
    """The subscribe arguments cannot be used. `key` names the sentence (in the front end's
    catalog), `values` fill it."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key}: {self.values}"


def _clock(hour: int, minute: int, meridiem: str | None) -> str | None:
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _time_of(token: str, meridiem: str | None) -> str | None:
    """`09:00`, `9시`, `9시30분`, `오후 3시` (meridiem given apart), `9am` -> "HH:MM"."""
    if match := TIME_PATTERN.match(token):
        return _clock(int(match.group(1)), int(match.group(2)), meridiem)
    if match := KOREAN_TIME.match(token):
        minute = 30 if token.endswith("반") else int(match.group(3) or 0)
        return _clock(int(match.group(2)), minute, MERIDIEM.get(match.group(1) or "", meridiem))
    if match := ENGLISH_TIME.match(token):
        return _clock(int(match.group(1)), int(match.group(2) or 0), match.group(3))
    return None


def parse_schedule(words: list[str]) -> Schedule:
    """`[weekday] [time] [timezone]` in any order; what is left out keeps its default."""
    found: dict[str, Any] = {}
    meridiem: str | None = None

    def keep(kind: str, value: Any) -> None:
        if kind in found:
            raise SubscribeError("twice", {"what": kind})
        found[kind] = value

    # "9시 30분" and "5시 반" are one time of day however they were spaced.
    joined = re.sub(r"(\d)시\s+(반|\d{1,2}분)", r"\1시\2", " ".join(words))
    for word in joined.split():
        token = word.strip().strip(",")
        if not token:
            continue
        lowered = token.lower()
        if lowered in ("오전", "오후", "am", "pm"):
            meridiem = MERIDIEM[lowered]
            continue
        if lowered in WEEKDAYS:
            keep("weekday", WEEKDAYS[lowered])
        elif (time_of_day := _time_of(lowered, meridiem)) is not None:
            keep("time", time_of_day)
        else:
            try:
                keep("timezone", zone(token).key)
            except WeekError as error:
                raise SubscribeError("bad_word", {"word": token[:40]}) from error
    return Schedule(weekday=found.get("weekday", 0), time_of_day=found.get("time", "09:00"),
                    timezone=found.get("timezone", "Asia/Seoul"))


def subscribe(engine: Engine, *, workspace: str, channel: str, user: str, language: str,
              schedule: Schedule, now: datetime | None = None) -> datetime:
    """Create or change the channel's subscription; the next digest's local time."""
    now = now or datetime.now(UTC)
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"workspace": workspace, "weekday": schedule.weekday,
              "time_of_day": schedule.time_of_day, "timezone": schedule.timezone,
              "language": language, "created_by": user,
              # the schedule counts from now: an earlier due time is not "missed"
              "created_at": now, "updated_by": user, "updated_at": now}
    statement = insert(SUBSCRIPTIONS).values(channel=channel, **values)
    with engine.begin() as conn:
        conn.execute(statement.on_conflict_do_update(index_elements=["channel"], set_=values))
    return schedule.next_due(now).astimezone(zone(schedule.timezone))


def unsubscribe(engine: Engine, *, channel: str, user: str) -> bool:
    """Stop the channel's digest; whether it had one."""
    with engine.begin() as conn:
        removed = conn.execute(delete(SUBSCRIPTIONS)
                               .where(SUBSCRIPTIONS.c.channel == channel)).rowcount
    if removed:  # the row is gone, so the server log is where "who stopped it" is kept
        log.info("digest unsubscribed: channel=%s by=%s", channel, user)
    return bool(removed)
