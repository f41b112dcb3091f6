"""`troubleshoot-bot serve`: the Slack app on gunicorn (HTTP mode) or over Socket Mode.

HTTP mode serves one small WSGI app: `POST /slack/events` passes the door (size, read time,
signature and timestamp, checked before anything in the body is used) and then goes to Bolt's
WSGI adapter; `GET /healthz` answers load balancers (database and Slack); `GET /metrics` answers
Prometheus; `POST /alerts/azure-monitor` takes Azure Monitor's alerts (bot.deployments.alerts_http);
anything else 404.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot import metrics
from bot.deployments import alerts_http
from bot.knowledge.model import LoadProblem
from bot.logging_setup import configure_server_logging, gunicorn_json_logger_class, json_requested
from bot.logs.sources import UnknownLogSource, source_names
from bot.settings import configured_language
from bot.settings import settings as bot_settings
from bot.slack import door
from bot.slack.config import ConfigError, Settings, load_settings
from bot.slack.health import (
    Check,
    DatabaseHealth,
    SlackConnection,
    expected_revision,
    probe_database,
)

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def run_serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(socket_mode=args.socket_mode, port=args.port)
        options = None if settings.socket_mode else gunicorn_options(settings)
        source_names()  # an unknown name in LOG_SOURCES stops the start, not a user's fetch
    except ConfigError as error:
        print(error.said_in(configured_language()), file=sys.stderr)
        return 2
    except UnknownLogSource as error:
        print(f"troubleshoot-bot serve: {error.said_in(configured_language())}", file=sys.stderr)
        return 2
    configure_server_logging(getattr(args, "verbose", False))
    if problems := knowledge_problems(settings):
        return refuse_invalid_knowledge(problems)
    _say_whether_the_database_is_ready(settings)
    if options is None:
        return _run_socket_mode(settings)
    return _run_gunicorn(settings, options)


def knowledge_problems(settings: Settings) -> tuple[LoadProblem, ...]:
    # The files only: this runs in gunicorn's master, which must open no database connection
    # (its pool would be inherited by every forked worker and shared between them). The team's
    # knowledge in the database is read by each worker (bot.teaching.live).
    from bot.knowledge.loader import cached_knowledge_base

    return cached_knowledge_base(settings.knowledge_path).problems


def refuse_invalid_knowledge(problems: Iterable[LoadProblem]) -> int:
    """A team's entry that fails to load, a mistyped KNOWLEDGE_PATH folder or an unfinished draft
    would change the answers without a word: say which file and why, and do not start."""
    from bot.cli_errors import t

    lang = configured_language()
    for problem in problems:
        print(f"troubleshoot-bot serve: {t('kb_problem_refused', lang, problem=problem)}",
              file=sys.stderr)
    print(f"troubleshoot-bot serve: {t('kb_invalid_not_starting', lang)}", file=sys.stderr)
    return 2


def _say_whether_the_database_is_ready(settings: Settings) -> None:
    """One line at start-up: a server on an unmigrated database would fail every command."""
    from bot.storage import printable_url

    check = probe_database(settings.database_url)
    if check.state == "not migrated":
        log.error("database %s is not ready: %s. /healthz answers 503 until then.",
                  printable_url(settings.database_url), check.logged)
    elif not check.ok:
        log.warning("database %s is %s at start: %s", printable_url(settings.database_url),
                    check.state, check.logged)


# ----- the WSGI application

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def make_wsgi_app(settings: Settings) -> WsgiApp:
    """Routing, with every Slack request passing the door (bot.slack.door) before Bolt."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.slack.flows import matcher_for
    from bot.slack.privacy import audience_for

    app = build_app(settings)
    slack = SlackConnection(app.client).start()
    database = DatabaseHealth(settings.database_url)
    # Read the migrations' head now: the first /healthz would otherwise pay Alembic's script
    # loading inside its 2.5 s deadline, and a busy machine's cold start could say "not
    # answering" about a healthy database.
    expected_revision()
    slack_events = door.guard(settings.signing_secret, SlackRequestHandler(app, path=EVENTS_PATH))
    alerts = alerts_http.alerts_app_for_server(
        settings.database_url, app.client, privacy=lambda workspace, channel: audience_for(
            app.client, settings.database_url, workspace=workspace, channel=channel).public_among)
    matcher_for(settings)  # load the knowledge base now, not during someone's first request
    _warm_log_sources()
    watch_outbox_depth(settings)
    metrics.watch_database_errors()

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            return slack_events(environ, start_response)
        if path == alerts_http.ALERTS_PATH:
            return alerts(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _health(start_response, database=database.check(), slack=slack.check())
        if path == METRICS_PATH and method == "GET":
            if not metrics.scrape_allowed(environ.get("HTTP_AUTHORIZATION", "")):
                return _plain(start_response, "401 Unauthorized", b"unauthorized\n",
                              [("WWW-Authenticate", 'Bearer realm="metrics"')])
            payload, content_type = metrics.exposition()
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Length", str(len(payload)))])
            return [payload]
        return _plain(start_response, "404 Not Found", b"not found\n")

    return _measured(route)


def _measured(inner: WsgiApp) -> WsgiApp:
    """Count every request by route and status; time Slack's (the ack Slack waits for)."""
    routes = {EVENTS_PATH: "slack_events", HEALTH_PATH: "healthz", METRICS_PATH: "metrics",
              alerts_http.ALERTS_PATH: "alerts"}

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        seen: dict[str, int] = {}

        def recording_start_response(status: str, headers: list[tuple[str, str]],
                                     *exc_info: Any) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, *exc_info)

        try:
            return inner(environ, recording_start_response)
        finally:
            metrics.count_request(routes.get(environ.get("PATH_INFO", ""), "other"),
                                  seen.get("status", 500), time.monotonic() - started)

    return application


def _warm_log_sources() -> None:
    """Where logs may be fetched, import the Azure SDKs while the worker starts (it accepts no
    request until this returns): a fetch's deadline is for Azure, not for Python's imports."""
    from bot.logs.resolver import import_sdks, logs_enabled

    if not logs_enabled():
        return
    try:
        log.info("log sources: Azure SDKs imported in %.1f s", import_sdks())
    except Exception as error:
        # Only a head start: a worker must still boot (once, in a fresh clone, Python reported
        # a module-lock deadlock inside the SDKs' own imports here). The first fetch imports
        # them again, under its own deadline.
        log.warning("log sources: Azure SDKs not imported at start (%s); the first fetch will",
                    error)


def start_outbox_flusher(settings: Settings) -> None:
    """Occurrences kept during a database outage are written when it returns (per worker).
    Started by the process that serves (a gunicorn worker, Socket Mode), not by
    make_wsgi_app: a thread that outlives the app it was built for would keep flushing into
    a database nobody serves any more (an app built in-process to answer one request)."""
    from bot.slack.outbox_flusher import OutboxFlusher

    OutboxFlusher(settings.database_url).start()


def watch_outbox_depth(settings: Settings) -> None:
    """/metrics reports the outbox's depth (make_wsgi_app; Socket Mode serves no /metrics).
    The outbox is one file per host, so any worker's count is the instance's."""
    from bot import outbox

    metrics.set_outbox_depth_source(lambda: outbox.depth(settings.database_url))


def _health(start_response: StartResponse, *, database: Check, slack: Check) -> Iterable[bytes]:
    body: dict[str, str] = {"status": "ok" if database.ok and slack.ok else "unavailable",
                            "database": database.state, "slack": slack.state}
    reasons = [check.reason for check in (database, slack) if check.reason]
    if reasons:  # any failure means "do not send traffic here", and says why ...
        body["reason"] = "; ".join(reasons)
        # ... in general terms: anyone who can reach the events URL can read this body. The
        # driver's own words (host, port, role, database name) go to the operator's log.
        log.warning("health check: %s", "; ".join(
            check.logged for check in (database, slack) if check.reason))
    status = "200 OK" if body["status"] == "ok" else "503 Service Unavailable"
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def _plain(start_response: StartResponse, status: str, payload: bytes,
           headers: list[tuple[str, str]] | None = None) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(payload))), *(headers or [])])
    return [payload]


# ----- gunicorn, embedded

def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """Threads, because requests wait on I/O; WEB_CONCURRENCY processes, as platforms set it.

    gthread reads a request in the thread that serves it. gunicorn bounds a connection's wait
    for its first bytes (5 s) and idle keep-alive; the door bounds the body (10 s, 1 MiB); the
    request line and headers are bounded in size by gunicorn's limits below. A client trickling
    its headers still holds a thread: put a buffering reverse proxy in front (docs/slack.md).
    """
    return {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": bot_settings().web_concurrency,
        "worker_class": "gthread",
        "threads": bot_settings().web_threads,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "limit_request_line": 4094,  # gunicorn's defaults, stated: Slack's are far shorter
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "accesslog": bot_settings().access_log,
        "errorlog": "-",
        "loglevel": "info",
        "logger_class": gunicorn_json_logger_class() if json_requested() else None,
        "proc_name": "troubleshoot-bot",
        # Each worker builds its own Bolt app after the fork: thread pools and database
        # connections must not be shared across processes.
        "preload_app": False,
        # gunicorn's runtime control socket lives at one fixed path per user; two servers on
        # one machine would fight over it, and nothing here uses it.
        "control_socket_disable": True,
        # A dead worker's samples must leave the sums of /metrics (multiprocess mode).
        "child_exit": lambda _arbiter, worker: metrics.worker_exited(worker.pid),
    }


def _run_gunicorn(settings: Settings, options: dict[str, Any]) -> int:
    from gunicorn.app.base import BaseApplication

    metrics.prepare_multiprocess_dir()  # before the workers fork: they inherit the directory

    class BotServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None and key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> WsgiApp:
            application = make_wsgi_app(settings)
            start_outbox_flusher(settings)  # in each worker, after the fork
            return application

    BotServer().run()
    return 0


# ----- Socket Mode

def _run_socket_mode(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    app = build_app(settings)
    start_outbox_flusher(settings)
    SocketModeHandler(app, settings.app_token).start()
    return 0
