"""The real Slack app in this process: `bot.slack.app.build_app` behind the real door
(`bot.slack.door.guard`) and Bolt's own WSGI adapter, called without a server or a port.

Small Slack cases need no gunicorn boot (seconds per server, imports in every worker): a WSGI
call runs the same door, the same Bolt middleware and listeners, the same database; the app's
Web API calls still go over HTTP to the Slack stand-in on 127.0.0.1. What needs a real server
(sockets, slow clients, workers, start-up) stays in tests/e2e.

`settle()` is the event a negative check waits on: it returns once every piece of work the
requests so far started after their ack (Bolt's lazy listeners, the per-channel lanes queued
behind them, retries after Retry-After) has finished, so "nothing more was posted" is then a
fact, not a guess about how long to sleep.
"""

from __future__ import annotations

import io
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.logs.resolver import import_sdks, logs_enabled
from bot.slack.app import build_app
from bot.slack.config import Settings
from bot.slack.door import guard
from tests.support.signing import slack_signature_headers
from tests.support.slack_api import FakeSlackAPI

EVENTS_PATH = "/slack/events"


@dataclass
class WsgiReply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class InProcessSlack:
    """Sends requests as Slack does (or as a forger would) to the app, in this process."""

    def __init__(self, settings: Settings, fake: FakeSlackAPI) -> None:
        self.settings = settings
        self.fake = fake
        self._app: App | None = None
        self._wsgi: Any = None

    @property
    def app(self) -> App:
        if self._app is None:
            # Where logs may be fetched, build_app() starts a thread that imports the Azure
            # SDKs, creating hundreds of loggers; pytest's logging plugin walks logging's logger
            # dict at every test phase in this process and raised "dictionary changed size
            # during iteration" when the two met. Imported here first, in this thread, the
            # app's warm-up finds every module already imported. (A server's worker has no
            # such reader: it keeps the background import.)
            if logs_enabled():
                import_sdks()
            self._app = build_app(self.settings)
            self._wsgi = guard(self.settings.signing_secret,
                               SlackRequestHandler(self._app, path=EVENTS_PATH))
        return self._app

    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None,
             *, path: str = EVENTS_PATH) -> WsgiReply:
        """POST exactly these headers (nothing signed for the caller)."""
        self.app  # noqa: B018 - builds the app (and its door) on first use
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "3000", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[f"HTTP_{key}"] = value
        seen: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]],
                           *_exc_info: Any) -> None:
            seen["status"] = int(status.split(" ", 1)[0])
            seen["headers"] = dict(response_headers)

        payload = b"".join(self._wsgi(environ, start_response))
        return WsgiReply(seen["status"], payload, seen["headers"])

    def signed(self, body: bytes, content_type: str) -> WsgiReply:
        return self.post(body, content_type,
                         slack_signature_headers(body, self.settings.signing_secret))

    def signed_form(self, form: dict[str, str]) -> WsgiReply:
        return self.signed(urllib.parse.urlencode(form).encode(),
                           "application/x-www-form-urlencoded")

    def settle(self) -> None:
        """Wait until all work started after an ack has finished. The app's thread pool is shut
        down (waiting for it); a later request gets a newly built app (its state is in the
        database, as across gunicorn workers)."""
        if self._app is None:
            return
        self._app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        self._app = None
        self._wsgi = None
