"""Forged requests at the door (issue 9, item 1), in-process: the real door and Bolt app on each
database backend, every malformed or missing signature header against each kind of request.

An attacker controls every byte of an unsigned request, including `response_url` and the channel
an event names, so "refused" means: a plain 401, no call to the Slack stand-in, nothing sent to
the response_url target, nothing recorded and no traceback logged. The checks run after
`settle()`, when all work the request could have started has finished. Over real HTTP the same
door is tried in tests/e2e/test_slack_door.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import SIGNING_SECRET
from tests.support.hook_target import HookTarget
from tests.support.inprocess import InProcessSlack
from tests.support.signing import slack_signature_headers
from tests.support.slack_payloads import (
    FORGERIES,
    click_body,
    command_body,
    forged_headers,
    mention_body,
)


@pytest.fixture
def target() -> Iterator[HookTarget]:
    hook = HookTarget()
    yield hook
    hook.close()


def occurrences_in(database_url: str, channel: str) -> list[object]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(
                text("SELECT id FROM occurrences WHERE channel = :c"), {"c": channel}))
    finally:
        engine.dispose()


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("kind", ["command", "mention", "click"])
def test_an_unverified_request_is_a_plain_401_and_nothing_is_sent(
        slack_app: InProcessSlack, channel: str, target: HookTarget, forgery: str, kind: str,
        caplog: pytest.LogCaptureFixture) -> None:
    body = {"command": lambda: command_body(channel, target.url),
            "mention": lambda: mention_body(channel),
            "click": lambda: click_body(channel, target.url)}[kind]()
    content_type = "application/json" if kind == "mention" else (
        "application/x-www-form-urlencoded")
    with caplog.at_level(logging.INFO):
        reply = slack_app.post(body, content_type, forged_headers()[forgery])
        slack_app.settle()
    assert reply.status == 401 and reply.body == b"unauthorized\n"
    assert [call for call in slack_app.fake.calls if channel in json.dumps(call.args)
            or channel in call.path] == []
    assert target.hits == []
    assert occurrences_in(slack_app.settings.database_url, channel) == []
    assert [record for record in caplog.records if record.exc_info] == []
    assert any("refused a request" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("body", "content_type"), [
    (b"[" * 100_000, "application/json"),
    (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    (b"payload=" + b"%5B" * 100_000, "application/x-www-form-urlencoded"),
])
def test_a_signed_body_nested_too_deep_to_parse_is_a_400_not_a_crash(
        slack_app: InProcessSlack, body: bytes, content_type: str,
        caplog: pytest.LogCaptureFixture) -> None:
    """Under the size limit, a body of nested brackets makes the JSON parser raise
    RecursionError, which is not a ValueError: it went through the door as a 500 with a
    traceback (and Slack retries a 500). It is a body Bolt cannot parse: 400, nothing logged
    but the refusal."""
    with caplog.at_level(logging.INFO):
        reply = slack_app.post(body, content_type, slack_signature_headers(body, SIGNING_SECRET))
        slack_app.settle()
    assert reply.status == 400 and reply.body == b"bad request\n"
    assert [record for record in caplog.records if record.exc_info] == []
    assert slack_app.fake.calls == []
