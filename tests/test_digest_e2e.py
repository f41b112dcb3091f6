"""`/troubleshoot digest` through the real server: a signed slash command over HTTP, the Bolt
app's lazy listener, the digest handler, the database, and the answer at the response_url."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Server, server  # noqa: F401  (fixtures; `channel` is global)

pytestmark = pytest.mark.slow


def test_digest_preview_and_subscription_over_http(server: Server, channel: str) -> None:  # noqa: F811
    fake = server.fake

    def answer(text: str) -> dict:
        before = len(fake.calls_to("response_url"))
        reply = server.slack.command(text, channel=channel)
        assert reply.status == 200 and reply.seconds < 3.0
        return fake.wait_for("response_url", before + 1, predicate=lambda call:
                             call.path.endswith(channel))[-1].args

    preview = answer("digest")
    assert preview["response_type"] == "ephemeral"
    assert "Weekly digest" in json.dumps(preview["blocks"])

    subscribed = answer("digest subscribe fri 17:30 UTC")
    assert "every Friday at 17:30 (UTC)" in subscribed["text"]
    rows = server.sql("SELECT weekday, time_of_day, timezone FROM digest_subscriptions "
                      "WHERE channel = :channel", channel=channel)
    assert [tuple(row) for row in rows] == [(4, "17:30", "UTC")]

    assert "no longer" in answer("digest unsubscribe")["text"]
    assert server.sql("SELECT channel FROM digest_subscriptions WHERE channel = :channel",
                      channel=channel) == []
    assert server.calls_in(channel, "chat.postMessage") == []  # all of it only to the asker
