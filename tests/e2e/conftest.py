"""The real server, started as `troubleshoot-bot serve` in a subprocess, talking to the Slack
stand-in; a client that sends requests the way Slack sends them (signed, form or JSON).

One server per test module and database backend keeps the suite fast; each test uses its own
channel id so that tests never read each other's messages.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.slack.config import Settings as SlackSettings
from tests.conftest import BACKENDS, databases
from tests.support.inprocess import InProcessSlack
from tests.support.signing import slack_signature_headers
from tests.support.slack_api import BOT_USER_ID, EVENT_DEADLINE_S, TEAM_ID, FakeSlackAPI
from tests.support.slack_payloads import new_trigger_id

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-test"
SERVER_START_TIMEOUT_S = 60
SETTLE_PASTE = "Back-off restarting failed container"  # answered with buttons, confidently


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Reply:
    status: int
    body: str
    seconds: float  # this request's own latency: Slack gives up after 3 s

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Sends what Slack sends: signed slash commands, events and interactivity payloads."""

    def __init__(self, base_url: str, fake: FakeSlackAPI, secret: str = SIGNING_SECRET) -> None:
        self.base_url = base_url
        self.fake = fake
        self.secret = secret

    def post(self, body: bytes, content_type: str, *, secret: str | None = None,
             timestamp: int | None = None, headers: dict[str, str] | None = None,
             path: str = "/slack/events") -> Reply:
        signed = slack_signature_headers(body, secret or self.secret, timestamp)
        request = urllib.request.Request(
            self.base_url + path, data=body, method="POST",
            headers={"Content-Type": content_type, **signed, **(headers or {})})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.read().decode(),
                             time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.monotonic() - started)

    def command(self, text: str, *, channel: str, user: str = "U0000ALICE",
                **signing: Any) -> Reply:
        form = {"token": "legacy", "team_id": TEAM_ID, "team_domain": "test",
                "channel_id": channel, "channel_name": "incidents", "user_id": user,
                "user_name": "alice", "command": "/troubleshoot", "text": text,
                "api_app_id": "A0000TEST", "is_enterprise_install": "false",
                "response_url": self.fake.response_url(channel),
                "trigger_id": new_trigger_id("abc")}
        return self.post(urllib.parse.urlencode(form).encode(),
                         "application/x-www-form-urlencoded", **signing)

    def event(self, event: dict[str, Any], *, event_id: str | None = None,
              retry_num: int | None = None, **signing: Any) -> Reply:
        envelope = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0000TEST",
                    "event": event, "type": "event_callback",
                    "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
                    "event_time": int(time.time()),
                    "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID,
                                        "is_bot": True}]}
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope).encode(), "application/json", headers=headers,
                         **signing)

    def mention(self, text: str, *, channel: str, ts: str | None = None,
                thread_ts: str | None = None, user: str = "U0000ALICE",
                files: list[dict[str, Any]] | None = None, **kwargs: Any) -> Reply:
        event: dict[str, Any] = {"type": "app_mention", "user": user, "channel": channel,
                                 "text": f"<@{BOT_USER_ID}> {text}".rstrip(),
                                 "ts": ts or new_ts(), "event_ts": new_ts()}
        if thread_ts:
            event["thread_ts"] = thread_ts
        if files:
            event["files"] = files
        return self.event(event, **kwargs)

    def interaction(self, payload: dict[str, Any], **signing: Any) -> Reply:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **signing)

    def click(self, message: dict[str, Any], *, channel: str, action_id: str,
              user: str = "U0000ALICE") -> Reply:
        """A click on the button `action_id` of `message` (as the fake stored it)."""
        button, block = find_button(message["blocks"], action_id)
        return self.message_action(message, channel=channel, user=user, action={
            "type": "button", "action_id": action_id, "block_id": block.get("block_id"),
            "value": button.get("value"), "text": button["text"]})

    def vote(self, message: dict[str, Any], *, channel: str, up: bool,
             user: str = "U0000ALICE") -> Reply:
        """A click on 👍 (`up`) or 👎 of the feedback buttons of `message`: Slack reports a
        `feedback_buttons` action with the value of the side pressed."""
        element, block = find_feedback_buttons(message["blocks"])
        side = element["positive_button" if up else "negative_button"]
        return self.message_action(message, channel=channel, user=user, action={
            "type": "feedback_buttons", "action_id": element["action_id"],
            "block_id": block.get("block_id"), "value": side["value"], "text": side["text"]})

    def message_action(self, message: dict[str, Any], *, channel: str, user: str,
                       action: dict[str, Any]) -> Reply:
        """The block_actions payload Slack sends for `action` on a (non-ephemeral) message."""
        payload = {
            "type": "block_actions", "team": {"id": TEAM_ID, "domain": "test"},
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "api_app_id": "A0000TEST", "token": "legacy",
            "container": {"type": "message", "message_ts": message["ts"],
                          "channel_id": channel, "is_ephemeral": False,
                          **({"thread_ts": message["thread_ts"]}
                             if message.get("thread_ts") else {})},
            "trigger_id": new_trigger_id("trigger"),
            "channel": {"id": channel, "name": "incidents"},
            "message": message, "response_url": self.fake.response_url(f"{channel}-action"),
            "actions": [{**action, "action_ts": new_ts()}],
        }
        return self.interaction(payload)


def find_feedback_buttons(blocks: list[dict[str, Any]]
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        for element in block.get("elements") or []:
            if block.get("type") == "context_actions" and element.get("type") == (
                    "feedback_buttons"):
                return element, block
    raise AssertionError(f"no feedback buttons in {blocks}")


def find_button(blocks: list[dict[str, Any]], action_id: str
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("action_id") == action_id:
                return element, block
    raise AssertionError(f"no button {action_id} in {blocks}")


_ts_counter = iter(range(1, 10**9))


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts_counter):06d}"


def new_channel() -> str:
    return "C" + uuid.uuid4().hex[:10].upper()


@dataclass
class Server:
    url: str
    database_url: str
    fake: FakeSlackAPI
    slack: SlackSender
    log_path: Path
    backend: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def sql(self, query: str, **params: Any) -> list[Any]:
        engine = create_engine(self.database_url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(query), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()

    def calls_in(self, channel: str, method: str) -> list[Any]:
        return [call for call in self.fake.calls_to(method)
                if call.args.get("channel") == channel]

    def wait_in(self, channel: str, method: str, count: int = 1,
                timeout: float = EVENT_DEADLINE_S,
                predicate: Any = None) -> list[Any]:
        return self.fake.wait_for(
            method, count, timeout,
            lambda call: call.args.get("channel") == channel and (
                predicate is None or predicate(call)))

    def stored_message(self, channel: str, ts: str) -> dict[str, Any]:
        return self.fake.messages[(channel, ts)]

    def wait_for_log(self, text: str, timeout: float = 10) -> str:
        """The server's log once `text` is in it (log lines are written as things happen)."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log()):
            assert time.monotonic() < deadline, f"{text!r} never appeared in the server log"
            time.sleep(0.05)  # the poll interval of this wait
        return log

    def repeats_ignored(self, key: str) -> int:
        """How many requests with this key (an event id, "trigger:" + a trigger_id) the
        server turned away as repeats. It logs that before it answers such a request, so the
        count is complete as soon as the answers are in: no listener ran for them."""
        return self.log().count(f"{key} already handled; ignoring the repeat")

    def settle(self, timeout: float = EVENT_DEADLINE_S) -> None:
        """Wait until a genuine paste sent now has been answered, in a channel of its own.

        The event a "nothing more happened" check over HTTP waits on, instead of a fixed sleep:
        the paste goes through the same door, acks and answer threads as the requests before
        it, so what those would still have posted has had as long as a real answer takes,
        however loaded the machine is. (In-process tests wait for the thread pool itself:
        tests/support/inprocess.py.)
        """
        barrier = new_channel()
        assert self.slack.command(SETTLE_PASTE, channel=barrier).status == 200
        # The whole answer: the card, then its first thread reply (the full answer), which is
        # posted last. Only the reply is waited for: the card's rows depend on the answer (with
        # no incident, as while the database is still counted as down, it has no buttons row),
        # and counting the card by its buttons failed the outage test when the barrier itself
        # was answered in that state.
        self.wait_in(barrier, "chat.postMessage", timeout=timeout,
                     predicate=lambda call: bool(call.args.get("thread_ts")))


@contextmanager
def running_server(folder: Path, database_url: str, backend: str, *,
                   env: dict[str, str] | None = None,
                   extra_env: dict[str, str] | None = None,
                   fake: FakeSlackAPI | None = None,
                   healthy: bool = True) -> Iterator[Server]:
    """`troubleshoot-bot serve` on a free port with two gunicorn workers (like two replicas
    sharing one database) and its own Slack stand-in, stopped on exit.

    `env` is the base environment (default: this process's); the bot's own variables in it are
    dropped so that only what the test sets reaches the server. `fake` is a stand-in the test
    prepared (started; stopped here). With `healthy=False` it is enough that /healthz answers.
    """
    fake = fake or FakeSlackAPI().start()
    port = free_port()
    log_path = folder / "server.log"
    server_env = {key: value for key, value in (os.environ if env is None else env).items()
                  if not key.startswith(("SLACK_", "DATABASE_", "BOT_", "KNOWLEDGE_"))}
    server_env.update({"SLACK_API_URL": fake.api_url, "SLACK_BOT_TOKEN": BOT_TOKEN,
                       "SLACK_SIGNING_SECRET": SIGNING_SECRET, "DATABASE_URL": database_url,
                       "BOT_LANGUAGE": "en", "WEB_CONCURRENCY": "2", "PYTHONUNBUFFERED": "1",
                       # The workers' metric files: under `folder`, removed with it.
                       "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
                       **(extra_env or {})})
    executable = Path(sys.executable).parent / "troubleshoot-bot"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen([str(executable), "serve", "--port", str(port)],
                                   env=server_env, cwd=folder, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process, log_path, statuses=(200,) if healthy else (200, 503))
        yield Server(base_url, database_url, fake, SlackSender(base_url, fake), log_path,
                     backend)
    finally:
        # Killed, not stopped gracefully: no test here is about shutting down, and a gunicorn
        # worker takes seconds to exit after SIGTERM. Everything it held is the test's own (a
        # database dropped next, files under `folder`).
        os.killpg(process.pid, signal.SIGKILL)  # gunicorn's workers too
        process.wait()
        fake.stop()


class InProcessSender(SlackSender):
    """SlackSender's requests, signed the same way, handed to the app in this process."""

    def __init__(self, app: InProcessSlack, secret: str = SIGNING_SECRET) -> None:
        super().__init__("", app.fake, secret)
        self.app = app

    def post(self, body: bytes, content_type: str, *, secret: str | None = None,
             timestamp: int | None = None, headers: dict[str, str] | None = None,
             path: str = "/slack/events") -> Reply:
        signed = slack_signature_headers(body, secret or self.secret, timestamp)
        started = time.monotonic()
        reply = self.app.post(body, content_type, {**signed, **(headers or {})}, path=path)
        return Reply(reply.status, reply.body.decode(), time.monotonic() - started)


class LogLines(logging.Handler):
    """The bot's log lines (tracebacks included) as the server would write them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass
class AppServer(Server):
    """`Server`'s interface with the app in this process: the same door, Bolt app, database and
    Slack stand-in, no gunicorn. `settle()` waits for the app's threads themselves."""

    app: InProcessSlack | None = None
    lines: LogLines | None = None

    def log(self) -> str:
        return "\n".join(self.lines.lines) if self.lines else ""

    def settle(self, timeout: float = EVENT_DEADLINE_S) -> None:
        assert self.app is not None
        self.app.settle()


@contextmanager
def app_server(backend: str, folder: Path, *, admins: frozenset[str] = frozenset()
               ) -> Iterator[AppServer]:
    """An `AppServer` on a fresh, migrated database of `backend`, dropped afterwards."""
    database_url = (databases().sqlite(folder, migrated=True) if backend == "sqlite"
                    else databases().postgresql(migrated=True, prefix="bot_app"))
    fake = FakeSlackAPI().start()
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, app_token="",
                             api_url=fake.api_url, language="en", database_url=database_url,
                             knowledge_path=None, admins=admins)
    app = InProcessSlack(settings, fake)
    lines = LogLines()
    bot_logger = logging.getLogger("bot")
    level = bot_logger.level
    bot_logger.addHandler(lines)
    bot_logger.setLevel(logging.INFO)
    # The outbox is a file in the working directory unless set: this app's own, as a server's is.
    outbox_before = os.environ.get("OUTBOX_PATH")
    os.environ["OUTBOX_PATH"] = str(folder / "outbox.sqlite")
    try:
        yield AppServer("", database_url, fake, InProcessSender(app), folder / "server.log",
                        backend, app=app, lines=lines)
    finally:
        app.settle()
        if outbox_before is None:
            os.environ.pop("OUTBOX_PATH", None)
        else:
            os.environ["OUTBOX_PATH"] = outbox_before
        bot_logger.removeHandler(lines)
        bot_logger.setLevel(level)
        fake.stop()
        if backend != "sqlite":
            databases().release(database_url)


def in_process_server(prefix: str) -> Any:
    """A module's `server` fixture for cases that need no socket or worker: the app in this
    process (`app_server`) on each backend. In the module: `server = in_process_server("x")`."""
    @pytest.fixture(scope="module", params=BACKENDS)
    def server(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
        with app_server(request.param,
                        tmp_path_factory.mktemp(f"{prefix}-{request.param}")) as app:
            yield app

    return server


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real server against a fresh, migrated database of each backend."""
    with migrated_server(request.param, tmp_path_factory.mktemp(f"serve-{request.param}")
                         ) as running:
        yield running


@contextmanager
def migrated_server(backend: str, folder: Path, **options: Any) -> Iterator[Server]:
    """`running_server` (with `options`) against a fresh, migrated database of `backend`
    (a copy of the run's migrated template), dropped afterwards."""
    if backend == "sqlite":
        database_url = databases().sqlite(folder, migrated=True)
    else:
        database_url = databases().postgresql(migrated=True, prefix="bot_e2e")
    try:
        with running_server(folder, database_url, backend, **options) as running:
            yield running
    finally:
        if backend != "sqlite":
            databases().release(database_url)


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log_path: Path, *,
                  statuses: tuple[int, ...] = (200,)) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n"
                                 f"{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:
                if response.status in statuses:
                    return
        except urllib.error.HTTPError as error:
            if error.code in statuses:
                return
        except OSError:
            pass
        time.sleep(0.1)  # the poll interval of this wait
    raise AssertionError(f"server not healthy in time:\n{log_path.read_text(errors='replace')}")


