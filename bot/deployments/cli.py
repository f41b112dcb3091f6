"""The command-line side of the deployments watch: the same service and watcher the worker and
Slack use. `check` prints one line per failure it handled and exits 0; 1 when Azure could not
be asked (nothing was posted; the next cycle tries again)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli_errors import command_language as _lang  # BOT_LANGUAGE (a watch's --lang is its own)
from bot.deployments.patterns import valid_pattern
from bot.deployments.render import t


def _fail(message: str, code: int = 2) -> int:
    print(f"troubleshoot-bot deployments: {message}", file=sys.stderr)
    return code


def _database() -> str:
    from bot.storage import database_url
    from bot.storage.check import database_problem

    url = database_url()
    problem = database_problem(url)  # before connecting: that would create an empty file
    if problem:
        raise SystemExit(_fail(problem.said_in(_lang()), 1))
    return url


def _engine():  # type: ignore[no-untyped-def]
    from bot.storage import engine_for

    return engine_for(_database())


def _channel(value: str) -> str:
    channel = value.strip().lstrip("#")
    if not channel or not channel.isalnum() or len(channel) > 64:
        raise SystemExit(_fail(t("bad_channel", _lang(), value=repr(value))))
    return channel


def run_watch(args: argparse.Namespace) -> int:
    from bot.deployments import service

    channel, pattern = _channel(args.channel), args.match.strip()
    if not valid_pattern(pattern):
        return _fail(t("bad_pattern", _lang(), pattern=pattern))
    added = service.add_watch(_engine(), channel=channel, pattern=pattern, language=args.lang)
    print(t("cli_now_watches" if added else "cli_already_watched", _lang(), channel=channel,
            pattern=pattern))
    return 0


def run_unwatch(args: argparse.Namespace) -> int:
    from bot.deployments import service

    channel = _channel(args.channel)
    removed = service.remove_watches(_engine(), channel=channel)
    print(t("cli_unwatched", _lang(), channel=channel, removed=removed) if removed
          else t("cli_not_watching", _lang(), channel=channel))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from bot.deployments import service

    watches = service.list_watches(_engine())
    if args.json:
        print(json.dumps([{"channel": w.channel, "pattern": w.pattern,
                           "language": w.language} for w in watches]))
    elif not watches:  # as `incidents list` and `kb drafts` say it: silence reads as a hang
        print(t("cli_no_watches", _lang()))
    else:
        for watch in watches:
            print(f"{watch.channel}\t{watch.pattern}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from bot.deployments.watcher import Watcher, worker_name

    url = _database()
    try:
        # The chat client comes from the composition root (bot.cli): this domain does not
        # import a front end. A missing token is a ValueError naming the setting.
        client = args.chat_client()
    except ValueError as error:
        return _fail(str(error))
    cycle = Watcher(url, client, worker=worker_name(), privacy=lambda workspace, channel: (
        args.channel_privacy(client, url, workspace, channel))).run_cycle()
    for outcome in cycle.outcomes:
        if args.json:
            print(json.dumps({"name": outcome.name, "status": outcome.status,
                              "episode": outcome.episode, "channels": list(outcome.channels),
                              "detail": outcome.detail}, ensure_ascii=False))
        else:
            where = f" in {', '.join(outcome.channels)}" if outcome.channels else ""
            detail = f" ({outcome.detail})" if outcome.detail else ""
            print(f"{outcome.name}: {outcome.status}{where}{detail}")
    for error in cycle.errors:
        print(f"troubleshoot-bot deployments check: {error}; nothing posted for it, the next "
              "cycle tries again", file=sys.stderr)
    return 0 if cycle.complete else 1
