"""A stand-in for Slack's Web API on 127.0.0.1, speaking its wire format.

Point the app at it with SLACK_API_URL=<fake.api_url> (which ends in `/api/`). It records every
call (method, decoded arguments, headers) and answers like Slack: `{"ok": true, ...}` bodies,
`ok: false` errors, HTTP 429 with Retry-After when told to. It also serves what Slack serves
outside /api/: the upload URL of files.getUploadURLExternal, the response_url of commands and
actions, and private file downloads.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM_ID = "T0000TEST"


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage"), or "response_url" / "upload"
    args: dict[str, Any]
    headers: dict[str, str]
    path: str
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)


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
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._delays: dict[str, float] = {}
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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
                  headers: dict[str, str] | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` answer this instead (429 + Retry-After, errors)."""
        with self._lock:
            queue = self._failures.setdefault(method, [])
            queue.extend([(status, body or {"ok": False, "error": "ratelimited"},
                           headers or {})] * times)

    def recover(self, method: str) -> None:
        """Forget the failures still queued for `method`: it answers normally again."""
        with self._lock:
            self._failures.pop(method, None)

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self.fail_next(method, status=429, body={"ok": False, "error": "ratelimited"},
                       headers={"Retry-After": str(retry_after)}, times=times)

    def delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

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

    # ----- reading what happened
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0,
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

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    # ----- the HTTP side
    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._ids):06d}"
        channel = args.get("channel") or "C0000TEST"
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test",
                    "user": "troubleshoot", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.update"):
            message = {"type": "message", "text": args.get("text", ""), "user": BOT_USER_ID,
                       "bot_id": BOT_ID, "ts": args.get("ts") or ts}
            if args.get("blocks"):
                message["blocks"] = args["blocks"]
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
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")}
                                          for f in files]}
        if method == "files.info":
            info = self.files.get(args.get("file", ""))
            return {"ok": True, "file": info} if info else {"ok": False,
                                                            "error": "file_not_found"}
        if method == "conversations.replies":
            thread = args.get("ts", "")
            messages = self.replies.get(thread) or [
                m for (c, _ts), m in sorted(self.messages.items(), key=lambda kv: kv[0][1])
                if c == channel and (m["ts"] == thread or m.get("thread_ts") == thread)]
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "conversations.history":
            latest = args.get("latest") or "9999999999.999999"
            messages = [m for (c, _ts), m in sorted(self.messages.items(),
                                                    key=lambda kv: kv[0][1], reverse=True)
                        if c == channel and m["ts"] <= latest
                        and m.get("thread_ts") in (None, m["ts"])]
            return {"ok": True, "messages": messages[: int(args.get("limit") or 100)],
                    "has_more": False}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": channel, "name": "incidents"}}
        if method == "users.info":
            return {"ok": True, "user": {"id": args.get("user"), "name": "someone",
                                         "tz": "Asia/Seoul"}}
        if method == "apps.connections.open":
            if not self.socket_mode_url:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_mode_url}
        if method == "reactions.add":
            return {"ok": True}
        return {"ok": True}

    def _store_message(self, channel: str, message: dict[str, Any],
                       args: dict[str, Any]) -> None:
        with self._lock:
            key = (channel, message["ts"])
            stored = {**self.messages.get(key, {}), **message}
            if args.get("thread_ts"):
                stored["thread_ts"] = args["thread_ts"]
            self.messages[key] = stored

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
                fake._record(Call(method, args, dict(self.headers), path, body))
                if fake._delays.get(method):
                    time.sleep(fake._delays[method])
                with fake._lock:
                    queue = fake._failures.get(method)
                    failure = queue.pop(0) if queue else None
                if failure:
                    status, answer, headers = failure
                    self._json(status, answer, headers)
                    return
                self._json(200, fake._answer(method, args))

        return Handler


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
