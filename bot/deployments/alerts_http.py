"""`POST /alerts/azure-monitor`: Azure Monitor's webhook (common alert schema), as WSGI.

- The secret: `?token=` (what an action group's webhook URL can carry) or the `X-Alert-Token`
  header must equal ALERT_WEBHOOK_TOKEN, compared in constant time. Wrong, missing, or no token
  configured: 401, and nothing in the body is read.
- A body over 1 MiB is refused with 413 (by Content-Length before reading, or as soon as one
  byte more arrives), one still arriving after 10 s is cut off with 408 (`bot.http_body`, as at
  Slack's door); one that is not an alert in the common schema, 400 with the reason.
- The alert is stored (a repeat of one already received is recognised by its id) and
  acknowledged at once with 202; the work (Azure, the logs, Slack) runs in the background. An
  alert whose handling fails stays pending, and the next watch cycle handles it.

This module knows nothing of Slack's app: the server hands it a Web API client.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from bot.deployments import service
from bot.deployments.alerts import AlertError, parse_alert, worth_handling
from bot.http_body import Refusal, read_body
from bot.settings import settings
from bot.storage import engine_for, normalize_database_url

log = logging.getLogger(__name__)

ALERTS_PATH = "/alerts/azure-monitor"
TOKEN_HEADER = "HTTP_X_ALERT_TOKEN"
StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def configured_token() -> str:
    return settings().alert_webhook_token


def token_matches(given: str, expected: str) -> bool:
    """Constant time, and never true when no token is configured."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _given_token(environ: dict[str, Any]) -> str:
    header = environ.get(TOKEN_HEADER, "")
    if header:
        return str(header).strip()
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    return (query.get("token") or [""])[0].strip()


def _answer(start_response: StartResponse, status: str, body: dict[str, Any]
            ) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


def make_alerts_app(database_url: str, handle: Callable[[str], None]) -> WsgiApp:
    """The endpoint; `handle(key)` is called in the background for each new alert."""
    url = normalize_database_url(database_url)
    background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="alert")
    if not configured_token():
        log.warning("ALERT_WEBHOOK_TOKEN is not set: %s refuses every request", ALERTS_PATH)

    def run(key: str) -> None:
        try:
            handle(key)
        except Exception:  # it stays pending: the next watch cycle handles it
            log.exception("alert %s: handling failed; the next watch cycle retries", key)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", {"error": "POST only"})
        if not token_matches(_given_token(environ), configured_token()):
            log.warning("alert refused: wrong or missing token")
            return _answer(start_response, "401 Unauthorized", {"error": "unauthorized"})
        body = read_body(environ)
        if isinstance(body, Refusal):  # too large, trickling, or shorter than declared
            log.warning("alert refused: %s", body.reason)
            return _answer(start_response, body.status, {"error": body.reason})
        try:
            alert = parse_alert(json.loads(body.decode("utf-8")))
        # RecursionError: JSON nested deeper than the parser recurses (a megabyte of `[`).
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            reason = str(error) if isinstance(error, AlertError) else "the body is not JSON"
            return _answer(start_response, "400 Bad Request", {"error": reason})
        ignored = worth_handling(alert)
        if ignored:
            log.info("alert %s ignored: %s", alert.alert_id, ignored)
            return _answer(start_response, "202 Accepted", {"status": "ignored",
                                                            "reason": ignored})
        if not service.store_alert(engine_for(url), alert.key, alert.to_json()):
            return _answer(start_response, "202 Accepted", {"status": "already received"})
        background.submit(run, alert.key)
        return _answer(start_response, "202 Accepted", {"status": "accepted"})

    return application


def alerts_app_for_server(database_url: str, client: Any,
                          privacy: Callable[[str, str], Any] | None = None) -> WsgiApp:
    """The endpoint as `serve` mounts it: alerts handled by a Watcher posting with `client`,
    with the front end's channel privacy (`privacy(workspace, channel)`)."""
    from bot.deployments.watcher import Watcher

    worker = f"web:{os.getpid()}:{threading.get_ident()}"
    watcher = Watcher(database_url, client, worker=worker, privacy=privacy)
    return make_alerts_app(database_url, watcher.handle_alert)
