"""Slack wiring for the digest: `/troubleshoot digest [WEEK]` (a preview only the asker sees),
`/troubleshoot digest subscribe [weekday] [HH:MM] [timezone]` and `digest unsubscribe`.

Importing this module registers the sub-command; the Slack app calls the handler after ack().
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from bot.db import engine_for, normalize_database_url
from bot.digest.schedule import TIME_PATTERN, WEEKDAYS, Schedule
from bot.digest.weeks import WEEK_PATTERN, IsoWeek, WeekError, zone
from bot.incidents.models import DigestSubscription
from bot.mrkdwn import escape
from bot.slack.subcommands import CommandContext, subcommand

SUBSCRIPTIONS = DigestSubscription.__table__
log = logging.getLogger(__name__)

TEXT = {
    "en": {
        "usage": "Usage: `/troubleshoot digest [YYYY-Www]` (preview), "
                 "`/troubleshoot digest subscribe [weekday] [HH:MM] [timezone]` "
                 "(default Monday 09:00 Asia/Seoul), `/troubleshoot digest unsubscribe`.",
        "bad_word": "I could not read `{word}`: expected a weekday (mon…sun, 월…일), "
                    "a time like 09:00, or a time zone like Asia/Seoul.",
        "twice": "The {what} was given twice.",
        "subscribed": "Subscribed <#{channel}> to the weekly digest: every {weekday} at {time} "
                      "({tz}). Next one: {next}. Make sure the bot is a member of this channel.",
        "unsubscribed": "<#{channel}> will no longer receive the weekly digest.",
        "not_subscribed": "<#{channel}> was not subscribed to the weekly digest.",
        "preview": "Preview, visible only to you (the posted digest also has a chart):",
        "weekday": "weekday",
        "time": "time",
        "timezone": "time zone",
    },
    "ko": {
        "usage": "사용법: `/troubleshoot digest [YYYY-Www]` (미리보기), "
                 "`/troubleshoot digest subscribe [요일] [HH:MM] [시간대]` "
                 "(기본값 월요일 09:00 Asia/Seoul), `/troubleshoot digest unsubscribe`.",
        "bad_word": "`{word}`을(를) 이해하지 못했습니다: 요일(월…일, mon…sun), "
                    "09:00 같은 시각, 또는 Asia/Seoul 같은 시간대를 입력하세요.",
        "twice": "{what}이(가) 두 번 입력되었습니다.",
        "subscribed": "<#{channel}> 채널이 주간 요약을 구독했습니다: 매주 {weekday} {time} ({tz}). "
                      "다음 요약: {next}. 봇이 이 채널의 멤버인지 확인하세요.",
        "unsubscribed": "<#{channel}> 채널은 더 이상 주간 요약을 받지 않습니다.",
        "not_subscribed": "<#{channel}> 채널은 주간 요약을 구독하고 있지 않았습니다.",
        "preview": "나만 보이는 미리보기입니다 (게시되는 요약에는 차트도 첨부됩니다):",
        "weekday": "요일",
        "time": "시각",
        "timezone": "시간대",
    },
}
WEEKDAY_LABELS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}


class SubscribeError(ValueError):
    """The user's subscribe arguments cannot be used; the message says why, in their language."""


def _t(lang: str) -> dict[str, str]:
    return TEXT.get(lang, TEXT["en"])


def parse_schedule(words: list[str], lang: str = "en") -> Schedule:
    """`[weekday] [HH:MM] [timezone]` in any order; what is left out keeps its default."""
    t = _t(lang)
    found: dict[str, Any] = {}

    def keep(kind: str, value: Any) -> None:
        if kind in found:
            raise SubscribeError(t["twice"].format(what=t[kind]))
        found[kind] = value

    for word in words:
        token = word.strip().strip(",")
        if not token:
            continue
        if token.lower() in WEEKDAYS:
            keep("weekday", WEEKDAYS[token.lower()])
        elif match := TIME_PATTERN.match(token):
            keep("time", f"{int(match.group(1)):02d}:{match.group(2)}")
        else:
            try:
                keep("timezone", zone(token).key)
            except WeekError as error:
                raise SubscribeError(t["bad_word"].format(word=token[:40])) from error
    return Schedule(weekday=found.get("weekday", 0), time_of_day=found.get("time", "09:00"),
                    timezone=found.get("timezone", "Asia/Seoul"))


def _engine(ctx: CommandContext) -> Any:
    return engine_for(normalize_database_url(ctx.database_url))


def _ephemeral(ctx: CommandContext, text: str, blocks: list[dict] | None = None) -> None:
    payload: dict[str, Any] = {"text": text, "response_type": "ephemeral"}
    if blocks:
        payload["blocks"] = blocks
    ctx.respond(**payload)


def subscribe(ctx: CommandContext, words: list[str], *, now: datetime | None = None) -> None:
    t = _t(ctx.lang)
    schedule = parse_schedule(words, ctx.lang)
    now = now or datetime.now(UTC)
    engine = _engine(ctx)
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"workspace": ctx.workspace, "weekday": schedule.weekday,
              "time_of_day": schedule.time_of_day, "timezone": schedule.timezone,
              "language": ctx.lang, "created_by": ctx.user,
              # the schedule counts from now: an earlier due time is not "missed"
              "created_at": now, "updated_by": ctx.user, "updated_at": now}
    statement = insert(SUBSCRIPTIONS).values(channel=ctx.channel, **values)
    with engine.begin() as conn:
        conn.execute(statement.on_conflict_do_update(index_elements=["channel"], set_=values))
    next_local = schedule.next_due(now).astimezone(zone(schedule.timezone))
    _ephemeral(ctx, t["subscribed"].format(
        channel=ctx.channel, weekday=WEEKDAY_LABELS.get(ctx.lang, WEEKDAY_LABELS["en"])[
            schedule.weekday], time=schedule.time_of_day, tz=schedule.timezone,
        next=next_local.strftime("%Y-%m-%d %H:%M")))


def unsubscribe(ctx: CommandContext) -> None:
    t = _t(ctx.lang)
    with _engine(ctx).begin() as conn:
        removed = conn.execute(delete(SUBSCRIPTIONS)
                               .where(SUBSCRIPTIONS.c.channel == ctx.channel)).rowcount
    if removed:  # the row is gone, so the server log is where "who stopped it" is kept
        log.info("digest unsubscribed: channel=%s by=%s", ctx.channel, ctx.user)
    key = "unsubscribed" if removed else "not_subscribed"
    _ephemeral(ctx, t[key].format(channel=ctx.channel))


def preview(ctx: CommandContext, week_text: str | None = None) -> None:
    from bot.digest.figures import compute_digest
    from bot.digest.posting import channel_settings
    from bot.digest.render import render_message

    engine = _engine(ctx)
    tz = zone(channel_settings(engine, ctx.channel).timezone)
    week = (IsoWeek.parse(week_text) if week_text
            else IsoWeek.last_completed(datetime.now(UTC), tz))
    digest = compute_digest(engine, week, tz, channel=ctx.channel)
    message = render_message(digest, ctx.lang)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": _t(ctx.lang)["preview"]}]}
    _ephemeral(ctx, message["text"], [note, *message["blocks"]][:50])


@subcommand("digest",
            help_en="`digest` preview the weekly digest · `digest subscribe [weekday] [HH:MM] "
                    "[timezone]` · `digest unsubscribe`",
            help_ko="`digest` 주간 요약 미리보기 · `digest subscribe [요일] [HH:MM] [시간대]` · "
                    "`digest unsubscribe`")
def digest_command(ctx: CommandContext) -> None:
    words = ctx.args.split()
    action = words[0].lower() if words else ""
    try:
        if action in ("", "preview"):
            preview(ctx, words[1] if len(words) > 1 else None)
        elif WEEK_PATTERN.match(action):
            preview(ctx, action)
        elif action in ("subscribe", "구독"):
            subscribe(ctx, words[1:])
        elif action in ("unsubscribe", "구독취소", "구독해지"):
            unsubscribe(ctx)
        else:
            _ephemeral(ctx, _t(ctx.lang)["usage"])
    except (SubscribeError, WeekError) as error:
        # The message quotes what was typed (`subscribe <!channel>`): shown, never a ping.
        _ephemeral(ctx, f"{escape(str(error))}\n{_t(ctx.lang)['usage']}")


def register(app: Any) -> None:
    """The digest has no buttons or views of its own; importing this module registered
    the `digest` sub-command."""
