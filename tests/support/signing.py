"""Build requests signed the way Slack signs them (v0 HMAC-SHA256 over the raw body)."""

from __future__ import annotations

import hashlib
import hmac
import time


def slack_signature_headers(body: bytes | str, secret: str,
                            timestamp: int | None = None) -> dict[str, str]:
    raw = body.encode() if isinstance(body, str) else body
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + raw
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
