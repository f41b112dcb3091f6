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
                "channel privacy from the bot's records, SLACK_BOT_TOKEN not set")
    return args.channel_privacy(client, url, workspace, channel), "channel privacy from Slack"


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
        return _fail("--channel C is required to post (or use --dry-run to print the digest)")
    url = database_url()
    # Checked before connecting: connecting to a missing SQLite file would create it empty.
    problem = database_problem(url)
    if problem:
        return _fail(problem, 1)
    engine = engine_for(url)
    try:
        settings = channel_settings(engine, channel)
        tz = zone(settings.timezone)
        week = IsoWeek.parse(args.week) if args.week else IsoWeek.last_completed(
            datetime.now(UTC), tz)
        if args.dry_run:
            if channel is None:
                digest = compute_digest(engine, week, tz)
                note = ("all channels, private ones included: no channel is posted this; "
                        "--channel C shows what C would get")
            elif settings.scope.kind == THIS_CHANNEL:
                digest = digest_for(engine, channel, week, settings, lambda _channels: set())
                note = f"what {channel} would get: its own incidents"
            else:
                public_among, source = _dry_run_privacy(args, url, settings.workspace,
                                                            channel)
                digest = digest_for(engine, channel, week, settings, public_among)
                note = (f"what {channel} would get: its scope `{settings.scope.kind}`, "
                        f"{digest.withheld} private channel(s) left out ({source})")
            if args.json:
                print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
            else:
                print(render_text(digest, settings.language))
            print(f"(dry run: {note})", file=sys.stderr)
            return 0
        try:  # the chat client comes from the composition root (bot.cli)
            client = args.chat_client()
        except ValueError as error:
            return _fail(f"{error} (use --dry-run to print the digest instead)")
        # Wait for a concurrent poster to finish, so that the answer is "already posted".
        outcome = post_digest_once(
            engine, client, channel, week, wait_s=60,
            privacy=lambda workspace, reader: args.channel_privacy(client, url, workspace,
                                                                   reader))
    except (WeekError, DigestConfigError) as error:
        return _fail(str(error))
    except (OperationalError, ProgrammingError) as error:
        reason = database_error_reason(error)
        return _fail(f"cannot read the database ({reason}); run `troubleshoot-bot db upgrade` "
                     "and check DATABASE_URL", 1)
    if outcome.status == "posted":
        print(f"posted {outcome.week} to {outcome.channel} (ts {outcome.message_ts})")
        return 0
    if outcome.status == "already posted":
        print(f"already posted {outcome.week} to {outcome.channel} (ts {outcome.message_ts})")
        return 0
    if outcome.status == "in progress":
        print(f"already being posted: {outcome.week} to {outcome.channel} ({outcome.detail})")
        return 0
    return _fail(f"could not post {outcome.week} to {outcome.channel}: {outcome.detail}", 1)
