"""Which channels get the weekly digest and when: reading what people type for a schedule, and
the `digest_subscriptions` rows, with their scope. No Slack here; `bot.slack.listeners.digest` is
the front end."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.digest.models import DigestSubscription
from bot.digest.schedule import (
    Schedule,
    TimeError,
    parse_time_of_day,
    split_schedule_words,
    weekday_number,
)
from bot.digest.scope import LISTED, MAX_LISTED, SCOPE_WORDS, WORKSPACE, DigestScope, channel_of
from bot.digest.weeks import WeekError, zone

SUBSCRIPTIONS = DigestSubscription.__table__
log = logging.getLogger(__name__)

IGNORED_WORDS = {"매주", "every", "at", "on", "에"}  # "매주 월요일 9시에", "every monday at 9am"


@dataclass
class SubscribeError(ValueError):
    """The subscribe arguments cannot be used. `key` names the sentence (in the front end's
    catalog), `values` fill it."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key}: {self.values}"


def parse_subscription(text: str) -> tuple[Schedule, DigestScope]:
    """`[weekday] [time] [timezone] [scope]` in any order; what is left out keeps its default.

    Weekdays `mon`, `Monday`, `월`, `월요일(에)`; times `09:00`, `9am`, `9시`, `오전 9시`,
    `오후 6시 반`, `21시` (bot.digest.schedule); the scope `workspace` / `워크스페이스` / `전체`,
    or channel mentions (bot.digest.scope); nothing means this channel.
    """
    found: dict[str, Any] = {}
    listed: list[str] = []

    def keep(kind: str, value: Any) -> None:
        if kind in found:
            raise SubscribeError("twice", {"what": kind})
        found[kind] = value

    for word in split_schedule_words(text):
        token = word.strip().strip(",")
        if not token or token.lower() in IGNORED_WORDS:
            continue
        if (channel := channel_of(token)) is not None:
            if channel not in listed:
                listed.append(channel)
            continue
        if (weekday := weekday_number(token)) is not None:
            keep("weekday", weekday)
            continue
        try:
            clock = parse_time_of_day(token.removesuffix("에"))
        except TimeError as error:
            raise SubscribeError("bad_time", {"word": token[:40]}) from error
        if clock is not None:
            keep("time", clock)
        elif token.lower() in SCOPE_WORDS:
            keep("scope", SCOPE_WORDS[token.lower()])
        else:
            try:
                keep("timezone", zone(token).key)
            except WeekError as error:
                raise SubscribeError("bad_word", {"word": token[:40]}) from error
    if len(listed) > MAX_LISTED:
        raise SubscribeError("too_many", {"n": str(MAX_LISTED)})
    if listed and found.get("scope") == WORKSPACE:
        raise SubscribeError("twice", {"what": "scope"})
    scope = (DigestScope(LISTED, tuple(listed)) if listed
             else DigestScope(found.get("scope", "channel")))
    schedule = Schedule(weekday=found.get("weekday", 0), time_of_day=found.get("time", "09:00"),
                        timezone=found.get("timezone", "Asia/Seoul"))
    return schedule, scope


def parse_schedule(words: list[str]) -> Schedule:
    """The schedule alone, from the words after `subscribe`."""
    return parse_subscription(" ".join(words))[0]


def subscribe(engine: Engine, *, workspace: str, channel: str, user: str, language: str,
              schedule: Schedule, scope: DigestScope | None = None,
              now: datetime | None = None) -> datetime:
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
              "created_at": now, "updated_by": user, "updated_at": now,
              **(scope or DigestScope()).columns()}
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
