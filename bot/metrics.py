"""Prometheus metrics for `GET /metrics`: requests, ack latency, answers, log fetches, database
errors and the outbox depth.

gunicorn runs several worker processes and a scrape reaches only one of them, so the server uses
prometheus_client's multiprocess mode: each process writes its samples to files in
PROMETHEUS_MULTIPROC_DIR and the scraped worker adds them all up. prometheus_client picks its
storage when a metric is created, so the metrics here are created on first use (in a worker,
after `serve` set the directory), never at import time. Outside `serve` (the CLI, tests) they
are plain in-process metrics.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.settings import settings

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
TIERS = ("confident", "likely", "unknown")  # the tiers of `match --json` (design §3)
ACK_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)  # Slack gives up after 3 s

_outbox_depth: Callable[[], int] = lambda: 0  # noqa: E731 - replaced by the outbox, if any


def prepare_multiprocess_dir() -> Path:
    """Called by `serve` before gunicorn forks: a clean directory for the workers' samples.

    An operator's PROMETHEUS_MULTIPROC_DIR is emptied (stale files from a previous run would
    be added in); without one, a fresh temporary directory is used and removed at exit.
    """
    configured = settings().prometheus_multiproc_dir
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
    else:
        folder = Path(tempfile.mkdtemp(prefix="troubleshoot-bot-metrics-"))
        import atexit

        atexit.register(shutil.rmtree, folder, True)
    os.environ[MULTIPROC_ENV] = str(folder)  # prometheus_client reads it in every worker
    return folder


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit hook: drop a dead worker's live-only samples."""
    if settings().prometheus_multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def set_outbox_depth_source(source: Callable[[], int]) -> None:
    """The outbox registers how to count what it holds (occurrences waiting for the database).

    It must return the depth for the whole instance (all workers), because a scrape is served by
    one worker; it is called at scrape time and must be quick and never raise.
    """
    global _outbox_depth
    _outbox_depth = source


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.requests = Counter("troubleshoot_http_requests", "HTTP requests by route and status",
                                ["route", "status"])
        self.ack_seconds = Histogram("troubleshoot_slack_ack_seconds",
                                     "Time to answer Slack's HTTP request (the ack)",
                                     buckets=ACK_BUCKETS_S)
        self.answers = Counter("troubleshoot_answers", "Pastes answered, by confidence tier",
                               ["tier"])
        self.log_fetches = Counter("troubleshoot_log_fetches", "Log fetches by outcome",
                                   ["outcome"])
        self.database_errors = Counter("troubleshoot_database_errors",
                                       "Errors raised by the database driver")
        for tier in TIERS:  # present from the start, so a rate() over them works at once
            self.answers.labels(tier=tier)


@functools.cache
def _metrics() -> _Metrics:
    return _Metrics()


def _safely(record: Callable[[_Metrics], Any]) -> None:
    # Metrics must never break what they observe (a full disk, a bad directory).
    try:
        record(_metrics())
    except Exception:
        log.debug("could not record a metric", exc_info=True)


def count_request(route: str, status: int, seconds: float) -> None:
    def record(metrics: _Metrics) -> None:
        metrics.requests.labels(route=route, status=str(status)).inc()
        if route == "slack_events" and status < 400:
            metrics.ack_seconds.observe(seconds)

    _safely(record)


def count_answer(tier: str) -> None:
    """One paste answered, by the tier of its best match ("unknown" when nothing matched)."""
    _safely(lambda metrics: metrics.answers.labels(tier=tier).inc())


def count_log_fetch(outcome: str) -> None:
    _safely(lambda metrics: metrics.log_fetches.labels(outcome=outcome).inc())


def watch_database_errors() -> None:
    """Count every error the database driver raises, on every engine (once per process)."""
    from sqlalchemy import Engine, event

    if not event.contains(Engine, "handle_error", _on_database_error):
        event.listen(Engine, "handle_error", _on_database_error)


def _on_database_error(_context: Any) -> None:
    _safely(lambda metrics: metrics.database_errors.inc())


def scrape_allowed(authorization: str) -> bool:
    """Whether a scrape may read the counts: always when METRICS_TOKEN is unset (counts only, no
    names or text); else only with `Authorization: Bearer <METRICS_TOKEN>`, compared in constant
    time. Not in the URL: query strings end up in proxies' access logs."""
    expected = settings().metrics_token
    if not expected:
        return True
    scheme, _, given = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              expected.encode())


def exposition() -> tuple[bytes, str]:
    """The text to answer a scrape with, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    _metrics()  # the series exist before the first request counted them
    if settings().prometheus_multiproc_dir:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()  # per scrape, as prometheus_client's docs prescribe
        multiprocess.MultiProcessCollector(registry)
        registry.register(_outbox_collector())
    else:
        registry = _single_process_registry()
    return generate_latest(registry), CONTENT_TYPE_LATEST


@functools.cache
def _single_process_registry() -> Any:
    from prometheus_client import REGISTRY

    REGISTRY.register(_outbox_collector())
    return REGISTRY


def _outbox_collector() -> Any:
    from prometheus_client.core import GaugeMetricFamily
    from prometheus_client.registry import Collector

    class OutboxDepth(Collector):
        def collect(self) -> Iterator[GaugeMetricFamily]:
            depth = 0
            with contextlib.suppress(Exception):  # a scrape must not fail for the outbox
                depth = int(_outbox_depth())
            yield GaugeMetricFamily("troubleshoot_outbox_depth",
                                    "Occurrences waiting in the outbox for the database", depth)

    return OutboxDepth()
