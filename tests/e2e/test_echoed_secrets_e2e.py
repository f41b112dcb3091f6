"""What the bot quotes back of what was typed holds no secret (round 8's probe of the door).

A usage error quotes the word it could not use (`logs svc --token=…`, `digest subscribe …`),
a mention that is a command word is answered "use the slash command" with the words, and a
log target typed in the Fetch-logs modal is posted in the channel and audited. A slash
command's text is seen by nobody else, so quoting it back, or posting it in the channel, would
publish a token pasted in the wrong place. The real app in this process, signed requests, the
Slack stand-in, both databases: no 12-character piece of the secret reaches Slack, the log or
the database.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from bot.logs.render import MODAL_CALLBACK
from tests.e2e.conftest import Server, in_process_server, new_channel
from tests.e2e.test_secret_leaks_e2e import database_text
from tests.support.secret_formats import leaked
from tests.support.slack_api import TEAM_ID

pytestmark = pytest.mark.slow

server = in_process_server("echoed-secrets")

TOKEN = "ghp_Q7rT2xL9mZ4kW8vB1nC6yH3jP5sD0fG2aE7u"  # fake, of GitHub's shape
LIVE_KEY = "sk_live_Zx81Kq02Lm93Nb74Vc65Xz56As47Df38Gh29"  # fake, of Stripe's shape


def sent_since(server: Server, before: int) -> str:
    calls = server.fake.calls[before:]
    return "\n".join([json.dumps(call.args, ensure_ascii=False) for call in calls]
                     + [call.body.decode("utf-8", "replace") for call in calls if call.body])


def assert_nowhere(server: Server, before: int, *secrets: str) -> None:
    for secret in secrets:
        for where, text in (("Slack", sent_since(server, before)), ("log", server.log()),
                            ("database", database_text(server))):
            piece = leaked(secret, text)
            assert piece is None, f"{piece!r} reached the {where}"


@pytest.mark.parametrize("typed", [
    f"logs svc --token={TOKEN}", f"logs svc {TOKEN}", f"logs svc --lines {TOKEN}",
    f"logs svc --lines={LIVE_KEY}", f"logs {TOKEN}", f"digest subscribe {TOKEN}",
    f"lang {TOKEN}", f"resolve 1 key={LIVE_KEY}", f"deployments {TOKEN}",
])
def test_a_sub_commands_reply_never_quotes_a_secret_it_was_given(server: Server,
                                                                   typed: str) -> None:
    channel = new_channel()
    before = len(server.fake.calls)
    assert server.slack.command(typed, channel=channel).status == 200
    server.settle()
    assert server.fake.calls[before:], "the command was not answered at all"
    assert_nowhere(server, before, TOKEN, LIVE_KEY)


@pytest.mark.parametrize("said", [f"logs {TOKEN}", f"resolve {TOKEN}", f"lang {LIVE_KEY}"])
def test_a_mention_answered_with_use_the_command_quotes_no_secret(server: Server,
                                                                 said: str) -> None:
    channel = new_channel()
    before = len(server.fake.calls)
    server.slack.mention(said, channel=channel)
    server.wait_in(channel, "chat.postEphemeral")
    assert_nowhere(server, before, TOKEN, LIVE_KEY)


def test_a_token_typed_as_a_log_target_in_the_modal_is_refused_there_and_goes_nowhere(
        server: Server) -> None:
    channel = new_channel()
    before = len(server.fake.calls)
    metadata = json.dumps({"channel": channel, "thread_ts": None, "incident_id": None})
    payload = {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": "U0000ALICE", "username": "alice", "team_id": TEAM_ID},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": "1.2.modal",
        "view": {"id": "V0000LOGS", "team_id": TEAM_ID, "type": "modal",
                 "callback_id": MODAL_CALLBACK, "private_metadata": metadata,
                 "state": {"values": {"service_name": {"value": {
                     "type": "plain_text_input", "value": TOKEN}}}}}}
    reply = server.slack.post(urllib.parse.urlencode({"payload": json.dumps(payload)}).encode(),
                              "application/x-www-form-urlencoded")
    server.settle()
    assert reply.status == 200 and json.loads(reply.body)["response_action"] == "errors"
    assert_nowhere(server, before, TOKEN)
    assert leaked(TOKEN, reply.body) is None
