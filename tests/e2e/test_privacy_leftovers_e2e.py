"""Who may act on, or learn of, another channel's incident through teaching and reopening, end
to end: the real Bolt app in this process, signed requests, the Slack stand-in answering
conversations.info as Slack does, both databases.

The entry picker acts on the incident its option names, so it is held to the same "from the
incident's own channel or thread" rule as the card's buttons. Teaching decides whether an
incident "had no confident answer" by what its reader may see, and a refusal to reopen names
the open incident only to someone who may see it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import BACKENDS
from tests.e2e.conftest import Server, app_server, new_channel
from tests.e2e.test_slack_conversations import all_text, answer_in, card_ts, full_answer
from tests.e2e.test_slack_privacy import paste, private_channel, unique_error
from tests.e2e.test_team_knowledge_e2e import PICK_PASTE, blocks_of, is_answer
from tests.support.slack_api import TEAM_ID
from tests.support.slack_payloads import new_trigger_id

pytestmark = pytest.mark.slow

ADMIN = "U0000ADMIN"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with app_server(request.param, tmp_path_factory.mktemp(f"leftovers-{request.param}"),
                    admins=frozenset({ADMIN})) as app:
        yield app


def pick(server: Server, *, channel: str, option: dict[str, Any], user: str,
         reply_to: str) -> None:
    """A choice in the entry picker, as Slack sends it from a message in `channel`."""
    server.slack.interaction({
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "container": {"type": "message", "message_ts": f"{time.time():.6f}",
                      "channel_id": channel, "is_ephemeral": True},
        "channel": {"id": channel, "name": "somewhere"},
        "response_url": server.fake.response_url(reply_to),
        "actions": [{"type": "static_select", "action_id": "kb_pick_entry",
                     "block_id": "kb_pick", "selected_option": option,
                     "action_ts": f"{time.time():.6f}"}]})


def test_the_entry_picker_acts_only_from_the_incidents_own_channel(server: Server) -> None:
    """A picker option names its incident: copied (or forged) into another channel, it must not
    label that incident or post a signature draft in its thread."""
    home, other = new_channel(), new_channel()
    server.slack.mention(PICK_PASTE, channel=home)
    answer = server.wait_in(home, "chat.postMessage", predicate=is_answer)[0]
    [picker] = [block for block in blocks_of(answer)
                if (block.get("accessory") or {}).get("action_id") == "kb_pick_entry"]
    options = {json.loads(o["value"])["entry_id"]: o for o in picker["accessory"]["options"]}
    incident_id = json.loads(options["__new__"]["value"])["incident_id"]

    for entry_id in ("__new__", "service-launch-fails"):
        pick(server, channel=other, option=options[entry_id], user="U0000MALLORY",
             reply_to=f"{other}-pick-{entry_id}")
        refusal = server.fake.wait_for("response_url", predicate=lambda call, e=entry_id: (
            call.path.endswith(f"/{other}-pick-{e}")))[0]
        assert "belongs to another channel" in all_text(refusal.args)
    assert server.sql("SELECT entry_id FROM kb_examples WHERE incident_id = :i",
                      i=incident_id) == []
    assert not any("kb_draft_approve" in all_text(call.args.get("blocks"))
                   for call in server.calls_in(home, "chat.postMessage"))

    # From the incident's own channel the same choice teaches.
    pick(server, channel=home, option=options["service-launch-fails"], user="U0000DAVE",
         reply_to=f"{home}-pick")
    server.wait_in(home, "chat.postMessage", predicate=lambda call: (
        "kb_draft_approve" in all_text(call.args.get("blocks"))))
    assert server.sql("SELECT entry_id, labelled_by FROM kb_examples WHERE incident_id = :i",
                      i=incident_id) == [("service-launch-fails", "U0000DAVE")]


def resolved_card(server: Server, channel: str, error: str) -> tuple[int, dict[str, Any]]:
    """`error` pasted in `channel` and resolved there: (its incident, its card with Reopen)."""
    incident_id = paste(server, channel, error)
    card = answer_in(server, channel)
    ts = card_ts(server, channel, card)
    # The card's thread is tied to the incident just before its first reply is posted: a
    # resolution sooner than that finds no card to update.
    full_answer(server, channel, card)
    server.slack.command(f"resolve {incident_id} bounced the pool", channel=channel)
    server.wait_in(channel, "chat.update", predicate=lambda call: (
        call.args["ts"] == ts and "reopen_incident" in all_text(call.args["blocks"])))
    return incident_id, server.stored_message(channel, ts)


def reopen_refused(server: Server, channel: str, card: dict[str, Any]) -> str:
    def here(call: Any) -> bool:
        return call.path.endswith(f"/{channel}-action")

    before = len([call for call in server.fake.calls_to("response_url") if here(call)])
    server.slack.click(card, channel=channel, action_id="reopen_incident", user="U0000CAROL")
    return server.fake.wait_for("response_url", before + 1, predicate=here)[-1].args["text"]


def test_a_reopen_refusal_names_the_open_incident_only_to_those_who_may_see_it(
        server: Server) -> None:
    """Reopening is refused while the same problem is open as a newer incident. Opened in a
    private channel, that incident's number is not told to a public channel."""
    public, private = new_channel(), private_channel(server)
    secret = unique_error("reopenmink")
    old_id, card = resolved_card(server, public, secret)
    newer_id = paste(server, private, secret)
    assert newer_id != old_id
    told = reopen_refused(server, public, card)
    assert f"Incident #{old_id} cannot be reopened" in told and "open again elsewhere" in told
    assert f"#{newer_id}" not in told, told

    # Opened again in a public channel, the refusal names it (the way to the open one).
    shared, public, other_public = unique_error("reopenvole"), new_channel(), new_channel()
    old_id, card = resolved_card(server, public, shared)
    newer_id = paste(server, other_public, shared)
    told = reopen_refused(server, public, card)
    assert f"the same problem is open as #{newer_id}" in told, told
    assert [row.status for row in server.sql(
        "SELECT status FROM incidents WHERE id = :id", id=old_id)] == ["resolved"]
