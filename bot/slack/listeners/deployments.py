"""`/troubleshoot deployments watch on [glob] | off | list` (Korean: `배포 감시 켜기|끄기|목록`):
a channel subscribes to the workspace's failed deployments. The watch itself runs in the worker
(bot.deployments.watcher); this only edits the channel's watches, answering only the asker.
Listed in bot.slack.listeners.build_subcommands.
"""

from __future__ import annotations

from bot.deployments import render, service
from bot.deployments.patterns import valid_pattern
from bot.mrkdwn import escape
from bot.slack.subcommands import CommandContext, Subcommand
from bot.storage import engine_for

WATCH_WORDS = ("watch", "감시")
ON_WORDS, OFF_WORDS, LIST_WORDS = ("on", "켜기", "시작"), ("off", "끄기", "중지"), ("list", "목록")


def handle(ctx: CommandContext) -> None:
    words = ctx.args.split()
    lang = ctx.lang
    if len(words) < 2 or words[0].lower() not in WATCH_WORDS or len(words) > 3:
        ctx.reply(render.t("watch_usage", lang))
        return
    action = words[1].lower()
    engine = engine_for(ctx.database_url)
    if action in ON_WORDS:
        pattern = words[2] if len(words) == 3 else "*"
        if not valid_pattern(pattern):
            ctx.reply(render.t("bad_pattern", lang, pattern=escape(pattern[:80])))
            return
        added = service.add_watch(engine, channel=ctx.channel, pattern=pattern,
                                  workspace=ctx.workspace, language=lang, user=ctx.user)
        ctx.reply(render.t("watching" if added else "already", lang, channel=ctx.channel,
                             pattern=escape(pattern)))
    elif action in OFF_WORDS and len(words) == 2:
        removed = service.remove_watches(engine, channel=ctx.channel)
        ctx.reply(render.t("unwatched" if removed else "not_watching", lang,
                             channel=ctx.channel))
    elif action in LIST_WORDS and len(words) == 2:
        patterns = [watch.pattern for watch in service.list_watches(engine, channel=ctx.channel)]
        ctx.reply(render.t("list", lang, channel=ctx.channel, patterns=", ".join(
            f"`{escape(pattern)}`" for pattern in patterns)) if patterns
            else render.t("not_watching", lang, channel=ctx.channel))
    else:
        ctx.reply(render.t("watch_usage", lang))


SUBCOMMAND = Subcommand(
    "deployments", handle, aliases=("배포",),
    help_en="`deployments watch on [glob]` · `deployments watch off` · `deployments watch list` "
            "— this channel hears about failed deployments, diagnosed from their logs",
    help_ko="`deployments watch on [glob]` (`배포 감시 켜기`) · `deployments watch off` · "
            "`deployments watch list` — 실패한 배포를 로그로 진단해 이 채널에 알림")
