"""Privacy of channels and who may do what, end to end (issue 9, items 5 and 6): the real app
(in this process: nothing here needs a socket), signed requests, the Slack stand-in answering
conversations.info as Slack does, both databases.

An incident belongs to its channel: what was said in a private channel, a group DM or a DM is
shown only there. Resolving (and any other incident action) is for the incident's channel or
thread, or a bot admin; requests from a workspace the app is not installed for are refused.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.knowledge.loader import cached_knowledge_base
from bot.slack.permalinks import shown_text
from tests.conftest import BACKENDS
from tests.e2e.conftest import Server, app_server, new_channel, new_ts
from tests.e2e.test_slack_conversations import (
    all_text,
    answer_in,
    card_ts,
    full_answer,
    incident_id_of,
    respond_calls,
)
from tests.e2e.test_team_knowledge_e2e import blocks_of, resolve_in_slack
from tests.support.slack_api import TEAM_ID

pytestmark = pytest.mark.slow

ADMIN = "U0000ADMIN"
OTHER_TEAM = "T0000EVIL"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app in this process (`app_server`): these cases need no socket or worker."""
    with app_server(request.param, tmp_path_factory.mktemp(f"privacy-{request.param}"),
                    admins=frozenset({"U0000NOBODY", ADMIN})) as app:
        yield app


def unique_error(word: str) -> str:
    """An error no knowledge-base entry knows, so its summary (with `word`) names it in lists."""
    return f"FATAL {word} ledger shard {word} refused the handshake of the {word} vault"


def private_channel(server: Server, **kind: bool) -> str:
    channel = "G" + uuid.uuid4().hex[:10].upper()
    server.fake.add_channel(channel, **({"private": True} | kind))
    return channel


def paste(server: Server, channel: str, text: str, user: str = "U0000ALICE") -> int:
    server.slack.command(text, channel=channel, user=user)
    return incident_id_of(answer_in(server, channel).args["blocks"])


def home_of(server: Server, user: str) -> str:
    """The Home tab `user` sees when they open it now: the publish this open caused (waiting
    for the first publish to `user` returned an earlier open's view on a second open)."""
    def to_user(call: Any) -> bool:
        return call.args.get("user_id") == user

    before = len([call for call in server.fake.calls_to("views.publish") if to_user(call)])
    server.slack.event({"type": "app_home_opened", "user": user, "channel": "D" + user[1:],
                        "tab": "home", "event_ts": new_ts()})
    published = server.fake.wait_for("views.publish", before + 1, timeout=60,
                                      predicate=to_user)[-1]
    return all_text(published.args["view"])


def test_private_channel_and_dm_incidents_are_listed_only_where_they_were_said(
        server: Server) -> None:
    public, elsewhere = new_channel(), new_channel()
    private, group_dm = private_channel(server), private_channel(server, mpim=True)
    direct = "D" + uuid.uuid4().hex[:10].upper()
    server.fake.add_channel(direct, im=True)
    hidden_by_failure = new_channel()
    server.fake.add_channel(hidden_by_failure, missing=True)  # lookup fails: fail closed
    words = {public: "publicotter", private: "privatequokka", group_dm: "groupnarwhal",
             direct: "directaxolotl", hidden_by_failure: "unknownpangolin"}
    ids = {channel: paste(server, channel, unique_error(word)) for channel, word in words.items()}

    linked_home = home_of(server, "U0000HOME1")
    home = shown_text(linked_home)  # as people read it: a linked "#5" reads "#5"
    assert f"*#{ids[public]}*" in home and "publicotter" in home
    assert f"/archives/{public}/p" in linked_home  # its number opens its thread
    for channel in (private, group_dm, direct, hidden_by_failure):
        assert f"*#{ids[channel]}*" not in home and words[channel] not in home
        assert f"/archives/{channel}/" not in linked_home
    assert "more in private channels or DMs" in home  # counted, not shown

    server.slack.command("incidents all", channel=elsewhere, user="U0000BOB")
    listing = all_text(respond_calls(server, elsewhere)[-1].args)
    assert "publicotter" in listing
    assert not any(words[c] in listing for c in (private, group_dm, direct, hidden_by_failure))

    # In the private channel itself its own incidents are listed, with the public ones.
    server.slack.command("incidents all", channel=private, user="U0000BOB")
    own = all_text(respond_calls(server, private)[-1].args)
    assert "privatequokka" in own and "publicotter" in own and "groupnarwhal" not in own
    # Slack was asked once per channel; the database answers after that, for every worker.
    asked = [call.args["channel"] for call in server.fake.calls_to("conversations.info")]
    assert len(asked) == len(set(asked))
    assert {row.kind for row in server.sql(
        "SELECT kind FROM channel_privacy WHERE channel IN (:a, :b, :c, :d)", a=private,
        b=group_dm, c=direct, d=hidden_by_failure)} == {"private", "mpim", "im", "unknown"}


def test_an_answer_in_a_public_channel_never_quotes_a_private_channels_note(
        server: Server) -> None:
    private, public, later = private_channel(server), new_channel(), new_channel()
    secret = unique_error("secretwalrus")
    secret_id = paste(server, private, secret)
    server.slack.command(f"resolve {secret_id} rotated the key kept in vault-42", channel=private)
    assert "resolved" in respond_calls(server, private)[-1].args["text"]

    # A public channel's incident, resolved in public: its note may be quoted anywhere ...
    shared = unique_error("sharedmarmot")
    shared_id = paste(server, public, shared)
    server.slack.command(f"resolve {shared_id} restarted the marmot pool", channel=public)
    respond_calls(server, public)
    # ... while one resolved by an admin from the private channel keeps that note there.
    admin_fixed = unique_error("adminbadger")
    server.slack.command(admin_fixed, channel=public)
    admin_id = incident_id_of(server.wait_in(public, "chat.postMessage", 2, predicate=lambda call: (
        any(block.get("type") == "actions" for block in call.args.get("blocks") or [])))[-1]
        .args["blocks"])
    assert admin_id != shared_id
    server.slack.command(f"resolve {admin_id} badger creds are in the private runbook",
                         channel=private, user=ADMIN)
    assert "resolved" in respond_calls(server, private, 2)[-1].args["text"]

    for text in (secret, shared, admin_fixed):
        server.slack.command(text, channel=later)
    answers = server.wait_in(later, "chat.postMessage", 3, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    linked = all_text([call.args for call in answers])
    shown = shown_text(linked)
    assert f"/archives/{private}/" not in linked  # no link into the private channel either
    assert "vault-42" not in shown and f"#{secret_id} (" not in shown  # not even its number
    assert f"recurrence of #{secret_id}" not in shown
    assert "restarted the marmot pool" in shown  # similar incidents still work in public
    assert f"recurrence of #{shared_id}" in shown
    # The admin's incident is public (its number and recurrence show), its note is not.
    assert f"recurrence of #{admin_id}" in shown and "private runbook" not in shown
    # In the private channel, its own note is quoted.
    server.slack.command(secret, channel=private)
    again = server.wait_in(private, "chat.postMessage", 2, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))[-1]
    assert "vault-42" in all_text(again.args)


def test_resolve_only_from_the_incidents_channel_or_thread_or_by_an_admin(
        server: Server) -> None:
    home, other = new_channel(), new_channel()
    incident_id = paste(server, home, unique_error("guardedheron"))

    server.slack.command(f"resolve {incident_id} not mine to close", channel=other,
                         user="U0000MALLORY")
    refusal = respond_calls(server, other)[-1].args
    assert "belongs to another channel" in refusal["text"]
    assert refusal["response_type"] == "ephemeral"
    assert server.sql("SELECT status FROM incidents WHERE id = :id",
                      id=incident_id)[0].status == "open"

    # The Resolve button of the answer works in its own channel; a copy of it elsewhere not.
    [ts] = [ts for (c, ts), message in list(server.fake.messages.items())
            if c == home and not message.get("thread_ts")]  # the card, not its thread reply
    answer = server.stored_message(home, ts)
    server.slack.click({**answer}, channel=other, action_id="resolve_incident",
                       user="U0000MALLORY")
    server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith(f"/{other}-action")
        and "belongs to another channel" in str(call.args.get("text"))))
    server.slack.click(answer, channel=home, action_id="resolve_incident")
    opened = server.fake.wait_for("views.open", predicate=lambda call: json.loads(
        call.args["view"]["private_metadata"])["incident_id"] == incident_id)
    assert len(opened) == 1  # only the click in the incident's own channel opened the modal
    # A modal submission naming another channel (as a forged one would) is refused too.
    view = opened[0].args["view"]
    metadata = {**json.loads(view["private_metadata"]), "channel": other, "message_ts": None,
                "thread_ts": None}
    server.slack.interaction({
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": "U0000MALLORY", "username": "m", "team_id": TEAM_ID},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": "1.2.3",
        "view": {**view, "id": "V0000FORGED", "team_id": TEAM_ID,
                 "private_metadata": json.dumps(metadata),
                 "state": {"values": {"note": {"note_input": {"type": "plain_text_input",
                                                              "value": "forged"}}}}}})
    server.wait_in(other, "chat.postEphemeral", predicate=lambda call: (
        "belongs to another channel" in call.args["text"]))
    assert server.sql("SELECT status FROM incidents WHERE id = :id",
                      id=incident_id)[0].status == "open"

    server.slack.command(f"resolve {incident_id} closed by the on-call admin", channel=other,
                         user=ADMIN)
    assert "resolved" in respond_calls(server, other, 2)[-1].args["text"]
    [row] = server.sql("SELECT status, resolved_by, resolved_in FROM incidents WHERE id = :id",
                       id=incident_id)
    assert (row.status, row.resolved_by, row.resolved_in) == ("resolved", ADMIN, other)


def signed_form(server: Server, form: dict[str, str]) -> Any:
    return server.slack.post(urllib.parse.urlencode(form).encode(),
                             "application/x-www-form-urlencoded")


def test_requests_from_a_team_the_app_is_not_installed_for_are_refused(server: Server) -> None:
    channel = new_channel()
    incident_id = paste(server, channel, unique_error("foreignkestrel"))
    before = len(server.fake.calls)
    command = {"token": "legacy", "team_id": OTHER_TEAM, "team_domain": "evil",
               "channel_id": channel, "channel_name": "incidents", "user_id": "U0000EVIL",
               "user_name": "eve", "command": "/troubleshoot",
               "text": f"resolve {incident_id} owned", "api_app_id": "A0000TEST",
               "response_url": server.fake.response_url(channel + "-evil"),
               "trigger_id": "1.2.evil"}
    reply = signed_form(server, command)
    assert reply.status == 200 and "not installed" in reply.body
    event_id = "Ev" + uuid.uuid4().hex[:10].upper()
    server.slack.post(json.dumps({
        "token": "legacy", "team_id": OTHER_TEAM, "api_app_id": "A0000TEST",
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "app_mention", "user": "U0000EVIL", "channel": channel,
                  "text": "<@UBOT000001> " + unique_error("foreignkestrel"),
                  "ts": new_ts(), "event_ts": new_ts()}}).encode(), "application/json")
    server.slack.interaction({
        "type": "block_actions", "team": {"id": OTHER_TEAM, "domain": "evil"},
        "user": {"id": "U0000EVIL", "username": "eve", "team_id": OTHER_TEAM},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": "1.2.evil",
        "container": {"type": "message", "message_ts": new_ts(), "channel_id": channel},
        "channel": {"id": channel}, "response_url": server.fake.response_url("evil-action"),
        "actions": [{"type": "button", "action_id": "resolve_incident", "block_id": "b",
                     "value": json.dumps({"incident_id": incident_id}),
                     "action_ts": new_ts()}]})
    # The same command from the installed team still works (the refusal is not a broken app).
    server.slack.command(f"resolve {incident_id} fixed for real", channel=channel)
    assert "resolved" in respond_calls(server, channel)[-1].args["text"]
    [row] = server.sql("SELECT resolved_by, resolution_note FROM incidents WHERE id = :id",
                       id=incident_id)
    assert (row.resolved_by, row.resolution_note) == ("U0000ALICE", "fixed for real")
    foreign = [call for call in server.fake.calls[before:]
               if "evil" in call.path or call.method == "views.open"
               or call.args.get("user") == "U0000EVIL"]
    assert foreign == []
    assert server.sql("SELECT event_id FROM processed_events WHERE event_id = :e",
                      e=event_id) == []
    assert "refused a request from team(s) ['T0000EVIL']" in server.log()


def test_channel_settings_record_who_changed_them(server: Server) -> None:
    channel = new_channel()
    server.slack.command("watch on", channel=channel, user="U0000WATCH")
    server.slack.command("digest subscribe fri 10:00", channel=channel, user="U0000DIGEST")
    respond_calls(server, channel, 2)
    [watch] = server.sql("SELECT watch, updated_by, updated_at FROM channel_settings "
                         "WHERE channel = :c", c=channel)
    assert watch.watch and watch.updated_by == "U0000WATCH" and watch.updated_at is not None
    [digest] = server.sql("SELECT updated_by, updated_at FROM digest_subscriptions "
                          "WHERE channel = :c", c=channel)
    assert digest.updated_by == "U0000DIGEST" and digest.updated_at is not None


def draft_for(server: Server, channel: str, word: str) -> None:
    """An unknown error mentioned in `channel`, resolved through the card's modal: the bot posts
    a knowledge draft named after the error line in the incident's thread."""
    server.slack.mention(unique_error(word), channel=channel)
    answer_in(server, channel)
    [ts] = [ts for (c, ts) in server.fake.messages if c == channel]
    card = server.stored_message(channel, ts) | {"blocks": blocks_of(answer_in(server, channel))}
    resolve_in_slack(server, channel, card, f"Rotated the {word} certificate. Restarted it.")
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: (
        "kb_draft_approve" in all_text(call.args.get("blocks"))))


def test_kb_drafts_lists_a_private_channels_draft_only_there(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft's title and signature are its incident's error line: a maintainer's `kb drafts`
    in another channel counts a private channel's draft but does not name it."""
    maintainer = "U0000MAINT"
    monkeypatch.setenv("KB_MAINTAINERS", maintainer)
    private, public, elsewhere = private_channel(server), new_channel(), new_channel()
    draft_for(server, private, "draftyak")
    draft_for(server, public, "draftheron")

    server.slack.command("kb drafts", channel=elsewhere, user=maintainer)
    listing = all_text(respond_calls(server, elsewhere)[-1].args)
    assert "draftheron" in listing  # a public channel's draft is listed anywhere
    assert "draftyak" not in listing
    # Counted, not shown. Other tests of this module's server may leave private drafts too
    # (a resolution note on an unknown incident drafts an entry), so at least this one.
    hidden = re.search(r"(\d+) more from private channels", listing)
    assert hidden and int(hidden.group(1)) >= 1

    server.slack.command("kb drafts", channel=private, user=maintainer)
    own = all_text(respond_calls(server, private)[-1].args)
    assert "draftyak" in own and "draftheron" in own


def cards_in(server: Server, channel: str, count: int) -> list[Any]:
    return server.wait_in(channel, "chat.postMessage", count, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))


def take_on(server: Server, channel: str, card: Any, user: str) -> None:
    """ "I'm on it" on `card` (a chat.postMessage call)."""
    message = server.stored_message(channel, card_ts(server, channel, card))
    server.slack.click(message, channel=channel, action_id="own_incident", user=user)
    server.wait_in(channel, "chat.update")


def public_views(server: Server, public: str, elsewhere: str, home_user: str) -> list[str]:
    """What a public reader (U0000BOB) is shown of the incidents: `incidents` in `public`,
    `incidents all` in `elsewhere`, and `home_user`'s Home tab."""
    server.slack.command("incidents", channel=public, user="U0000BOB")
    in_channel = shown_text(all_text(respond_calls(server, public)[-1].args))
    server.slack.command("incidents all", channel=elsewhere, user="U0000BOB")
    listed_all = shown_text(all_text(respond_calls(server, elsewhere)[-1].args))
    return [in_channel, listed_all, shown_text(home_of(server, home_user))]


def test_a_shared_incident_shows_a_public_channel_only_what_was_said_where_it_may_look(
        server: Server) -> None:
    """One open incident gathers a fingerprint's pastes from every channel. Pastes and an
    "I'm on it" in a private channel stay there: a public channel's card and thread reply,
    similar lines, `incidents` lists and the Home tab count and name only what it may see."""
    private, public, later = private_channel(server), new_channel(), new_channel()
    # Opened in public, then pasted twice in a private channel, where Dave takes it on.
    shared = unique_error("sharedlemur")
    incident_id = paste(server, public, shared)
    for _ in range(2):
        server.slack.command(shared, channel=private)
    take_on(server, private, cards_in(server, private, 2)[0], "U0000DAVE")
    [(count, owner)] = server.sql("SELECT occurrence_count, owner FROM incidents WHERE id = :id",
                                  id=incident_id)
    assert (count, owner) == (3, "U0000DAVE")

    # Pasted again in public: its card and thread reply count this channel's two pastes.
    server.slack.command(shared, channel=public, user="U0000BOB")
    card = cards_in(server, public, 2)[-1]
    assert incident_id_of(card.args["blocks"]) == incident_id
    shown = shown_text(all_text([card.args, full_answer(server, public, card).args]))
    assert "U0000DAVE" not in shown
    assert "2×" in shown or "seen 2 times" in shown, shown
    assert "4×" not in shown and "4 times" not in shown

    # Similar incidents in another public channel's answer: counted as the public sees them.
    server.slack.command(shared.replace("vault", "vaults"), channel=later)
    similar = shown_text(all_text([call.args for call in server.wait_in(
        later, "chat.postMessage", 2)]))
    assert f"#{incident_id}" in similar
    assert "4×" not in similar and "4 times" not in similar, similar

    # `incidents` in the public channel, `incidents all` elsewhere, the Home tab: 2×, not 4×.
    for text in public_views(server, public, later, "U0000HOME7"):
        assert f"*#{incident_id}*" in text
        assert "· 2× ·" in text and "· 4× ·" not in text, text
    # In the private channel itself, everything: four pastes.
    server.slack.command("incidents all", channel=private)
    assert "· 4× ·" in shown_text(all_text(respond_calls(server, private)[-1].args))


def test_a_public_paste_joining_a_private_channels_incident_is_new_there(
        server: Server) -> None:
    private, public = private_channel(server), new_channel()
    shared = unique_error("privatetapir")
    incident_id = paste(server, private, shared)
    server.slack.command(shared, channel=private)
    take_on(server, private, cards_in(server, private, 2)[0], "U0000DAVE")

    server.slack.command(shared, channel=public, user="U0000BOB")
    card = cards_in(server, public, 1)[-1]
    assert incident_id_of(card.args["blocks"]) == incident_id
    shown = shown_text(all_text([card.args, full_answer(server, public, card).args]))
    assert "U0000DAVE" not in shown and "3×" not in shown and "3 times" not in shown
    assert f"Incident #{incident_id} recorded · first time seen" in shown


def test_an_admins_note_from_a_private_channel_does_not_reach_the_public_card(
        server: Server) -> None:
    public, private = new_channel(), private_channel(server)
    incident_id = paste(server, public, unique_error("cardheron"))
    card = answer_in(server, public)
    ts = card_ts(server, public, card)
    full_answer(server, public, card)  # the card's thread is the incident's by then
    server.slack.command(f"resolve {incident_id} heron creds are in the private runbook",
                         channel=private, user=ADMIN)
    assert "resolved" in respond_calls(server, private)[-1].args["text"]
    [update] = server.wait_in(public, "chat.update", predicate=lambda call: (
        call.args["ts"] == ts))
    shown = shown_text(all_text(update.args["blocks"]))
    assert "Resolved by" in shown and "(no note)" in shown  # the state follows ...
    assert "private runbook" not in shown  # ... the note stays where it was written


def position(text: str, incident_id: int) -> int:
    """Where incident `incident_id` is listed in `text` (a list as people read it)."""
    found = text.find(f"*#{incident_id}*")
    assert found >= 0, f"#{incident_id} not listed in {text}"
    return found


def test_a_private_channels_paste_does_not_lift_a_public_incident_up_the_lists(
        server: Server) -> None:
    """Lists are newest first. Ordered by the incident's own `last_seen`, an old public
    incident pasted again in a private channel a moment ago would top every public list: the
    order itself would say that something just happened there."""
    private, public, elsewhere = private_channel(server), new_channel(), new_channel()
    older, newer = unique_error("staleibis"), unique_error("freshgecko")
    older_id = paste(server, public, older)  # answered before the next one is sent
    server.slack.command(newer, channel=public)
    newer_id = incident_id_of(cards_in(server, public, 2)[-1].args["blocks"])
    assert newer_id != older_id
    server.slack.command(older, channel=private)
    assert incident_id_of(cards_in(server, private, 1)[0].args["blocks"]) == older_id

    for text in public_views(server, public, elsewhere, "U0000HOME8"):
        assert position(text, newer_id) < position(text, older_id), text
    # Where the private paste was made, it is the newest: the order is the reader's.
    server.slack.command("incidents all", channel=private)
    own = shown_text(all_text(respond_calls(server, private)[-1].args))
    assert position(own, older_id) < position(own, newer_id), own


def test_an_entry_found_for_a_private_paste_is_not_shown_on_public_lists(
        server: Server) -> None:
    """An OOM kill pasted from a training job is not answered (training jobs are not ours,
    tests/eval/LABELS.md); the same error line pasted alone is, and joins the same incident
    (the chat around an error line is not part of its fingerprint). Answered only in a
    private channel, the incident's entry is that channel's knowledge: public lists name the
    incident by its error line, as its public card did. (Until round 9 the pair was a bare
    `Exit code 137` and the same line with the pod's name; retrained on round 8's holdout,
    an exit code with chat around it is only "probably" out of memory.)"""
    private, public, elsewhere = private_channel(server), new_channel(), new_channel()
    error_line = "Reason: OOMKilled"
    incident_id = paste(server, public,
                        f"our nightly training job on the cluster, epoch 3 of 10\n{error_line}")
    assert server.sql("SELECT entry_id FROM incidents WHERE id = :id",
                      id=incident_id)[0].entry_id is None  # not answered in public
    server.slack.command(error_line, channel=private)
    assert incident_id_of(cards_in(server, private, 1)[0].args["blocks"]) == incident_id
    [entry_id] = [row.entry_id for row in server.sql(
        "SELECT entry_id FROM incidents WHERE id = :id", id=incident_id)]
    assert entry_id is not None  # answered in private, and the incident took the answer
    title = cached_knowledge_base().get(entry_id).title_in("en")

    for text in public_views(server, public, elsewhere, "U0000HOME9"):
        line = next(line for line in text.split("\\n") if f"*#{incident_id}*" in line)
        assert title not in line and "OOMKilled" in line, line
    # In the private channel, the answer it was given names the incident.
    server.slack.command("incidents all", channel=private)
    own = shown_text(all_text(respond_calls(server, private)[-1].args))
    assert title in next(line for line in own.split("\\n") if f"*#{incident_id}*" in line)


def test_a_person_of_another_organisation_sees_no_incidents_on_the_home_tab(
        server: Server) -> None:
    """The Home tab lists public channels' incidents: public to this workspace's members.
    Someone of another organisation (met in a Slack Connect channel) who opens the app's Home
    tab is not one: the incidents are counted, not shown, as in a Slack Connect channel."""
    public = new_channel()
    incident_id = paste(server, public, unique_error("homeibex"))
    assert "homeibex" in shown_text(home_of(server, "U0000MEMBER"))
    server.fake.add_external_user("U0000GUEST")
    home = shown_text(home_of(server, "U0000GUEST"))
    assert "homeibex" not in home and f"#{incident_id}" not in home, home
    assert "more in private channels or DMs" in home


def test_the_home_tab_asks_slack_once_per_viewer_and_a_removed_member_stops_seeing_after_the_ttl(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """users.info was asked on every open of the Home tab, once per viewer; its answer is now
    kept for HOME_MEMBER_TTL_S, and no longer: someone removed from the workspace (Slack then
    answers `deleted`) stops seeing public channels' incidents once it has passed."""
    ttl_s = 3.0
    monkeypatch.setenv("HOME_MEMBER_TTL_S", str(ttl_s))
    public = new_channel()
    incident_id = paste(server, public, unique_error("homeotter"))
    viewer, other = ("U" + uuid.uuid4().hex[:10].upper() for _ in range(2))

    def asked(user: str) -> int:
        return len([call for call in server.fake.calls_to("users.info")
                    if call.args.get("user") == user])

    first_open = time.monotonic()  # Slack's answer is kept from here
    for _ in range(3):
        assert "homeotter" in shown_text(home_of(server, viewer))
    assert asked(viewer) == 1  # three opens, one question
    assert "homeotter" in shown_text(home_of(server, other))
    assert asked(other) == 1  # each viewer is asked about once, not in place of another

    server.fake.remove_user(viewer)
    # Until the TTL has passed the kept answer stands; after it, the next open asks again and
    # shows only counts. Waited for by opening the tab, with a generous deadline under load.
    while "homeotter" in (home := shown_text(home_of(server, viewer))):
        assert time.monotonic() - first_open < ttl_s + 60, "still shown long after the TTL"
        assert asked(viewer) == 1
        time.sleep(0.25)  # between opens, as a person would reopen the tab
    assert time.monotonic() - first_open >= ttl_s  # the answer was kept until then
    assert f"#{incident_id}" not in home and "more in private channels or DMs" in home
    assert asked(viewer) == 2


@pytest.mark.parametrize("sharing", ["ext_shared", "org_shared"])
def test_a_slack_connect_channel_is_shown_only_its_own_incidents(server: Server,
                                                                 sharing: str) -> None:
    """People of another organisation read a Slack Connect channel: public channels are public
    to this workspace's members, not to them. An answer there cites no other channel's incident
    or note, and `incidents all` there lists only its own (the others are counted). So does a
    channel an Enterprise Grid organisation shares with its other workspaces (`is_org_shared`):
    their people are not this workspace's members either."""
    public = new_channel()
    shared = "C" + uuid.uuid4().hex[:10].upper()
    server.fake.add_channel(shared, **{sharing: True})
    word = {"ext_shared": "connectowl", "org_shared": "gridowl"}[sharing]
    error = unique_error(word)
    public_id = paste(server, public, error)
    server.slack.command(f"resolve {public_id} restored the owl ledger from the internal backup",
                         channel=public)
    assert "resolved" in respond_calls(server, public)[-1].args["text"]

    # An open incident in another public channel: the listing below must count it, not show
    # it. (The resolved one is not "open"; without this the count came from other tests'
    # incidents on the module's server, and the test failed when run alone.)
    paste(server, new_channel(), unique_error(word + "elsewhere"))

    own_id = paste(server, shared, error)  # a recurrence of the public incident, here
    assert own_id != public_id
    answer = answer_in(server, shared)
    linked = all_text([answer.args, full_answer(server, shared, answer).args])
    shown = shown_text(linked)
    assert "internal backup" not in shown and f"#{public_id}" not in shown, shown
    assert f"/archives/{public}/" not in linked

    server.slack.command("incidents all", channel=shared, user="U0000EXT")
    listing = shown_text(all_text(respond_calls(server, shared)[-1].args))
    assert f"*#{own_id}*" in listing and f"*#{public_id}*" not in listing, listing
    assert word in listing and "more in private channels or DMs" in listing
    assert f"{word}elsewhere" not in listing
