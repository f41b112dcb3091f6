"""Reading a request body safely, for every door the server has (Slack's, Azure Monitor's).

- a body over the limit is refused before it is read (by Content-Length), or as soon as one byte
  more than the limit has arrived (chunked bodies);
- a body still arriving after the timeout is cut off, so a client trickling bytes cannot hold a
  worker thread for long;
- a malformed Content-Length, or a body shorter than declared, is a 400.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# Slack's payloads are far smaller: the biggest we take in is a 40,000-character paste, at most
# 360 kB form-encoded (a Korean character is 3 UTF-8 bytes, 9 once percent-encoded), or a click
# on an answer, which carries the answer's blocks; Azure Monitor's alerts are a few kB. 1 MiB
# leaves room and bounds memory: a worker holds at most WEB_THREADS bodies at once.
MAX_BODY_BYTES = 1024 * 1024
# Slack and Azure send a body in milliseconds; ten seconds is generous and keeps a trickling
# client from holding one of the worker's threads for longer.
BODY_READ_TIMEOUT_S = 10.0

_LENGTH = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Refusal:
    status: str  # "401 Unauthorized"
    reason: str  # for the log and, where the caller speaks JSON, the client

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


TOO_LARGE = Refusal("413 Content Too Large", f"body over {MAX_BODY_BYTES} bytes")
TOO_SLOW = Refusal("408 Request Timeout", f"body not received within {BODY_READ_TIMEOUT_S:g} s")
BAD_LENGTH = Refusal("400 Bad Request", "malformed Content-Length")


def read_body(environ: dict[str, Any], *, limit: int = MAX_BODY_BYTES,
              timeout: float = BODY_READ_TIMEOUT_S) -> bytes | Refusal:
    """The raw body, or why it was refused; never more than `limit` + 1 bytes are read."""
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    if declared and not _LENGTH.fullmatch(declared):
        return BAD_LENGTH
    if declared and int(declared) > limit:
        return TOO_LARGE
    wanted = int(declared) if declared else limit + 1  # chunked: stop one byte past the limit
    stream = environ.get("wsgi.input")
    if stream is None or wanted == 0:
        return b""
    with _deadline(environ, timeout) as expired:
        try:
            body = stream.read(wanted)
        except Exception:  # the client went away, or the deadline cut the socket
            return TOO_SLOW if expired() else Refusal("400 Bad Request", "body unreadable")
    if expired() or (declared and len(body) < wanted):
        return TOO_SLOW if expired() else Refusal("400 Bad Request", "body shorter than declared")
    return TOO_LARGE if len(body) > limit else body


@contextlib.contextmanager
def _deadline(environ: dict[str, Any], seconds: float) -> Iterator[Callable[[], bool]]:
    """After `seconds`, shut the reading side of the client's socket: a blocked read returns.

    A socket timeout would bound each recv(), not the whole body: a client sending one byte
    just inside every timeout would never be cut off. gunicorn hands us its socket.
    """
    client = environ.get("gunicorn.socket")
    expired = threading.Event()
    if client is None:
        yield expired.is_set
        return

    def cut() -> None:
        expired.set()
        with contextlib.suppress(OSError):
            client.shutdown(socket.SHUT_RD)

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        yield expired.is_set
    finally:
        timer.cancel()
