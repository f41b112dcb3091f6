"""`troubleshoot-bot digest`: print a week's digest (--dry-run) or post it, exactly once."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError, ProgrammingError


def _fail(message: str, code: int = 2) -> int:
    print(f"troubleshoot-bot digest: {message}", file=sys.stderr)
    return code


def run_digest(args: argparse.Namespace) -> int:
    from bot.digest.figures import compute_digest
    from bot.digest.posting import (
        DigestConfigError,
        channel_settings,
        post_digest_once,
    )
    from bot.digest.render import render_text
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
            digest = compute_digest(engine, week, tz, channel=channel)
            if args.json:
                print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
            else:
                print(render_text(digest, settings.language))
            return 0
        try:  # the chat client comes from the composition root (bot.cli)
            client = args.chat_client()
        except ValueError as error:
            return _fail(f"{error} (use --dry-run to print the digest instead)")
        # Wait for a concurrent poster to finish, so that the answer is "already posted".
        outcome = post_digest_once(engine, client, channel, week, wait_s=60)
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
