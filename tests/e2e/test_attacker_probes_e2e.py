"""Round 10's audit, as a member of the workspace with no special rights, through the real
server (signed requests over HTTP, the Slack stand-in, SQLite and PostgreSQL). Each test failed
on the code before its fix (docs/slack.md, "Probed in round 10").
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Server, new_channel
from tests.e2e.test_slack_conversations import all_text, respond_calls
from tests.support.secret_formats import leaked

pytestmark = pytest.mark.slow


def private_channel(server: Server) -> tuple[str, str]:
    """A private channel the bot was invited to: its id and the name Slack lists it under."""
    channel = "G" + uuid.uuid4().hex[:10].upper()
    server.fake.add_channel(channel, private=True)
    return channel, server.fake.channels[channel]["name"]


def subscribe_reply(server: Server, channel: str, words: str) -> str:
    server.slack.command(f"digest subscribe {words}", channel=channel)
    return str(respond_calls(server, channel)[-1].args["text"])


def test_digest_subscribe_does_not_confirm_that_a_private_channel_exists(
        server: Server) -> None:
    """`digest subscribe #name` resolves names through conversations.list, which lists the
    private channels the bot was invited to. Typed in a public channel by someone who is not in
    `#name`, it answered "Subscribed … covering <#G…>" for a private channel and "could not find
    the channel" for a name nobody uses: a way to learn which private channels exist. A private
    channel's incidents never reach another channel's digest anyway, so naming one there does
    nothing but tell; it now gets the same answer as a name that does not exist."""
    secret, name = private_channel(server)
    public, elsewhere = new_channel(), new_channel()

    probed = subscribe_reply(server, public, f"#{name}")
    nothing = subscribe_reply(server, elsewhere, "#no-such-channel-here")

    assert "could not find the channel" in probed, probed
    assert probed.replace(name, "X") == nothing.replace("no-such-channel-here", "X")
    assert secret not in probed
    assert not server.sql("SELECT channel FROM digest_subscriptions WHERE channel = :c",
                          c=public)


def test_a_private_channel_may_still_name_itself_and_public_channels_are_found(
        server: Server) -> None:
    """The fix keeps what people use: a private channel names itself (its own digest), and any
    channel names public channels."""
    secret, name = private_channel(server)
    assert "Subscribed" in subscribe_reply(server, secret, f"#{name}")
    assert server.sql("SELECT channel FROM digest_subscriptions WHERE channel = :c", c=secret)

    listed = "C" + uuid.uuid4().hex[:10].upper()
    server.fake.add_channel(listed)
    public = new_channel()
    reply = subscribe_reply(server, public, f"#{server.fake.channels[listed]['name']}")
    assert "Subscribed" in reply and f"<#{listed}>" in reply, reply


def test_the_name_of_a_file_the_bot_cannot_read_is_redacted_before_it_is_quoted(
        server: Server) -> None:
    """A screenshot saved under the token it shows (`xoxb-….png`, `password=….png`): the notice
    "I could not read the attached file …" quoted the name as uploaded, secret and all."""
    channel = new_channel()
    token = "xoxb-2741902117-8830191263317-" + uuid.uuid4().hex[:24]
    password = "Wint3r" + uuid.uuid4().hex[:12]
    files = [server.fake.add_file(b"\x89PNG\r\n\x1a\n" + bytes(100), name=name, filetype="png")
             for name in (f"{token}.png", f"db password={password}.png")]
    server.slack.mention("", channel=channel, files=[{"id": file["id"]} for file in files])
    notices = server.wait_in(channel, "chat.postMessage", 3)
    said = all_text([call.args for call in notices])
    assert "could not read the attached file" in said
    assert "[REDACTED:" in said
    for secret in (token, password):
        assert leaked(secret, said) is None, said
        assert leaked(secret, server.log()) is None
