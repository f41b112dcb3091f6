"""A channel the bot is not a member of (issue 13, problem 8), end to end: the real app in this
process, the Slack stand-in refusing every member-only method there (`leave_channel`) as Slack
does, both databases.

The answer still arrives through the command's response_url; what to do about the membership
goes to the person alone, naming the app as Slack shows it (a mention of its bot user, never a
name written into the code). Resolving such an answer works, says so in the channel through the
click's response_url, and tells the resolver to invite the app: never "an internal error".
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import (
    Server,
    in_process_server,
    new_channel,
    new_trigger_id,
    new_ts,
)
from tests.e2e.test_slack_conversations import GPU_ERROR, all_text, incident_id_of, incident_rows
from tests.support.slack_api import BOT_USER_ID, TEAM_ID

pytestmark = pytest.mark.slow

APP = f"<@{BOT_USER_ID}>"  # Slack renders it as the app's current display name


server = in_process_server("outside")  # the app in this process: no socket or worker


def outside_channel(server: Server, error: str = "not_in_channel") -> str:
    channel = new_channel()
    server.fake.leave_channel(channel, error=error)
    return channel


def responses(server: Server, name: str, response_type: str, count: int = 1) -> list[Any]:
    return server.fake.wait_for("response_url", count, predicate=lambda call: (
        call.path == f"/response/{name}" and call.args.get("response_type") == response_type))


def answer_through_the_command(server: Server, channel: str) -> dict[str, Any]:
    server.slack.command(f"{GPU_ERROR} (outside {channel})", channel=channel)
    [answer] = responses(server, channel, "in_channel")
    return dict(answer.args)


def nothing_apologised(server: Server) -> None:
    server.settle()
    said = all_text([call.args for call in server.fake.calls])
    assert "Reference `" not in said and "Sorry" not in said
    assert "troubleshoot-bot" not in said  # the app is named by Slack, not by us


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_the_answer_comes_through_the_command_and_the_hint_goes_to_the_person(
        server: Server, error: str) -> None:
    channel = outside_channel(server, error)
    answer = answer_through_the_command(server, channel)
    shown = all_text(answer["blocks"])
    assert "container-cannot-be-scheduled" in shown and "resolve_incident" in shown
    assert "Invite" not in shown  # nothing under the answer's buttons
    [hint] = responses(server, channel, "ephemeral")
    assert hint.args["text"].endswith(f"(`/invite`, then pick it): {APP}")
    assert "no thread" in hint.args["text"]
    nothing_apologised(server)


def test_resolving_such_an_answer_says_so_and_tells_the_resolver_to_invite_the_app(
        server: Server) -> None:
    channel = outside_channel(server)
    answer = answer_through_the_command(server, channel)
    incident_id = incident_id_of(answer["blocks"])
    message = {"type": "message", "ts": new_ts(), "text": answer["text"],
               "blocks": answer["blocks"]}
    server.slack.click(message, channel=channel, action_id="resolve_incident")
    opened = server.fake.wait_for("views.open", predicate=lambda call: json.loads(
        call.args["view"]["private_metadata"])["incident_id"] == incident_id)[0]
    view = opened.args["view"]
    submission = {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": "U0000CAROL", "username": "carol", "team_id": TEAM_ID},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "view": {**view, "id": "V0000OUTSIDE", "team_id": TEAM_ID, "state": {"values": {
            "note": {"note_input": {"type": "plain_text_input",
                                    "value": "added a gpupool node pool"}}}}}}
    assert server.slack.interaction(submission).status == 200

    action = f"{channel}-action"  # the click's response_url
    [said] = responses(server, action, "in_channel")
    assert (f"Incident #{incident_id} resolved by <@U0000CAROL>: added a gpupool node pool"
            in said.args["text"])
    [told] = responses(server, action, "ephemeral")
    assert f"Incident #{incident_id} is resolved" in told.args["text"]
    assert f"<#{channel}>" in told.args["text"] and told.args["text"].endswith(APP)
    [row] = incident_rows(server, incident_id)
    assert row.status == "resolved" and row.resolution_note == "added a gpupool node pool"
    assert not server.fake.calls_to("chat.postMessage") or all(
        call.args.get("channel") != "U0000CAROL" for call in server.fake.calls_to(
            "chat.postMessage"))  # no direct message at all
    nothing_apologised(server)

    # A second resolver is told it was already done, through the same door.
    again = {**submission, "trigger_id": new_trigger_id(),
             "user": {**submission["user"], "id": "U0000DAVE"}}
    server.slack.interaction(again)
    told_again = responses(server, action, "ephemeral", 2)[-1]
    assert f"Incident #{incident_id} is already resolved (<@U0000CAROL>)" in (
        told_again.args["text"])


def test_voting_on_such_an_answer_updates_it_through_the_click(server: Server) -> None:
    channel = outside_channel(server)
    answer = answer_through_the_command(server, channel)
    message = {"type": "message", "ts": new_ts(), "text": answer["text"],
               "blocks": answer["blocks"]}
    server.slack.vote(message, channel=channel, up=True)  # 👍
    [updated] = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path == f"/response/{channel}-action" and call.args.get("replace_original")))
    assert "<@U0000ALICE>: :+1: helpful" in all_text(updated.args["blocks"])  # shown on it
    nothing_apologised(server)
