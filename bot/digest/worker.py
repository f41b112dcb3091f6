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

from bot.settings import settings

log = logging.getLogger(__name__)


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
    print(f"troubleshoot-bot worker {worker}: checking digests every {interval}s, deployments "
          f"every {watch_every}s", file=sys.stderr, flush=True)
    while not stop.is_set():
        try:
            for outcome in run_due_digests(engine, client, datetime.now(UTC), worker=worker,
                                           privacy=privacy):
                print(f"digest {outcome.week} for {outcome.channel}: {outcome.status}"
                      + (f" ({outcome.detail})" if outcome.detail else ""),
                      file=sys.stderr, flush=True)
        except Exception:  # the database may be restarting; try again next round
            log.exception("worker %s: digest round failed", worker)
        if time.monotonic() >= next_watch:
            next_watch = time.monotonic() + watch_every
            _watch_deployments(watcher, worker)
        stop.wait(min(interval, max(1.0, next_watch - time.monotonic())))
    print(f"troubleshoot-bot worker {worker}: stopped", file=sys.stderr, flush=True)
    return 0


def _watch_deployments(watcher: Any, worker: str) -> None:
    """One deployments watch cycle; its failures wait for the next cycle, never stop digests."""
    try:
        cycle = watcher.run_cycle()
    except Exception:
        log.exception("worker %s: deployments watch cycle failed", worker)
        return
    for outcome in cycle.posted:
        print(f"deployment {outcome.name}: posted in {', '.join(outcome.channels)}",
              file=sys.stderr, flush=True)
    for error in cycle.errors:
        log.warning("worker %s: deployments watch: %s; trying again next cycle", worker, error)
