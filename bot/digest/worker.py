"""`troubleshoot-bot worker`: the process that posts scheduled digests (Procfile `worker:`).

A plain loop that wakes every DIGEST_WORKER_INTERVAL_S seconds (default 30) is enough: the
schedule has minute resolution and the database, not the loop, guarantees exactly-once posting,
so any number of replicas may run. SIGTERM (a deploy, a scale-down) lets the current round finish
and then exits cleanly.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import UTC, datetime

from bot.settings import settings

log = logging.getLogger(__name__)


def run_worker(args: argparse.Namespace) -> int:
    from bot.digest.posting import DigestConfigError, slack_client, worker_name
    from bot.digest.schedule import run_due_digests
    from bot.storage import database_url, engine_for

    try:
        client = slack_client()
    except DigestConfigError as error:
        print(f"troubleshoot-bot worker: {error}", file=sys.stderr)
        return 2
    interval = settings().digest_worker_interval_s
    engine = engine_for(database_url())
    worker = worker_name()
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.warning("worker %s: signal %s, stopping after this round", worker, signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    print(f"troubleshoot-bot worker {worker}: checking digests every {interval}s",
          file=sys.stderr, flush=True)
    while not stop.is_set():
        try:
            for outcome in run_due_digests(engine, client, datetime.now(UTC), worker=worker):
                print(f"digest {outcome.week} for {outcome.channel}: {outcome.status}"
                      + (f" ({outcome.detail})" if outcome.detail else ""),
                      file=sys.stderr, flush=True)
        except Exception:  # the database may be restarting; try again next round
            log.exception("worker %s: digest round failed", worker)
        stop.wait(interval)
    print(f"troubleshoot-bot worker {worker}: stopped", file=sys.stderr, flush=True)
    return 0
