"""Slack wiring for the digest: `/troubleshoot digest [WEEK]` (a preview only the asker sees),
`/troubleshoot digest subscribe [weekday] [time] [timezone] [scope]` and `digest unsubscribe`.

The time is `09:00`, `9am`, `9시`, `오전 9시`, `21시`; the scope is this channel (the default),
channel mentions (`#ml-serving #ml-batch`) or `workspace` / `워크스페이스` / `전체`.

Importing this module registers the sub-command; the Slack app calls the handler after ack().
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from bot.digest.models import DigestSubscription
from bot.digest.schedule import (
    Schedule,
    TimeError,
    parse_time_of_day,
    split_schedule_words,
    weekday_number,
)
from bot.digest.scope import LISTED, MAX_LISTED, SCOPE_WORDS, WORKSPACE, DigestScope, channel_of
from bot.digest.weeks import WEEK_PATTERN, IsoWeek, WeekError, zone
from bot.i18n import Catalog
from bot.mrkdwn import escape
from bot.slack.subcommands import CommandContext, subcommand
from bot.storage import engine_for, normalize_database_url

SUBSCRIPTIONS = DigestSubscription.__table__
log = logging.getLogger(__name__)

STRINGS: dict[str, dict[str, str]] = {
    "usage": {
        "en": "Usage: `/troubleshoot digest [YYYY-Www]` (preview), `/troubleshoot digest "
              "subscribe [weekday] [time] [timezone] [scope]` (default: Monday 09:00 Asia/Seoul, "
              "this channel's incidents; scope: `workspace` or channel mentions), `/troubleshoot "
              "digest unsubscribe`.",
        "ko": "사용법: `/troubleshoot digest [YYYY-Www]` (미리보기), `/troubleshoot digest "
              "subscribe [요일] [시각] [시간대] [범위]` (기본값: 월요일 09:00 Asia/Seoul, 이 "
              "채널의 인시던트. 범위: `워크스페이스` 또는 채널 멘션), `/troubleshoot digest "
              "unsubscribe`.",
    },
    "bad_word": {
        "en": "I could not read `{word}`: expected a weekday (mon…sun, 월…일), a time like 09:00, "
              "9am or 9시, a time zone like Asia/Seoul, `workspace`, or a channel mention.",
        "ko": "입력하신 `{word}` 부분을 이해하지 못했습니다. 요일(월…일, mon…sun), 09:00·9시·오전 "
              "9시 같은 시각, Asia/Seoul 같은 시간대, `워크스페이스`, 또는 채널 멘션을 입력하세요.",
    },
    "bad_time": {
        "en": "`{word}` is not a time of day (00:00–23:59; 오전/오후 take 1–12시).",
        "ko": "`{word}`은 없는 시각입니다 (00:00–23:59, 오전/오후는 1–12시).",
    },
    "twice": {
        "en": "The {what} was given twice.",
        "ko": "같은 항목({what})이 두 번 입력되었습니다.",
    },
    "too_many": {
        "en": "At most {n} channels can be listed.",
        "ko": "채널은 {n}곳까지 지정할 수 있습니다.",
    },
    "subscribed": {
        "en": "Subscribed <#{channel}> to the weekly digest: every {weekday} at {time} ({tz}), "
              "covering {scope}. Next one: {next}. Make sure the bot is a member of this channel.",
        "ko": "<#{channel}> 채널이 주간 요약을 구독했습니다: 매주 {weekday} {time} ({tz}), 범위: "
              "{scope}. 다음 요약: {next}. 봇이 이 채널의 멤버인지 확인하세요.",
    },
    "scope_channel": {
        "en": "this channel's incidents",
        "ko": "이 채널의 인시던트",
    },
    "scope_workspace": {
        "en": "the incidents of every public channel and of this one",
        "ko": "모든 공개 채널과 이 채널의 인시던트",
    },
    "scope_listed": {
        "en": "the incidents of {channels}",
        "ko": "{channels} 채널의 인시던트",
    },
    "private_note": {
        "en": "Incidents of a private channel appear only in that channel's own digest, so "
              "{channels} will be left out here.",
        "ko": "비공개 채널의 인시던트는 그 채널의 요약에만 나오므로 {channels} 채널은 여기서 "
              "빠집니다.",
    },
    "unsubscribed": {
        "en": "<#{channel}> will no longer receive the weekly digest.",
        "ko": "<#{channel}> 채널은 더 이상 주간 요약을 받지 않습니다.",
    },
    "not_subscribed": {
        "en": "<#{channel}> was not subscribed to the weekly digest.",
        "ko": "<#{channel}> 채널은 주간 요약을 구독하고 있지 않았습니다.",
    },
    "preview": {
        "en": "Preview, visible only to you (the posted digest also has a chart):",
        "ko": "나만 보이는 미리보기입니다 (게시되는 요약에는 차트도 첨부됩니다):",
    },
    "weekday": {
        "en": "weekday",
        "ko": "요일",
    },
    "time": {
        "en": "time",
        "ko": "시각",
    },
    "timezone": {
        "en": "time zone",
        "ko": "시간대",
    },
    "scope": {
        "en": "scope",
        "ko": "범위",
    },
}
t = Catalog(STRINGS)
WEEKDAY_LABELS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}


class SubscribeError(ValueError):
    """The user's subscribe arguments cannot be used; the message says why, in their language."""


def _t(lang: str) -> dict[str, str]:
    """This language's templates, for the code below that uses many of them at once."""
    return {key: t(key, lang) for key in STRINGS}


IGNORED_WORDS = {"매주", "every", "at", "on", "에"}  # "매주 월요일 9시에", "every monday at 9am"


def parse_subscription(text: str, lang: str = "en") -> tuple[Schedule, DigestScope]:
    """`[weekday] [time] [timezone] [scope]` in any order; what is left out keeps its default."""
    t = _t(lang)
    found: dict[str, Any] = {}
    listed: list[str] = []

    def keep(kind: str, value: Any) -> None:
        if kind in found:
            raise SubscribeError(t["twice"].format(what=t[kind]))
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
            raise SubscribeError(t["bad_time"].format(word=token[:40])) from error
        if clock is not None:
            keep("time", clock)
        elif token.lower() in SCOPE_WORDS:
            keep("scope", SCOPE_WORDS[token.lower()])
        else:
            try:
                keep("timezone", zone(token).key)
            except WeekError as error:
                raise SubscribeError(t["bad_word"].format(word=token[:40])) from error
    if len(listed) > MAX_LISTED:
        raise SubscribeError(t["too_many"].format(n=MAX_LISTED))
    if listed and found.get("scope") == WORKSPACE:
        raise SubscribeError(t["twice"].format(what=t["scope"]))
    scope = (DigestScope(LISTED, tuple(listed)) if listed
             else DigestScope(found.get("scope", "channel")))
    schedule = Schedule(weekday=found.get("weekday", 0), time_of_day=found.get("time", "09:00"),
                        timezone=found.get("timezone", "Asia/Seoul"))
    return schedule, scope


def _engine(ctx: CommandContext) -> Any:
    return engine_for(normalize_database_url(ctx.database_url))


def _ephemeral(ctx: CommandContext, text: str, blocks: list[dict] | None = None) -> None:
    payload: dict[str, Any] = {"text": text, "response_type": "ephemeral"}
    if blocks:
        payload["blocks"] = blocks
    ctx.respond(**payload)


def _scope_text(ctx: CommandContext, scope: DigestScope) -> str:
    t = _t(ctx.lang)
    if scope.kind == WORKSPACE:
        return t["scope_workspace"]
    if scope.kind == LISTED:
        return t["scope_listed"].format(channels=", ".join(f"<#{c}>" for c in scope.channels))
    return t["scope_channel"]


def _private_listed(ctx: CommandContext, scope: DigestScope) -> list[str]:
    """The listed channels (other than this one) whose incidents privacy keeps out."""
    from bot.slack.privacy import audience_for

    others = set(scope.channels) - {ctx.channel}
    if scope.kind != LISTED or not others:
        return []
    audience = audience_for(ctx.client, ctx.database_url, workspace=ctx.workspace,
                            channel=ctx.channel)
    visible = audience.visible(others)
    return [channel for channel in scope.channels if channel in others - visible]


def subscribe(ctx: CommandContext, text: str, *, now: datetime | None = None) -> None:
    t = _t(ctx.lang)
    schedule, scope = parse_subscription(text, ctx.lang)
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
              "created_at": now, "updated_by": ctx.user, "updated_at": now,
              **scope.columns()}
    statement = insert(SUBSCRIPTIONS).values(channel=ctx.channel, **values)
    with engine.begin() as conn:
        conn.execute(statement.on_conflict_do_update(index_elements=["channel"], set_=values))
    next_local = schedule.next_due(now).astimezone(zone(schedule.timezone))
    text = t["subscribed"].format(
        channel=ctx.channel, weekday=WEEKDAY_LABELS.get(ctx.lang, WEEKDAY_LABELS["en"])[
            schedule.weekday], time=schedule.time_of_day, tz=schedule.timezone,
        scope=_scope_text(ctx, scope), next=next_local.strftime("%Y-%m-%d %H:%M"))
    private = _private_listed(ctx, scope)
    if private:
        text += "\n" + t["private_note"].format(channels=", ".join(f"<#{c}>" for c in private))
    _ephemeral(ctx, text)


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
    from bot.digest.posting import channel_settings, digest_for
    from bot.digest.render import render_message
    from bot.slack.privacy import PrivacyLookup

    engine = _engine(ctx)
    settings = channel_settings(engine, ctx.channel)
    tz = zone(settings.timezone)
    week = (IsoWeek.parse(week_text) if week_text
            else IsoWeek.last_completed(datetime.now(UTC), tz))
    # What the channel's digest would show: its scope, under the same privacy rule.
    lookup = PrivacyLookup(ctx.client, ctx.database_url, settings.workspace or ctx.workspace)
    digest = digest_for(engine, ctx.channel, week, settings, lookup.public_among)

    message = render_message(digest, ctx.lang)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": _t(ctx.lang)["preview"]}]}
    _ephemeral(ctx, message["text"], [note, *message["blocks"]][:50])


@subcommand("digest",
            help_en="`digest` preview the weekly digest · `digest subscribe [weekday] [time] "
                    "[timezone] [workspace | #channels]` · `digest unsubscribe`",
            help_ko="`digest` 주간 요약 미리보기 · `digest subscribe [요일] [시각] [시간대] "
                    "[워크스페이스 | #채널]` (예: `월요일 9시`) · `digest unsubscribe`")
def digest_command(ctx: CommandContext) -> None:
    words = ctx.args.split()
    action = words[0].lower() if words else ""
    try:
        if action in ("", "preview"):
            preview(ctx, words[1] if len(words) > 1 else None)
        elif WEEK_PATTERN.match(action):
            preview(ctx, action)
        elif action in ("subscribe", "구독"):
            subscribe(ctx, ctx.args.split(None, 1)[1] if len(words) > 1 else "")
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
