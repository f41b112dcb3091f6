"""A client that sends a request's head, then its body one byte a second, never finishing: how
a slow or hostile client holds a server thread. What the server answered, and when."""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Callable


def trickle(server_url: str, head: bytes, *, meanwhile: Callable[[], None] = lambda: None,
            give_up_s: float = 20.0) -> tuple[bytes, float]:
    """Send `head` (request line, headers and the body's first bytes), run `meanwhile` (the
    requests that must still be served), then one more byte a second until the server answers
    or closes. Returns the first bytes of the answer (b"" if it closed) and the seconds waited."""
    host, port = urllib.parse.urlsplit(server_url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as slow:
        slow.sendall(head)
        started = time.monotonic()
        meanwhile()
        answer = b""
        slow.settimeout(1.0)
        while not answer and time.monotonic() - started < give_up_s:
            try:
                slow.sendall(b" ")  # one byte a second: never finishing
                answer = slow.recv(200)
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        return answer, time.monotonic() - started
