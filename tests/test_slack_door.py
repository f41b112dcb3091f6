"""The door's pure parts: Slack's v0 signature, fail-closed on every malformed header, and the
body reader's limits. The same checks run end to end in tests/e2e/test_slack_door.py."""

from __future__ import annotations

import io
import time

import pytest

from bot.http_body import MAX_BODY_BYTES, TOO_LARGE, read_body
from bot.slack.door import UNPARSEABLE, is_signed, parse_problem
from tests.support.signing import slack_signature_headers

SECRET = "door-secret"
BODY = b"command=%2Ftroubleshoot&text=hello"


def test_a_correct_signature_passes() -> None:
    headers = slack_signature_headers(BODY, SECRET)
    assert is_signed(SECRET, BODY, headers["X-Slack-Request-Timestamp"],
                     headers["X-Slack-Signature"])


@pytest.mark.parametrize("timestamp", ["x", "1e3", "", "-1", " 1", "+1", "1.0", "٣٣", "0x10",
                                       "9" * 40, None])
def test_a_malformed_timestamp_fails_closed(timestamp: str | None) -> None:
    signature = slack_signature_headers(BODY, SECRET)["X-Slack-Signature"]
    assert is_signed(SECRET, BODY, timestamp, signature) is False


@pytest.mark.parametrize("change", ["stale", "future", "body", "secret", "signature case"])
def test_anything_changed_fails(change: str) -> None:
    now = int(time.time())
    stamp = {"stale": now - 301, "future": now + 301}.get(change, now)
    headers = slack_signature_headers(BODY, "other" if change == "secret" else SECRET, stamp)
    signature = headers["X-Slack-Signature"]
    if change == "signature case":
        signature = signature.upper().replace("V0=", "v0=")
    body = BODY + b"x" if change == "body" else BODY
    assert is_signed(SECRET, body, headers["X-Slack-Request-Timestamp"], signature) is False


def test_an_empty_secret_verifies_nothing() -> None:
    headers = slack_signature_headers(BODY, "")
    assert is_signed("", BODY, headers["X-Slack-Request-Timestamp"],
                     headers["X-Slack-Signature"]) is False


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    stream = CountingStream(b"x" * 10)
    assert read_body({"CONTENT_LENGTH": str(MAX_BODY_BYTES + 1), "wsgi.input": stream}) \
        is TOO_LARGE
    assert stream.asked == []


def test_without_a_length_at_most_one_byte_past_the_limit_is_read() -> None:
    stream = CountingStream(b"x" * (MAX_BODY_BYTES * 3))
    assert read_body({"wsgi.input": stream}) is TOO_LARGE
    assert stream.asked == [MAX_BODY_BYTES + 1]
    assert read_body({"wsgi.input": io.BytesIO(b"small")}) == b"small"


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "1 2", "٣"])
def test_a_malformed_length_is_a_400(length: str) -> None:
    refusal = read_body({"CONTENT_LENGTH": length, "wsgi.input": io.BytesIO(b"x")})
    assert not isinstance(refusal, bytes) and refusal.code == 400


@pytest.mark.parametrize(("body", "content_type"), [
    (b"\xff\xfe", "application/x-www-form-urlencoded"),
    (b"{broken", "application/json"),
    (b"[1]", "application/json"),
    (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
    (b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
])
def test_bodies_bolt_cannot_parse_are_named(body: bytes, content_type: str) -> None:
    assert parse_problem(body, content_type) is not None


def test_slack_payloads_parse() -> None:
    assert parse_problem(BODY, "application/x-www-form-urlencoded") is None
    assert parse_problem(b'{"type": "event_callback"}', "application/json; charset=utf-8") is None
    assert parse_problem(b"payload=%7B%22type%22%3A%22block_actions%22%7D",
                         "application/x-www-form-urlencoded") is None
    assert UNPARSEABLE.code == 400
