"""Slack user groups as settings name them (`KB_MAINTAINERS=S...`, the logs policy's
`user_groups`): the real Bolt app in this process, the Slack stand-in answering
`usergroups.users.list` as Slack does (members, or `no_such_subteam`), real databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.settings import forget
from tests.conftest import BACKENDS
from tests.e2e.conftest import Server, app_server, new_channel
from tests.e2e.test_team_knowledge_e2e import all_text

pytestmark = pytest.mark.slow

MAINTAINER_GROUP = "S0KBMAINT"
GROUP_MEMBER = "U0000GRACE"
OUTSIDER = "U0000BOB"
UNKNOWN_GROUP = "S0GONE"  # a group Slack does not list: its "members" are refused
# An error no entry names confidently: the answer offers the "which problem was it?" picker.
PASTE = ("2026-11-30T09:00:00Z ScoringInitError: FeatureCacheNotReady for model 'churn-{n}' "
         "after 12 retries")


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with app_server(request.param, tmp_path_factory.mktemp(f"groups-{request.param}")) as app:
        app.fake.add_user_group(MAINTAINER_GROUP, [GROUP_MEMBER, "U0000HEIDI"])
        yield app


@pytest.fixture
def maintainers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """KB_MAINTAINERS names the maintainers' user group (and one that Slack does not know)."""
    monkeypatch.setenv("KB_MAINTAINERS", f"{MAINTAINER_GROUP},{UNKNOWN_GROUP}")
    forget()
    yield
    monkeypatch.undo()
    forget()


def proposed_draft(server: Server, channel: str, paste: str = PASTE) -> dict[str, Any]:
    """Paste an unknown error, pick an entry in the answer's picker: the draft the bot posts.
    Each test pastes its own error: an approved draft makes its error known for the module."""
    server.slack.mention(paste.format(n=channel.lower()), channel=channel)
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: (
        "kb_pick_entry" in all_text(call.args.get("blocks"))))
    answer = next(message for (where, _ts), message in server.fake.messages.items()
                  if where == channel and "kb_pick_entry" in all_text(message.get("blocks")))
    [picker] = [block for block in answer["blocks"]
                if (block.get("accessory") or {}).get("action_id") == "kb_pick_entry"]
    [chosen] = [option for option in picker["accessory"]["options"]
                if json.loads(option["value"])["entry_id"] == "service-launch-fails"]
    server.slack.message_action(answer, channel=channel, user=OUTSIDER, action={
        "type": "static_select", "action_id": "kb_pick_entry",
        "block_id": picker.get("block_id"), "selected_option": chosen})
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: (
        "kb_draft_approve" in all_text(call.args.get("blocks"))))
    return next(message for (where, _ts), message in server.fake.messages.items()
                if where == channel and "kb_draft_approve" in all_text(message.get("blocks")))


def said_to_clicker(server: Server, channel: str, count: int) -> list[str]:
    """What the app answered through the clicks' response_url, oldest first."""
    calls = server.fake.wait_for("response_url", count, predicate=lambda call: (
        call.path.endswith(f"{channel}-action")))
    return [str(call.args.get("text", "")) for call in calls]


def status_of_draft(server: Server, channel: str) -> str:
    [(status,)] = server.sql(
        "SELECT d.status FROM kb_drafts d JOIN incidents i ON i.id = d.incident_id "
        "JOIN occurrences o ON o.incident_id = i.id WHERE o.channel = :c", c=channel)
    return str(status)


def test_a_maintainers_user_group_lets_its_members_approve_and_no_one_else(
        server: Server, maintainers: None) -> None:
    channel = new_channel()
    draft = proposed_draft(server, channel)

    # Not in the group (nor in the group Slack does not know): refused, the draft stays.
    server.slack.click(draft, channel=channel, action_id="kb_draft_approve", user=OUTSIDER)
    [refusal] = said_to_clicker(server, channel, 1)
    assert "Only KB maintainers" in refusal
    assert status_of_draft(server, channel) == "proposed"

    # A member of the group named in KB_MAINTAINERS: approved, the draft says so.
    server.slack.click(draft, channel=channel, action_id="kb_draft_approve", user=GROUP_MEMBER)
    update = server.wait_in(channel, "chat.update", predicate=lambda call: (
        "Added to the knowledge base" in all_text(call.args.get("blocks"))))[0]
    assert GROUP_MEMBER in all_text(update.args.get("blocks"))
    assert status_of_draft(server, channel) == "approved"
    asked = {call.args.get("usergroup") for call in server.fake.calls_to("usergroups.users.list")}
    assert asked == {MAINTAINER_GROUP, UNKNOWN_GROUP}


def test_a_draft_is_discarded_by_its_proposer_and_not_by_a_bystander(
        server: Server, maintainers: None) -> None:
    channel = new_channel()
    draft = proposed_draft(server, channel,  # by OUTSIDER
                           "2026-11-30T09:00:00Z LedgerSyncError: reconciliation of batch "
                           "'{n}' stalled (page 3 of 8)")

    server.slack.click(draft, channel=channel, action_id="kb_draft_discard", user="U0000EVE")
    [refusal] = said_to_clicker(server, channel, 1)
    assert "Only KB maintainers or the one who proposed it" in refusal
    assert status_of_draft(server, channel) == "proposed"

    server.slack.click(draft, channel=channel, action_id="kb_draft_discard", user=OUTSIDER)
    update = server.wait_in(channel, "chat.update", predicate=lambda call: (
        "Draft discarded by" in all_text(call.args.get("blocks"))))[0]
    assert OUTSIDER in all_text(update.args.get("blocks"))
    assert "kb_draft_approve" not in all_text(update.args.get("blocks"))  # decided: no buttons
    assert status_of_draft(server, channel) == "rejected"
