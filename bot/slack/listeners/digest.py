"""`/troubleshoot digest [WEEK]` (a preview only the asker sees), `digest subscribe [weekday]
[time] [timezone] [scope]` and `digest unsubscribe`: the Slack side of the digest domain.

Korean works as typed: `/troubleshoot 구독 월요일 9시 워크스페이스` is `digest subscribe mon 09:00
workspace`. The rows and the parsing live in bot.digest.subscriptions; the preview shows what the
channel's digest would: its scope, under the same privacy rule (bot.slack.privacy).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.digest.scope import LISTED, THIS_CHANNEL, WORKSPACE, DigestScope
from bot.digest.subscriptions import SubscribeError, parse_subscription, subscribe, unsubscribe
from bot.digest.weeks import WEEK_PATTERN, IsoWeek, WeekError, zone
from bot.i18n import Catalog
from bot.mrkdwn import escape
from bot.slack.channel_names import with_channel_ids
from bot.slack.subcommands import CommandContext, Subcommand
from bot.storage import engine_for, normalize_database_url

STRINGS: dict[str, dict[str, str]] = {
    "usage": {"en": "Usage: `/troubleshoot digest [YYYY-Www]` (preview), "
                    "`/troubleshoot digest subscribe [weekday] [time] [timezone] [scope]` "
                    "(default: Monday 09:00 Asia/Seoul, this channel's incidents; scope: "
                    "`workspace` or channel mentions), `/troubleshoot digest unsubscribe`.",
              "ko": "사용법: `/troubleshoot 요약 [YYYY-Www]` (미리보기), "
                    "`/troubleshoot 구독 [요일] [시각] [시간대] [범위]` "
                    "(기본값 월요일 9시 Asia/Seoul, 이 채널의 인시던트. 범위: `워크스페이스` 또는 "
                    "채널 멘션. 예: `구독 월요일 9시 워크스페이스`), `/troubleshoot 구독취소`."},
    # The same words whether or not a private channel has that name (bot.slack.channel_names).
    "unknown_channel": {"en": "I could not find the channel {word}: check its name. A private "
                              "channel's incidents appear only in its own digest: subscribe "
                              "from inside it (after inviting the bot).",
                        "ko": "{word} 채널을 찾지 못했습니다. 이름을 확인하세요. 비공개 채널의 "
                              "인시던트는 그 채널의 요약에만 나오니, 봇을 초대한 뒤 그 채널 "
                              "안에서 구독하세요."},
    "bad_word": {"en": "I could not read `{word}`: expected a weekday (mon…sun, 월…일), "
                       "a time like 09:00, 9am or 9시, a time zone like Asia/Seoul, "
                       "`workspace`, or a channel mention.",
                 "ko": "`{word}` 부분을 이해하지 못했습니다. 요일(월…일, mon…sun), "
                       "09:00·9시·오전 9시 같은 시각, Asia/Seoul 같은 시간대, `워크스페이스`, "
                       "또는 채널 멘션을 입력하세요."},
    "bad_time": {"en": "`{word}` is not a time of day (00:00–23:59; 오전/오후 take 1–12시).",
                 "ko": "`{word}`: 없는 시각입니다 (00:00–23:59, 오전/오후는 1–12시)."},
    "twice": {"en": "The {what} was given twice.", "ko": "{what} 항목이 두 번 입력되었습니다."},
    "too_many": {"en": "At most {n} channels can be listed.",
                 "ko": "채널은 {n}곳까지 지정할 수 있습니다."},
    "bad_week": {"en": "`{week}` is not a week I can read (YYYY-Www, e.g. 2026-W47).",
                 "ko": "주 표기를 읽지 못했습니다: `{week}` (YYYY-Www 형식, 예: 2026-W47)."},
    "subscribed": {"en": "Subscribed <#{channel}> to the weekly digest: every {weekday} at "
                         "{time} ({tz}), covering {scope}. Next one: {next}. Make sure the bot "
                         "is a member of this channel.",
                   "ko": "<#{channel}> 채널에서 주간 요약을 구독했습니다: 매주 {weekday} "
                         "{time} ({tz}), 범위: {scope}. 다음 요약: {next}. 봇이 이 채널에 "
                         "초대되어 있는지 확인하세요."},
    "scope_channel": {"en": "this channel's incidents", "ko": "이 채널의 인시던트"},
    "scope_workspace": {"en": "the incidents of every public channel and of this one",
                        "ko": "모든 공개 채널과 이 채널의 인시던트"},
    "scope_listed": {"en": "the incidents of {channels}", "ko": "{channels} 채널의 인시던트"},
    "scope_shared": {"en": "this channel's incidents only (people outside this workspace may "
                           "read this channel, so no other channel's incidents are shown here)",
                     "ko": "이 채널의 인시던트만 (이 워크스페이스 밖의 사람도 읽을 수 있는 "
                           "채널이라 다른 채널의 인시던트는 보여 주지 않습니다)"},
    "private_note": {"en": "Incidents of a private channel appear only in that channel's own "
                           "digest, so {channels} will be left out here.",
                     "ko": "비공개 채널의 인시던트는 그 채널의 요약에만 나오므로 {channels} 채널은 "
                           "여기서 빠집니다."},
    "unsubscribed": {"en": "<#{channel}> will no longer receive the weekly digest.",
                     "ko": "<#{channel}> 채널은 더 이상 주간 요약을 받지 않습니다."},
    "not_subscribed": {"en": "<#{channel}> was not subscribed to the weekly digest.",
                       "ko": "<#{channel}> 채널은 주간 요약을 구독하고 있지 않았습니다."},
    "preview": {"en": "Preview, visible only to you: what this channel's digest would show "
                      "(the posted digest also has a chart):",
                "ko": "나만 보이는 미리보기입니다. 이 채널의 요약에 나올 내용입니다 "
                      "(게시되는 요약에는 차트도 들어갑니다):"},
    "weekday": {"en": "weekday", "ko": "요일"},
    "time": {"en": "time", "ko": "시각"},
    "timezone": {"en": "time zone", "ko": "시간대"},
    "scope": {"en": "scope", "ko": "범위"},
}
t = Catalog(STRINGS)
WEEKDAY_LABELS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
SUBSCRIBE_WORDS = ("subscribe", "구독")
UNSUBSCRIBE_WORDS = ("unsubscribe", "구독취소", "구독해지", "해지")


def _engine(ctx: CommandContext) -> Any:
    return engine_for(normalize_database_url(ctx.database_url))


def _scope_text(ctx: CommandContext, scope: DigestScope) -> str:
    if scope.kind == WORKSPACE:
        return t("scope_workspace", ctx.lang)
    if scope.kind == LISTED:
        return t("scope_listed", ctx.lang,
                 channels=", ".join(f"<#{channel}>" for channel in scope.channels))
    return t("scope_channel", ctx.lang)


def _private_listed(ctx: CommandContext, scope: DigestScope) -> list[str]:
    """The listed channels (other than this one) whose incidents privacy keeps out."""
    from bot.slack.privacy import audience_for

    others = set(scope.channels) - {ctx.channel}
    if scope.kind != LISTED or not others:
        return []
    audience = audience_for(ctx.client, ctx.database_url, workspace=ctx.workspace,
                            channel=ctx.channel)
    hidden = others - audience.visible(others)
    return [channel for channel in scope.channels if channel in hidden]


def _read_by_this_workspace_only(ctx: CommandContext) -> bool:
    """Whether only this workspace's people read this channel (not Slack Connect): a wider
    scope is honoured only then (bot.slack.privacy.audience_for), and the reply says so."""
    from bot.slack.privacy import PrivacyLookup

    return PrivacyLookup(ctx.client, ctx.database_url, ctx.workspace).internal(ctx.channel)


def _subscribe(ctx: CommandContext, text: str, *, now: datetime | None = None) -> None:
    # `#ml-serving` typed as text (the command is not escaped) becomes <#C…|ml-serving>.
    text, unknown = with_channel_ids(ctx.client, text, typed_in=ctx.channel)
    if unknown:
        raise SubscribeError("unknown_channel", {"word": ", ".join(unknown)[:120]})
    schedule, scope = parse_subscription(text)
    next_local = subscribe(_engine(ctx), workspace=ctx.workspace, channel=ctx.channel,
                           user=ctx.user, language=ctx.lang, schedule=schedule, scope=scope,
                           now=now)
    shared = scope.kind != THIS_CHANNEL and not _read_by_this_workspace_only(ctx)
    reply = t("subscribed", ctx.lang, channel=ctx.channel,
              weekday=WEEKDAY_LABELS.get(ctx.lang, WEEKDAY_LABELS["en"])[schedule.weekday],
              time=schedule.time_of_day, tz=schedule.timezone,
              scope=t("scope_shared", ctx.lang) if shared else _scope_text(ctx, scope),
              next=next_local.strftime("%Y-%m-%d %H:%M"))
    private = [] if shared else _private_listed(ctx, scope)
    if private:
        reply += "\n" + t("private_note", ctx.lang,
                          channels=", ".join(f"<#{channel}>" for channel in private))
    ctx.reply(reply)


def _unsubscribe(ctx: CommandContext) -> None:
    removed = unsubscribe(_engine(ctx), channel=ctx.channel, user=ctx.user)
    ctx.reply(t("unsubscribed" if removed else "not_subscribed", ctx.lang, channel=ctx.channel))


def _preview(ctx: CommandContext, week_text: str | None = None) -> None:
    from bot.digest.posting import channel_settings, digest_for, incident_links
    from bot.digest.render import render_message
    from bot.slack.privacy import audience_for

    engine = _engine(ctx)
    settings = channel_settings(engine, ctx.channel)
    tz = zone(settings.timezone)
    week = (IsoWeek.parse(week_text) if week_text
            else IsoWeek.last_completed(datetime.now(UTC), tz))
    # What the channel's digest would show: its scope, under the same privacy rule.
    audience = audience_for(ctx.client, ctx.database_url,
                            workspace=settings.workspace or ctx.workspace, channel=ctx.channel)
    digest = digest_for(engine, ctx.channel, week, settings, audience.public_among)
    message = render_message(digest, ctx.lang,
                             incident_ref=incident_links(ctx.client, engine, digest))
    note = {"type": "context", "elements": [{"type": "mrkdwn",
                                             "text": t("preview", ctx.lang)}]}
    ctx.reply(message["text"], [note, *message["blocks"]][:50])


def _complaint(error: SubscribeError, lang: str) -> str:
    values = dict(error.values)
    if "what" in values:
        values["what"] = t(values["what"], lang)
    return t(error.key, lang, **values)


def digest_command(ctx: CommandContext) -> None:
    words = ctx.args.split()
    action = words[0].lower() if words else ""
    try:
        if action in ("", "preview", "미리보기"):
            _preview(ctx, words[1] if len(words) > 1 else None)
        elif WEEK_PATTERN.match(action):
            _preview(ctx, action)
        elif action in SUBSCRIBE_WORDS:
            _subscribe(ctx, ctx.args.split(None, 1)[1] if len(words) > 1 else "")
        elif action in UNSUBSCRIBE_WORDS:
            _unsubscribe(ctx)
        else:
            ctx.reply(t("usage", ctx.lang))
    # What was typed is quoted (`subscribe <!channel>`): escaped, so shown, never a ping.
    except SubscribeError as error:
        ctx.reply(f"{escape(_complaint(error, ctx.lang))}\n{t('usage', ctx.lang)}")
    except WeekError:
        week = next((word for word in words if WEEK_PATTERN.match(word.lower())), action)
        complaint = t("bad_week", ctx.lang, week=week[:20])
        ctx.reply(f"{escape(complaint)}\n{t('usage', ctx.lang)}")


SUBCOMMAND = Subcommand(
    "digest", digest_command, aliases=("요약", "주간요약"),
    # `subscribe` too: the README's table lists it beside `digest`, and without it the word
    # was answered as an unknown error in front of the channel.
    shortcuts=(("구독", "subscribe"), ("구독취소", "unsubscribe"), ("subscribe", "subscribe"),
               ("unsubscribe", "unsubscribe")),
    help_en="`digest` · `digest subscribe [weekday] [time] [timezone] [workspace | #channels]` "
            "· `digest unsubscribe` — preview the weekly digest, or have it posted here",
    help_ko="`digest` · `digest subscribe [요일] [시각] [시간대] [워크스페이스 | #채널]` "
            "(`구독 월요일 9시`) · `digest unsubscribe` (`구독취소`) — 주간 요약 미리보기, "
            "또는 이 채널에 정기 게시")
