"""`troubleshoot-bot worker`: the process that runs scheduled work (Procfile `worker:`): the
weekly digests, and the deployments watch (bot.deployments.watcher).

A plain loop that wakes every DIGEST_WORKER_INTERVAL_S seconds (default 30) is enough: the
schedule has minute resolution and the database, not the loop, guarantees exactly-once posting,
so any number of replicas may run. The deployments watch runs every DEPLOY_WATCH_INTERVAL_S
(default 300) within the same loop; its claims, too, are in the database. SIGTERM (a deploy, a
scale-down) lets the current round finish and then exits cleanly.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

from bot.cli_errors import command_language
from bot.i18n import Catalog
from bot.settings import settings

log = logging.getLogger(__name__)

# What the worker tells its operator on stderr, in BOT_LANGUAGE (a Korean team runs it too);
# the server log (`log.*`) stays English. A digest's line is keyed by its PostOutcome.status.
STRINGS = {
    # after "troubleshoot-bot worker host:pid: "
    "started": {"en": "checking digests every {interval}s, deployments every {watch_every}s",
                "ko": "요약은 {interval}초마다, 배포는 {watch_every}초마다 확인합니다"},
    "stopped": {"en": "stopped", "ko": "멈췄습니다"},
    "digest_posted": {"en": "digest {week} for {channel}: posted",
                      "ko": "{week} 요약을 {channel} 채널에 게시했습니다"},
    "digest_already_posted": {"en": "digest {week} for {channel}: already posted",
                              "ko": "{week} 요약은 이미 {channel} 채널에 게시되어 있습니다"},
    "digest_in_progress": {"en": "digest {week} for {channel}: in progress",
                           "ko": "{week} 요약을 다른 워커가 {channel} 채널에 게시하는 중입니다"},
    "digest_failed": {"en": "digest {week} for {channel}: failed",
                      "ko": "{week} 요약을 {channel} 채널에 게시하지 못했습니다"},
    "deployment_posted": {"en": "deployment {name}: posted in {channels}",
                          "ko": "배포 {name}: {channels} 채널에 알렸습니다"},
}

say = Catalog(STRINGS)


def _tell(key: str, *, worker: str | None = None, detail: str | None = None,
          **values: object) -> None:
    """One line for the operator on stderr, in the team's language: after
    `troubleshoot-bot worker host:pid:` when it is about the `worker` itself, with a `detail`
    (someone else's words: Slack's error, the claiming worker) in brackets after it."""
    line = say(key, command_language(), **values)
    if worker is not None:
        line = f"troubleshoot-bot worker {worker}: {line}"
    print(line + (f" ({detail})" if detail else ""), file=sys.stderr, flush=True)


def run_worker(args: argparse.Namespace) -> int:
    from bot.deployments.watcher import Watcher, watch_interval_s
    from bot.digest.posting import worker_name
    from bot.digest.schedule import run_due_digests
    from bot.storage import database_url, engine_for

    try:
        # The chat client comes from the composition root (bot.cli): the digest domain does
        # not import a front end. A missing token is a ValueError naming the setting.
        client = args.chat_client()
    except ValueError as error:
        print(f"troubleshoot-bot worker: {error}", file=sys.stderr)
        return 2
    interval = settings().digest_worker_interval_s
    engine = engine_for(database_url())

    def privacy(workspace: str | None, channel: str) -> Any:  # the front end's rule, bot.cli
        return args.channel_privacy(client, database_url(), workspace, channel)

    worker = worker_name()
    stop = threading.Event()
    watcher = Watcher(database_url(), client, worker=worker, privacy=privacy)
    watch_every = watch_interval_s()
    next_watch = time.monotonic()  # the first cycle at start: a failure waits for no one

    def request_stop(signum: int, _frame: object) -> None:
        log.warning("worker %s: signal %s, stopping after this round", worker, signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    _tell("started", worker=worker, interval=interval, watch_every=watch_every)
    while not stop.is_set():
        try:
            for outcome in run_due_digests(engine, client, datetime.now(UTC), worker=worker,
                                           privacy=privacy):
                # `digest 2026-W47 for C1: posted`, keyed by the outcome's status
                _tell(f"digest_{outcome.status.replace(' ', '_')}", detail=outcome.detail,
                      week=outcome.week, channel=outcome.channel)
        except Exception:  # the database may be restarting; try again next round
            log.exception("worker %s: digest round failed", worker)
        if time.monotonic() >= next_watch:
            next_watch = time.monotonic() + watch_every
            _watch_deployments(watcher, worker)
        stop.wait(min(interval, max(1.0, next_watch - time.monotonic())))
    _tell("stopped", worker=worker)
    return 0


def _watch_deployments(watcher: Any, worker: str) -> None:
    """One deployments watch cycle; its failures wait for the next cycle, never stop digests."""
    try:
        cycle = watcher.run_cycle()
    except Exception:
        log.exception("worker %s: deployments watch cycle failed", worker)
        return
    for outcome in cycle.posted:
        _tell("deployment_posted", name=outcome.name, channels=", ".join(outcome.channels))
    for error in cycle.errors:
        log.warning("worker %s: deployments watch: %s; trying again next cycle", worker, error)
