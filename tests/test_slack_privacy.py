"""Which channels count as public (many cases), and the shared cache of Slack's answers: one
conversations.info per channel for every worker, refreshed after its TTL, failures fail closed and
are retried soon. Real database, real slack-sdk client, the Slack stand-in at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.chat.models import ChannelPrivacy
from bot.slack.privacy import FAILED_LOOKUP_TTL, PRIVACY_TTL, PrivacyLookup, kind_of
from bot.slack.web_api import make_web_client
from bot.storage import session_scope
from tests.support.slack_api import FakeSlackAPI, conversation_object

PUBLIC = conversation_object("C1")


@pytest.mark.parametrize(("conversation", "kind"), [
    (PUBLIC, "public"),
    (conversation_object("G1", private=True), "private"),
    (conversation_object("D1", im=True), "im"),
    (conversation_object("G2", mpim=True), "mpim"),
    (conversation_object("C2", ext_shared=True), "shared"),
    (conversation_object("C4", org_shared=True), "shared"),
    ({**PUBLIC, "is_shared": True}, "shared"),
    ({**PUBLIC, "is_pending_ext_shared": True}, "shared"),
    # Slack Connect DMs, group DMs and private channels are read by another organisation too.
    ({**conversation_object("D3", im=True), "is_ext_shared": True}, "shared"),
    (conversation_object("G3", private=True, ext_shared=True), "shared"),
    ({key: value for key, value in PUBLIC.items() if key != "is_private"}, "private"),
    ({**PUBLIC, "is_channel": False}, "unknown"),
    ({}, "private"),
])
def test_only_a_plain_public_channel_counts_as_public(conversation: dict[str, Any],
                                                      kind: str) -> None:
    assert kind_of(conversation) == kind


@pytest.fixture
def fake() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


def age(database_url: str, channel: str, by: timedelta) -> None:
    """Pretend the cached answer for `channel` is older by `by`."""
    with session_scope(database_url) as session:
        [row] = session.scalars(select(ChannelPrivacy).where(ChannelPrivacy.channel == channel))
        row.checked_at = row.checked_at - by


def test_answers_are_shared_through_the_database_and_expire(
        migrated_database_url: str, fake: FakeSlackAPI) -> None:
    url = migrated_database_url
    client = make_web_client("xoxb-test", fake.api_url)
    fake.add_channel("GSECRET", private=True)
    assert PrivacyLookup(client, url, "T1").public_among({"COPEN", "GSECRET"}) == {"COPEN"}
    # Another request (another worker): the database answers, Slack is not asked again.
    assert PrivacyLookup(client, url, "T1").public_among({"COPEN", "GSECRET"}) == {"COPEN"}
    assert sorted(call.args["channel"] for call in fake.calls_to("conversations.info")) == [
        "COPEN", "GSECRET"]

    fake.add_channel("COPEN", private=True)  # converted to a private channel
    assert PrivacyLookup(client, url, "T1").public_among({"COPEN"}) == {"COPEN"}  # cached
    age(url, "COPEN", PRIVACY_TTL)
    assert PrivacyLookup(client, url, "T1").public_among({"COPEN"}) == set()


def test_a_failed_lookup_fails_closed_and_is_retried_soon(migrated_database_url: str,
                                                          fake: FakeSlackAPI) -> None:
    url = migrated_database_url
    client = make_web_client("xoxb-test", fake.api_url)
    fake.fail_next("conversations.info", body={"ok": False, "error": "internal_error"})
    assert PrivacyLookup(client, url, "T1").public_among({"CFLAKY"}) == set()
    assert PrivacyLookup(client, url, "T1").public_among({"CFLAKY"}) == set()  # not re-asked
    assert len(fake.calls_to("conversations.info")) == 1
    age(url, "CFLAKY", FAILED_LOOKUP_TTL)
    assert PrivacyLookup(client, url, "T1").public_among({"CFLAKY"}) == {"CFLAKY"}


@pytest.mark.parametrize("where", ["own channel", "a thread elsewhere"])
def test_a_picker_choice_is_checked_with_one_look_at_the_incidents_pastes_at_most(
        migrated_database_url: str, where: str) -> None:
    """The entry picker's rule (its incident's channel, or a thread where it was seen) is
    asked on every choice: from the incident's own channel it needs no look at the pastes,
    from one of its threads one; a stranger's channel is still refused."""
    from bot.incidents.service import record_occurrence
    from bot.matching.result import MatchResult
    from bot.slack.config import Settings
    from bot.slack.listeners.teaching import may_pick_for
    from tests.test_teaching import statements

    url = migrated_database_url
    with session_scope(url) as session:
        incident_id = record_occurrence(
            session, workspace="T1", source="slash", text="err", channel="CHOME",
            thread_ts="10.1", result=MatchResult(matches=(), fingerprint="fp-pick")).incident_id
        record_occurrence(session, workspace="T1", source="mention", text="err",
                          channel="CTHERE", thread_ts="20.1",
                          result=MatchResult(matches=(), fingerprint="fp-pick"))
    settings = Settings(bot_token="xoxb-test", signing_secret="s", app_token="", api_url=None,
                        language="en", database_url=url, knowledge_path=None)

    def choice(channel: str, thread_ts: str | None = None) -> dict[str, Any]:
        container = {"channel_id": channel, **({"thread_ts": thread_ts} if thread_ts else {})}
        return {"user": {"id": "U0DAVE"}, "container": container}

    body = choice("CHOME") if where == "own channel" else choice("CTHERE", "20.1")
    with statements() as sent:
        assert may_pick_for(settings, body, incident_id)
    looks = [statement for statement in sent if "FROM occurrences" in statement]
    assert len(looks) == (0 if where == "own channel" else 1), looks
    assert not may_pick_for(settings, choice("COTHER"), incident_id)
    assert not may_pick_for(settings, choice("COTHER", "20.1"), incident_id)
