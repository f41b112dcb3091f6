"""A stand-in for Slack's Web API on 127.0.0.1, speaking its wire format.

Point the app at it with SLACK_API_URL=<fake.api_url> (which ends in `/api/`). It records every
call (method, decoded arguments, headers) and answers like Slack: `{"ok": true, ...}` bodies,
`ok: false` errors, HTTP 429 with Retry-After when told to. It also serves what Slack serves
outside /api/: the upload URL of files.getUploadURLExternal, the response_url of commands and
actions, and private file downloads.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM_ID = "T0000TEST"


# How long a test waits for something the app will do (a post, an update, a publish). Waits
# return as soon as it happens, so a generous deadline costs a passing test nothing; 15-20 s
# failed tests that wait for chat.update when the machine's two cores were shared by a dozen
# processes. Only a test that is about a bound (answered within N s) names its own.
EVENT_DEADLINE_S = 120.0


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage"), or "response_url" / "upload"
    args: dict[str, Any]
    headers: dict[str, str]
    path: str
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Delay:
    method: str
    seconds: float
    channel: str | None = None
    after: bool = False
    times: int | None = None


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5, and the bot posts from many threads at once
    # (twenty concurrent commands in test_slack_conversations). Once, in a fresh-clone run, one
    # of those posts saw "Connection reset by peer" and, rightly, was not sent again (it may
    # have worked); a full accept queue is the likely cause. Slack itself takes far more.
    request_queue_size = 128


class FakeSlackAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}  # file id -> uploaded bytes
        self.files: dict[str, dict[str, Any]] = {}  # file id -> files.info "file" object
        self.file_contents: dict[str, bytes] = {}  # file id -> bytes served for downloads
        self.replies: dict[str, list[dict[str, Any]]] = {}  # thread ts -> messages
        # Messages the app posted, by (channel, ts): conversations.history / replies serve them
        # back (with chat.update applied), as Slack does.
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.socket_mode_url: str | None = None  # what apps.connections.open hands out
        # conversations.info objects by channel id (add_channel); others are made up from the
        # id's first letter as Slack's ids read: C public channel, G private channel, D a DM.
        self.channels: dict[str, dict[str, Any]] = {}
        # Channels the bot is not a member of: Slack's error for each method that needs it.
        self.outside: dict[str, str] = {}
        # usergroups.users.list: members by user-group id (add_user_group); others are unknown.
        self.user_groups: dict[str, list[str]] = {}
        # users.info: each user's team (add_external_user); everyone else is of TEAM_ID.
        self.user_teams: dict[str, str] = {}
        # users.info: people removed from the workspace (remove_user): Slack answers `deleted`.
        self.deleted_users: set[str] = set()
        # method -> queued answers (status, body, headers, the channel they are for or None)
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str], str | None]]] = {}
        self._delays: list[Delay] = []
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval: stop() (shutdown) waits up to one interval.
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # ----- life cycle
    def start(self) -> FakeSlackAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlackAPI:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.base_url}/response/{name}"

    # ----- programming the fake
    def fail_next(self, method: str, *, status: int = 200, body: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None, times: int = 1,
                  channel: str | None = None) -> None:
        """The next `times` calls of `method` (in `channel`, if given) answer this instead (429 +
        Retry-After, errors). With a channel, another test's late post elsewhere on this
        stand-in cannot take the failure meant for this one."""
        with self._lock:
            queue = self._failures.setdefault(method, [])
            queue.extend([(status, body or {"ok": False, "error": "ratelimited"},
                           headers or {}, channel)] * times)

    def _failure_for(self, method: str, args: dict[str, Any]
                     ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        with self._lock:
            queue = self._failures.get(method) or []
            for number, (status, body, headers, channel) in enumerate(queue):
                if channel in (None, args.get("channel")):
                    del queue[number]
                    return status, body, headers
        return None

    def recover(self, method: str) -> None:
        """Forget the failures still queued for `method`: it answers normally again."""
        with self._lock:
            self._failures.pop(method, None)

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1,
                        channel: str | None = None) -> None:
        self.fail_next(method, status=429, body={"ok": False, "error": "ratelimited"},
                       headers={"Retry-After": str(retry_after)}, times=times, channel=channel)

    def delay(self, method: str, seconds: float, *, channel: str | None = None,
              after: bool = False, times: int | None = None) -> None:
        """Answer calls of `method` (in `channel`, if given) `seconds` late: before doing the
        work, or with `after`, once the work is done (Slack posted; the answer is what is late).
        `times` limits it to the next calls; the newest rule that fits a call wins."""
        with self._lock:
            self._delays.append(Delay(method, seconds, channel, after, times))

    def _delay_for(self, method: str, args: dict[str, Any]) -> Delay | None:
        with self._lock:
            for rule in reversed(self._delays):
                if rule.method == method and rule.channel in (None, args.get("channel")) and (
                        rule.times is None or rule.times > 0):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def add_file(self, content: bytes, *, name: str = "paste.txt",
                 filetype: str = "text") -> dict[str, Any]:
        """A file the app can read with files.info and download from url_private_download."""
        file_id = f"F{next(self._ids):08d}"
        url = f"{self.base_url}/files-pri/{TEAM_ID}-{file_id}/{name}"
        info = {"id": file_id, "name": name, "title": name, "filetype": filetype,
                "mimetype": "text/plain", "size": len(content), "url_private": url,
                "url_private_download": url, "mode": "snippet" if filetype else "hosted"}
        self.files[file_id] = info
        self.file_contents[file_id] = content
        return info

    def add_channel(self, channel: str, *, private: bool = False, im: bool = False,
                    mpim: bool = False, ext_shared: bool = False, org_shared: bool = False,
                    missing: bool = False) -> None:
        """What conversations.info says about `channel`; `missing`: channel_not_found (a
        conversation the bot cannot see, such as a DM between two people)."""
        if missing:
            self.channels[channel] = {}
            return
        self.channels[channel] = conversation_object(channel, private=private, im=im, mpim=mpim,
                                                     ext_shared=ext_shared, org_shared=org_shared)

    def add_external_user(self, user: str, team: str = "T0000OTHER") -> None:
        """A person of another organisation (Slack Connect): users.info names their team."""
        with self._lock:
            self.user_teams[user] = team

    def remove_user(self, user: str) -> None:
        """A person removed from the workspace (deactivated): users.info still answers, with
        `"deleted": true`, as Slack does for a deactivated account."""
        with self._lock:
            self.deleted_users.add(user)

    def add_user_group(self, group: str, members: list[str]) -> None:
        """A Slack user group (id `S...`) and its members, as usergroups.users.list lists them."""
        with self._lock:
            self.user_groups[group] = list(members)

    def leave_channel(self, channel: str, *, error: str = "not_in_channel") -> None:
        """The bot is not a member of `channel`: posting, updating, posting ephemerally and
        reading its history answer `error`, as Slack does (`not_in_channel` for a channel the
        bot can see, `channel_not_found` for a private one it was never invited to). Commands
        and clicks still arrive, and their response_url still works."""
        with self._lock:
            self.outside[channel] = error

    # ----- reading what happened
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = EVENT_DEADLINE_S,
                 predicate: Any = None) -> list[Call]:
        """Block until `count` calls of `method` (matching `predicate`) arrived, or fail."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls
                         if c.method == method and (predicate is None or predicate(c))]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} x {method}, got {len(found)}; "
                                         f"calls so far: {seen}")
                self._lock.wait(remaining)

    def wait_until(self, condition: Callable[[], bool],
                   timeout: float = EVENT_DEADLINE_S) -> None:
        """Block until `condition()` holds (checked whenever a call arrives or a message is
        stored), or fail."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the Slack stand-in never reached the expected state")
                self._lock.wait(remaining)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    # ----- the HTTP side
    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._ids):06d}"
        channel = args.get("channel") or "C0000TEST"
        if channel in self.outside and method in MEMBERS_ONLY:
            return {"ok": False, "error": self.outside[channel]}
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test",
                    "user": "troubleshoot", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            problems = _block_kit_problems(args.get("blocks"))
            if problems:  # as Slack answers a message it cannot render
                return {"ok": False, "error": "invalid_blocks", "errors": problems}
        if method in ("chat.postMessage", "chat.update"):
            refused = _unknown_slack_files(args.get("blocks"), self.files)
            if refused:
                return {"ok": False, "error": "invalid_blocks", "errors": [
                    f"invalid slack file [json-pointer:/blocks/{index}/slack_file]"
                    for index in refused]}
            message = {"type": "message", "text": args.get("text", ""), "user": BOT_USER_ID,
                       "bot_id": BOT_ID, "ts": args.get("ts") or ts}
            if args.get("blocks"):
                message["blocks"] = args["blocks"]
            if args.get("metadata"):
                message["metadata"] = args["metadata"]
            self._store_message(channel, message, args)
            return {"ok": True, "channel": channel, "ts": args.get("ts") or ts,
                    "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method in ("views.publish", "views.open", "views.update", "views.push"):
            view = args.get("view") or {}
            return {"ok": True, "view": {"id": f"V{next(self._ids):08d}", **view}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}",
                    "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files") or []
            done = []
            for uploaded in files:  # processed at once: files.info knows them from now on
                file_id = uploaded.get("id")
                content = self.uploads.get(file_id, b"")
                png = content.startswith(b"\x89PNG")
                info = {"id": file_id, "title": uploaded.get("title"),
                        "name": uploaded.get("title"), "size": len(content),
                        "mimetype": "image/png" if png else "text/plain",
                        "filetype": "png" if png else "text",
                        "channels": [args["channel_id"]] if args.get("channel_id") else []}
                with self._lock:
                    self.files[file_id] = info
                    self.file_contents[file_id] = content
                done.append(info)
            return {"ok": True, "files": done}
        if method == "files.info":
            info = self.files.get(args.get("file", ""))
            return {"ok": True, "file": info} if info else {"ok": False,
                                                            "error": "file_not_found"}
        if method == "conversations.replies":
            thread = args.get("ts", "")
            messages = self.replies.get(thread) or [
                m for (c, _ts), m in sorted(self.messages.items(), key=lambda kv: kv[0][1])
                if c == channel and (m["ts"] == thread or m.get("thread_ts") == thread)]
            return {"ok": True, "messages": _with_metadata_if_asked(messages, args),
                    "has_more": False}
        if method == "conversations.history":
            latest = args.get("latest") or "9999999999.999999"
            messages = [m for (c, _ts), m in sorted(self.messages.items(),
                                                    key=lambda kv: kv[0][1], reverse=True)
                        if c == channel and m["ts"] <= latest
                        and m.get("thread_ts") in (None, m["ts"])]
            oldest = args.get("oldest") or "0"
            messages = [m for m in messages if m["ts"] >= oldest]
            return {"ok": True, "messages": _with_metadata_if_asked(
                messages[: int(args.get("limit") or 100)], args), "has_more": False}
        if method == "conversations.list":  # the channels added with add_channel, one page
            listed = [found for found in self.channels.values()
                      if found.get("name") and not found.get("is_im")]
            return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}
        if method == "conversations.info":
            found = self.channels.get(channel)
            if found is None:
                found = conversation_object(channel, private=channel.startswith("G"),
                                            im=channel.startswith("D"))
            if not found:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": found}
        if method == "users.info":
            user = str(args.get("user"))
            return {"ok": True, "user": {"id": user, "name": "someone", "tz": "Asia/Seoul",
                                         "team_id": self.user_teams.get(user, TEAM_ID),
                                         "deleted": user in self.deleted_users}}
        if method == "apps.connections.open":
            if not self.socket_mode_url:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_mode_url}
        if method == "reactions.add":
            return {"ok": True}
        if method == "usergroups.users.list":
            members = self.user_groups.get(args.get("usergroup", ""))
            if members is None:  # Slack's answer for a group id it does not know
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": members}
        return {"ok": True}

    def _store_message(self, channel: str, message: dict[str, Any],
                       args: dict[str, Any]) -> None:
        with self._lock:
            key = (channel, message["ts"])
            stored = {**self.messages.get(key, {}), **message}
            if args.get("thread_ts"):
                stored["thread_ts"] = args["thread_ts"]
            self.messages[key] = stored
            self._lock.notify_all()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # keep test output quiet
                return

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(self, status: int, payload: bytes, content_type: str,
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def _json(self, status: int, body: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8",
                           headers)

            def do_GET(self) -> None:
                path = urlparse(self.path).path
                if path.startswith("/files-pri/"):
                    file_id = path.split("/")[2].split("-", 1)[1]
                    fake._record(Call("file_download", {"file": file_id}, dict(self.headers),
                                      path))
                    content = fake.file_contents.get(file_id)
                    if content is None:
                        self._send(404, b"not found", "text/plain")
                    else:
                        self._send(200, content, "text/plain")
                    return
                self._handle_api(path, dict(parse_qs(urlparse(self.path).query)), b"")

            def do_POST(self) -> None:
                path = urlparse(self.path).path
                body = self._body()
                if path.startswith("/upload/"):
                    file_id = path.rsplit("/", 1)[1]
                    fake.uploads[file_id] = body
                    fake._record(Call("upload", {"file_id": file_id}, dict(self.headers),
                                      path, body))
                    self._send(200, f"OK - {len(body)}".encode(), "text/plain")
                    return
                if path.startswith("/response/"):
                    try:
                        args = json.loads(body or b"{}")
                    except ValueError:
                        args = {"raw": body.decode("utf-8", "replace")}
                    fake._record(Call("response_url", args, dict(self.headers), path, body))
                    self._send(200, b"ok", "text/plain")
                    return
                content_type = self.headers.get("Content-Type", "")
                if "json" in content_type:
                    args = json.loads(body or b"{}")
                else:
                    args = parse_qs(body.decode("utf-8"))
                self._handle_api(path, args, body)

            def _handle_api(self, path: str, raw_args: dict[str, Any], body: bytes) -> None:
                if not path.startswith("/api/"):
                    self._send(404, b"not found", "text/plain")
                    return
                method = path[len("/api/"):]
                args = {key: _decode_value(value) for key, value in raw_args.items()}
                call = Call(method, args, dict(self.headers), path, body)
                delay = fake._delay_for(method, args)
                if delay and not delay.after:
                    fake._record(call)  # seen while it is held up, as Slack would have it
                    time.sleep(delay.seconds)
                failure = fake._failure_for(method, args)
                if failure:
                    if not (delay and not delay.after):
                        fake._record(call)
                    status, answer, headers = failure
                    self._json(status, answer, headers)
                    return
                answer = fake._answer(method, args)
                if not (delay and not delay.after):
                    # Recorded once its message is stored: a test that saw the call finds
                    # the message (messages, stored_message) without racing the stand-in.
                    fake._record(call)
                if delay and delay.after:
                    time.sleep(delay.seconds)
                with contextlib.suppress(OSError):  # the client gave up; the work is done
                    self._json(200, answer)

        return Handler


# What a bot may call only in a channel it is a member of.
MEMBERS_ONLY = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral",
                          "chat.delete", "conversations.history", "conversations.replies",
                          "chat.getPermalink"})


def _block_kit_problems(blocks: Any) -> list[str]:
    """What Slack would refuse in a message's blocks, by Slack's own Block Kit models
    (slack_sdk): an unknown block type, or a block that breaks its limits (text lengths,
    element counts, required fields)."""
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.blocks import Block

    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return ["blocks are not JSON"]
    if isinstance(blocks, dict):  # one block, unwrapped like a one-item form field
        blocks = [blocks]
    if not isinstance(blocks, list):
        return []
    problems = []
    for index, block in enumerate(blocks):
        try:
            model = Block.parse(block) if isinstance(block, dict) else None
            if model is None:
                problems.append(f"unsupported block [json-pointer:/blocks/{index}]")
                continue
            model.validate_json()
        except (SlackObjectFormationError, KeyError, TypeError) as error:
            problems.append(f"{error} [json-pointer:/blocks/{index}]")
    return problems


def _unknown_slack_files(blocks: Any, files: dict[str, dict[str, Any]]) -> list[int]:
    """Indexes of image blocks showing a Slack file that was never uploaded (Slack answers
    invalid_blocks, as it does for a file it has not finished processing)."""
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return []  # not blocks at all: the app's other checks answer that
    if not isinstance(blocks, list):
        return []
    return [index for index, block in enumerate(blocks)
            if isinstance(block, dict) and block.get("type") == "image"
            and isinstance(block.get("slack_file"), dict)
            and block["slack_file"].get("id") not in files]


def conversation_object(channel: str, *, private: bool = False, im: bool = False,
                        mpim: bool = False, ext_shared: bool = False,
                        org_shared: bool = False) -> dict[str, Any]:
    """A conversation object as conversations.info returns it (docs.slack.dev, Conversation
    object): a DM carries is_im and the other user; channels carry the is_* flags.
    `org_shared`: an Enterprise Grid channel shared with other workspaces of the organisation
    (`is_shared` and `is_org_shared`, not `is_ext_shared`)."""
    created = 1_700_000_000
    if im:
        return {"id": channel, "created": created, "is_archived": False, "is_im": True,
                "is_org_shared": False, "context_team_id": TEAM_ID, "updated": created * 1000,
                "user": "U0000OTHER", "is_user_deleted": False, "priority": 0}
    name = "mpdm-alice--bob--carol-1" if mpim else f"incidents-{channel.lower()}"
    return {"id": channel, "name": name, "is_channel": not (private or mpim),
            "is_group": private and not mpim, "is_im": False, "is_mpim": mpim,
            "is_private": private or mpim, "created": created, "is_archived": False,
            "is_general": False, "unlinked": 0, "name_normalized": name,
            "is_shared": ext_shared or org_shared, "is_org_shared": org_shared,
            "is_ext_shared": ext_shared, "is_pending_ext_shared": False,
            "pending_shared": [], "context_team_id": TEAM_ID, "updated": created * 1000,
            "parent_conversation": None, "creator": "U0000ALICE",
            "shared_team_ids": [TEAM_ID, "T0000OTHER"] if org_shared else [TEAM_ID],
            "pending_connected_team_ids": [], "is_member": True,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0}, "previous_names": []}


def _with_metadata_if_asked(messages: list[dict[str, Any]],
                            args: dict[str, Any]) -> list[dict[str, Any]]:
    """Slack includes message metadata in history and replies only with include_all_metadata."""
    if str(args.get("include_all_metadata", "")).lower() in ("true", "1"):
        return messages
    return [{key: value for key, value in m.items() if key != "metadata"} for m in messages]


def _decode_value(value: Any) -> Any:
    """Form fields arrive as lists of strings; JSON-encoded ones (blocks, view) are decoded."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
