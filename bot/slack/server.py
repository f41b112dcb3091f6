"""`troubleshoot-bot serve`: the Slack app on gunicorn (HTTP mode) or over Socket Mode.

HTTP mode serves one small WSGI app: `POST /slack/events` goes to Bolt's WSGI adapter (which
verifies signatures and timestamps), `GET /healthz` answers load balancers, anything else 404.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text

from bot.db import engine_for
from bot.knowledge.model import LoadProblem
from bot.slack.config import ConfigError, Settings, load_settings

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DEFAULT_THREADS = 16  # gthread: requests in flight per worker, each only until ack()


def run_serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(socket_mode=args.socket_mode, port=args.port)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    _configure_logging(getattr(args, "verbose", False))
    if problems := knowledge_problems(settings):
        return refuse_invalid_knowledge(problems)
    if settings.socket_mode:
        return _run_socket_mode(settings)
    return _run_gunicorn(settings)


def knowledge_problems(settings: Settings) -> tuple[LoadProblem, ...]:
    from bot.slack.flows import knowledge_base

    return knowledge_base(settings).problems


def refuse_invalid_knowledge(problems: Iterable[LoadProblem]) -> int:
    """A team's entry that fails to load, a mistyped KNOWLEDGE_PATH folder or an unfinished draft
    would change the answers without a word: say which file and why, and do not start."""
    for problem in problems:
        print(f"troubleshoot-bot serve: knowledge base: {problem}", file=sys.stderr)
    print("troubleshoot-bot serve: not starting with an invalid knowledge base: fix the files "
          "above (`troubleshoot-bot kb check`) or KNOWLEDGE_PATH", file=sys.stderr)
    return 2


def _configure_logging(verbose: bool) -> None:
    # bot.cli sets WARNING; a server should say what it is doing (and where errors came from).
    logging.getLogger().setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("slack_bolt").setLevel(logging.DEBUG if verbose else logging.WARNING)


# ----- the WSGI application

StartResponse = Callable[..., Any]


def make_wsgi_app(settings: Settings) -> Callable[[dict[str, Any], StartResponse],
                                                  Iterable[bytes]]:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.slack.flows import matcher_for

    bolt = SlackRequestHandler(build_app(settings), path=EVENTS_PATH)
    matcher_for(settings)  # load the knowledge base now, not during someone's first request
    _warm_log_sources()
    start_outbox_flusher(settings)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            return bolt(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _health(settings, start_response)
        return _plain(start_response, "404 Not Found", b"not found\n")

    return application


def _warm_log_sources() -> None:
    """Where logs may be fetched, import the Azure SDKs while the worker starts (it accepts no
    request until this returns): a fetch's deadline is for Azure, not for Python's imports."""
    from bot.logs.resolver import import_sdks, logs_enabled

    if logs_enabled():
        log.info("log sources: Azure SDKs imported in %.1f s", import_sdks())
def start_outbox_flusher(settings: Settings) -> None:
    """Occurrences kept during a database outage are written when it returns (per worker)."""
    from bot.slack.outbox_flusher import OutboxFlusher

    OutboxFlusher(settings.database_url).start()


def _health(settings: Settings, start_response: StartResponse) -> Iterable[bytes]:
    try:
        with engine_for(settings.database_url).connect() as connection:
            connection.execute(text("SELECT 1"))
        status, body = "200 OK", {"status": "ok", "database": "ok"}
    except Exception as error:  # any failure means "do not send traffic here"
        log.warning("health check: database unreachable: %s", error)
        status, body = "503 Service Unavailable", {"status": "unavailable",
                                                   "database": "unreachable"}
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def _plain(start_response: StartResponse, status: str, payload: bytes) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


# ----- gunicorn, embedded

def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """Threads, because requests wait on I/O; WEB_CONCURRENCY processes, as platforms set it."""
    return {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
        "worker_class": "gthread",
        "threads": int(os.environ.get("WEB_THREADS", str(DEFAULT_THREADS))),
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": os.environ.get("ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "troubleshoot-bot",
        # Each worker builds its own Bolt app after the fork: thread pools and database
        # connections must not be shared across processes.
        "preload_app": False,
        # gunicorn's runtime control socket lives at one fixed path per user; two servers on
        # one machine would fight over it, and nothing here uses it.
        "control_socket_disable": True,
    }


def _run_gunicorn(settings: Settings) -> int:
    from gunicorn.app.base import BaseApplication

    class BotServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in gunicorn_options(settings).items():
                if value is not None and key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Callable[..., Iterable[bytes]]:
            return make_wsgi_app(settings)

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
