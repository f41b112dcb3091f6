"""The door in front of Bolt: only a verified Slack request of a sane size gets in.

Bolt checks signatures too, but it parses the body before it verifies it, and a malformed
`X-Slack-Request-Timestamp` makes its check raise instead of refuse: the error then reached our
error handler carrying the unverified body (issue 9, item 1). Here nothing in the body is used
before the signature over the raw bytes is checked, in constant time:

- a body over MAX_BODY_BYTES is refused with 413, and one still arriving after
  BODY_READ_TIMEOUT_S is cut off with 408 (`bot.http_body`, shared with the alerts endpoint);
- missing or malformed signature headers, a timestamp more than five minutes away, or a wrong
  signature: 401, nothing else happens;
- a signed body that is not UTF-8, or not what Bolt can parse: 400 (Slack never sends one).

Only then does the request reach Bolt, with the bytes already read.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.http_body import Refusal, read_body

log = logging.getLogger("bot.slack")

MAX_CLOCK_SKEW_S = 5 * 60  # Slack's own rule for stale requests

_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: no sign, exponent or blanks
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

UNVERIFIED = Refusal("401 Unauthorized", "signature missing, malformed, stale or wrong")
NOT_UTF8 = Refusal("400 Bad Request", "body is not UTF-8")
UNPARSEABLE = Refusal("400 Bad Request", "body is not a Slack payload")


def is_signed(secret: str, body: bytes, timestamp: str | None, signature: str | None, *,
              now: float | None = None) -> bool:
    """Slack's v0 signature over the raw bytes, checked in constant time; fails closed."""
    if not secret or not timestamp or not signature:
        return False
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def parse_problem(body: bytes, content_type: str) -> Refusal | None:
    """None when Bolt can parse the body into a payload; why not otherwise."""
    from slack_bolt.request.internals import parse_body  # exactly what Bolt will run

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    try:
        payload = parse_body(text, content_type.split(";")[0].strip().lower() or None)
    # Broken JSON in the body or in a form's `payload`; or JSON nested deeper than the parser
    # recurses (a megabyte of `[`), whose RecursionError is no ValueError.
    except (ValueError, TypeError, RecursionError):
        return UNPARSEABLE
    return None if isinstance(payload, dict) else UNPARSEABLE


def check(environ: dict[str, Any], secret: str) -> bytes | Refusal:
    """The body of a verified, well-formed Slack request, or the refusal to answer with."""
    body = read_body(environ)
    if isinstance(body, Refusal):
        return body
    if not is_signed(secret, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                     environ.get("HTTP_X_SLACK_SIGNATURE")):
        return UNVERIFIED
    return parse_problem(body, environ.get("CONTENT_TYPE") or "") or body


def guard(secret: str, inner: WsgiApp) -> WsgiApp:
    """`inner` behind the door: it sees only verified requests, their body already read."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        outcome = check(environ, secret)
        if isinstance(outcome, Refusal):
            log.info("refused a request to %s: %s (%s)", environ.get("PATH_INFO"),
                     outcome.status, outcome.reason)
            payload = outcome.status.split(" ", 1)[1].lower().encode() + b"\n"
            start_response(outcome.status, [("Content-Type", "text/plain; charset=utf-8"),
                                            ("Content-Length", str(len(payload)))])
            return [payload]
        verified = dict(environ)
        verified["wsgi.input"] = io.BytesIO(outcome)
        verified["CONTENT_LENGTH"] = str(len(outcome))
        return inner(verified, start_response)

    return application
