"""`troubleshoot-bot digest`: print a week's digest (--dry-run) or post it, exactly once.

A dry run with `--channel` prints exactly what would be posted there: the subscription's scope,
under the same privacy rule (private channels' incidents only in their own digest). Without
`--channel` it prints the operator's view of every channel, private ones included, and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.cli_errors import command_language as _lang  # the team's: no `--lang` here
from bot.i18n import Catalog

# What `digest` says on stderr, in BOT_LANGUAGE (what it prints on stdout after posting stays
# as scripts read it: "posted 2026-W47 to C1 (ts ...)").
STRINGS = {
    "posted": {"en": "posted {week} to {channel} (ts {ts})",
               "ko": "{week} 요약을 {channel} 채널에 게시했습니다 (ts {ts})"},
    "already_posted": {"en": "already posted {week} to {channel} (ts {ts})",
                       "ko": "{week} 요약은 이미 {channel} 채널에 게시되었습니다 (ts {ts})"},
    "being_posted": {"en": "already being posted: {week} to {channel} ({detail})",
                     "ko": "{week} 요약을 {channel} 채널에 게시하는 중입니다 ({detail})"},
    "channel_required": {"en": "--channel C is required to post (or use --dry-run to print the "
                               "digest)",
                         "ko": "게시하려면 `--channel C`가 필요합니다(요약만 보려면 "
                               "`--dry-run`)"},
    "no_client": {"en": "{error} (use --dry-run to print the digest instead)",
                  "ko": "{error} (요약만 보려면 `--dry-run`)"},
    "unreadable": {"en": "cannot read the database ({reason}); run `troubleshoot-bot db "
                         "upgrade` and check DATABASE_URL",
                   "ko": "데이터베이스를 읽을 수 없습니다({reason}): `troubleshoot-bot db "
                         "upgrade`를 실행하고 `DATABASE_URL`을 확인하세요"},
    "not_posted": {"en": "could not post {week} to {channel}: {detail}",
                   "ko": "{week} 요약을 {channel}에 게시하지 못했습니다: {detail}"},
    "dry_all": {"en": "(dry run: all channels, private ones included: no channel is posted "
                      "this; --channel C shows what C would get)",
                "ko": "(미리보기: 비공개 채널을 포함한 모든 채널입니다. 어느 채널에도 이대로 "
                      "게시되지 않습니다. `--channel C`로 C가 받을 요약을 볼 수 있습니다)"},
    "dry_own": {"en": "(dry run: what {channel} would get: its own incidents)",
                "ko": "(미리보기: 채널 {channel}에 갈 요약, 그 채널의 인시던트만)"},
    "dry_scope": {"en": "(dry run: what {channel} would get: its scope `{scope}`, {withheld} "
                        "private channel(s) left out ({source}))",
                  "ko": "(미리보기: 채널 {channel}에 갈 요약, 범위 `{scope}`, 비공개 채널 "
                        "{withheld}개 제외 ({source}))"},
    "privacy_records": {"en": "channel privacy from the bot's records, SLACK_BOT_TOKEN not set",
                        "ko": "`SLACK_BOT_TOKEN`이 없어 봇의 기록으로 공개 여부를 판단"},
    "privacy_slack": {"en": "channel privacy from Slack", "ko": "공개 여부는 Slack에서 확인"},
}

t = Catalog(STRINGS)


def _fail(message: str, code: int = 2) -> int:
    print(f"troubleshoot-bot digest: {message}", file=sys.stderr)
    return code


def _dry_run_privacy(args: argparse.Namespace, url: str, workspace: str | None,
                     channel: str) -> tuple[Any, str]:
    """How a dry run learns which channels are public: from Slack, as the post will, when
    SLACK_BOT_TOKEN is set; else from what the bot last recorded."""
    from bot.digest.posting import cached_public_among
    from bot.storage import engine_for

    try:
        client = args.chat_client()
    except ValueError:  # no token: channels the bot never looked up count as private
        return (cached_public_among(engine_for(url), workspace, channel),
                t("privacy_records", _lang()))
    return args.channel_privacy(client, url, workspace, channel), t("privacy_slack", _lang())


def run_digest(args: argparse.Namespace) -> int:
    from bot.digest.figures import compute_digest
    from bot.digest.posting import (
        DigestConfigError,
        channel_settings,
        digest_for,
        post_digest_once,
    )
    from bot.digest.render import render_text
    from bot.digest.scope import THIS_CHANNEL
    from bot.digest.weeks import IsoWeek, WeekError, zone
    from bot.storage import database_error_reason, database_url, engine_for
    from bot.storage.check import database_problem

    channel = (args.channel or "").strip() or None
    if not args.dry_run and not channel:
        return _fail(t("channel_required", _lang()))
    url = database_url()
    # Checked before connecting: connecting to a missing SQLite file would create it empty.
    problem = database_problem(url)
    if problem:
        return _fail(problem.said_in(_lang()), 1)
    engine = engine_for(url)
    try:
        settings = channel_settings(engine, channel)
        tz = zone(settings.timezone)
        week = IsoWeek.parse(args.week) if args.week else IsoWeek.last_completed(
            datetime.now(UTC), tz)
        if args.dry_run:
            if channel is None:
                digest = compute_digest(engine, week, tz)
                note = t("dry_all", _lang())
            elif settings.scope.kind == THIS_CHANNEL:
                digest = digest_for(engine, channel, week, settings, lambda _channels: set())
                note = t("dry_own", _lang(), channel=channel)
            else:
                public_among, source = _dry_run_privacy(args, url, settings.workspace,
                                                            channel)
                digest = digest_for(engine, channel, week, settings, public_among)
                note = t("dry_scope", _lang(), channel=channel, scope=settings.scope.kind,
                         withheld=digest.withheld, source=source)
            if args.json:
                print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
            else:
                print(render_text(digest, settings.language))
            print(note, file=sys.stderr)
            return 0
        try:  # the chat client comes from the composition root (bot.cli)
            client = args.chat_client()
        except ValueError as error:
            return _fail(t("no_client", _lang(), error=error))
        # Wait for a concurrent poster to finish, so that the answer is "already posted".
        outcome = post_digest_once(
            engine, client, channel, week, wait_s=60,
            privacy=lambda workspace, reader: args.channel_privacy(client, url, workspace,
                                                                   reader))
    except (WeekError, DigestConfigError) as error:
        return _fail(str(error))
    except (OperationalError, ProgrammingError) as error:
        return _fail(t("unreadable", _lang(), reason=database_error_reason(error)), 1)
    if outcome.status == "posted":
        print(t("posted", _lang(), week=outcome.week, channel=outcome.channel,
                ts=outcome.message_ts))
        return 0
    if outcome.status == "already posted":
        print(t("already_posted", _lang(), week=outcome.week, channel=outcome.channel,
                ts=outcome.message_ts))
        return 0
    if outcome.status == "in progress":
        print(t("being_posted", _lang(), week=outcome.week, channel=outcome.channel,
                detail=outcome.detail))
        return 0
    return _fail(t("not_posted", _lang(), week=outcome.week, channel=outcome.channel,
                   detail=outcome.detail), 1)
