"""The Slack app end to end: the real server over HTTP, signed requests as Slack sends them, the
Slack Web API stand-in recording what the app says, and the real database behind it."""

from __future__ import annotations

import json
import random
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.slack.cards import MAX_CARD_CHARS, visible_text
from bot.slack.permalinks import shown_text
from tests.e2e.conftest import BOT_TOKEN, Server, new_channel, new_trigger_id, new_ts
from tests.support.slack_api import BOT_USER_ID

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
OOM_ERROR = "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?"
# A paste the learned decision answers confidently (a bare scheduling line is only likely now:
# docs/eval.md, "What limits it").
CRASH_ERROR = "Back-off restarting failed container"
UNKNOWN_ERROR = "quantum flux capacitor discombobulated while warming the teapot"
ACK_BUDGET_S = 3.0  # Slack's contract: no acknowledgement within 3 s means a failed request


def all_text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def answer_in(server: Server, channel: str, **kwargs: Any) -> Any:
    """The first message posted in `channel` that is an answer (has buttons or "no known fix")."""
    calls = server.wait_in(channel, "chat.postMessage", predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []), **kwargs)
    return calls[0]


def card_ts(server: Server, channel: str, card: Any) -> str:
    """The ts of a card (a channel message, not a reply) as the fake stored it (the stand-in
    records a call before it stores the message: wait for that)."""
    def stored() -> list[str]:
        return [ts for (where, ts), message in list(server.fake.messages.items())
                if where == channel and not message.get("thread_ts")
                and message.get("blocks") == card.args["blocks"]]

    server.fake.wait_until(lambda: bool(stored()))
    return stored()[0]


def full_answer(server: Server, channel: str, card: Any) -> Any:
    """The card's first thread reply: the full answer (steps, evidence, similar incidents)."""
    ts = card_ts(server, channel, card)
    return server.wait_in(channel, "chat.postMessage",
                          predicate=lambda call: call.args.get("thread_ts") == ts)[0]


def incident_rows(server: Server, incident_id: int) -> list[Any]:
    return server.sql("SELECT id, entry_id, status, occurrence_count, resolution_note, "
                      "resolved_by FROM incidents WHERE id = :id", id=incident_id)


def incident_id_of(blocks: list[dict[str, Any]]) -> int:
    for block in blocks:
        if block.get("type") == "actions":
            for element in block["elements"]:
                value = json.loads(element["value"])
                if value.get("incident_id") is not None:
                    return int(value["incident_id"])
    raise AssertionError("no incident id in the answer's buttons")


# ----- serving

def test_health_and_unknown_paths(server: Server) -> None:
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok", "slack": "ok"}
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server.url + "/admin", timeout=5)
    assert missing.value.code == 404


def test_url_verification_echoes_the_challenge(server: Server) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "legacy", "challenge": challenge,
                       "type": "url_verification"}).encode()
    reply = server.slack.post(body, "application/json")
    assert reply.status == 200
    assert json.loads(reply.body) == {"challenge": challenge}


# ----- answers

def test_known_error_is_answered_in_the_channel_and_recorded(server: Server,
                                                              channel: str) -> None:
    reply = server.slack.command(CRASH_ERROR, channel=channel)
    assert reply.status == 200 and reply.seconds < ACK_BUDGET_S

    answer = answer_in(server, channel)  # the compact card
    blocks = answer.args["blocks"]
    text = all_text(blocks)
    assert "thread_ts" not in answer.args  # a new message everyone in the channel sees
    assert answer.args["text"]  # the fallback for notifications
    assert "service-launch-fails" in text  # the entry id travels with the answer
    incident_id = incident_id_of(blocks)
    assert blocks[0]["block_id"] == f"state:{incident_id}"
    assert ":red_circle: *Open*" in text and f"#{incident_id}" in text
    assert "*First step*" in text and "matched:" not in text  # the rest is in the thread
    assert len(visible_text(blocks)) <= MAX_CARD_CHARS

    # Its first thread reply is the full answer: every step, the evidence, the guide.
    full = all_text(full_answer(server, channel, answer).args["blocks"])
    assert f"matched: `{CRASH_ERROR}`" in full
    assert "kubectl logs" in full and "```" in full  # fix steps with commands as code
    assert "learn.microsoft.com" in full  # the guide link
    assert f"Incident #{incident_id}" in shown_text(full)  # linked to the card: read as shown
    action_ids = {element["action_id"] for block in blocks if block["type"] == "actions"
                  for element in block["elements"]}
    # No "Fetch logs" here: this server allows no channel to fetch logs (tests/logs has it).
    assert action_ids == {"resolve_incident", "own_incident"}
    assert any(block["type"] == "context_actions" for block in blocks)  # 👍/👎

    [row] = incident_rows(server, incident_id)
    assert row.entry_id == "service-launch-fails" and row.status == "open"
    [occurrence] = server.sql("SELECT source, user, channel FROM occurrences "
                              "WHERE incident_id = :id", id=incident_id) if (
        server.backend == "sqlite") else server.sql(
        'SELECT source, "user", channel FROM occurrences WHERE incident_id = :id',
        id=incident_id)
    assert tuple(occurrence) == ("slash", "U0000ALICE", channel)


def test_repeated_error_shows_how_often_it_was_seen(server: Server) -> None:
    first, second = new_channel(), new_channel()
    server.slack.command(OOM_ERROR, channel=first)
    first_id = incident_id_of(answer_in(server, first).args["blocks"])
    server.slack.command(OOM_ERROR, channel=second)
    blocks = answer_in(server, second).args["blocks"]
    assert incident_id_of(blocks) == first_id
    [row] = incident_rows(server, first_id)
    assert row.occurrence_count >= 2
    assert f"#{first_id} · seen {row.occurrence_count} times" in shown_text(all_text(blocks))


def test_a_slash_answer_starts_the_thread_its_incident_belongs_to(server: Server,
                                                                  channel: str) -> None:
    # An error no other test pastes: a repeat would join an incident from another channel.
    word = "".join(random.choice("ghijklmnopqrstuvwxyz") for _ in range(12))
    server.slack.command(f"teapot {word} overheated while loading the tokenizer",
                         channel=channel)
    answer = answer_in(server, channel)
    incident_id = incident_id_of(answer.args["blocks"])
    deadline = time.monotonic() + 10  # the thread is written right after the post lands
    while True:
        [(stored_channel, thread_ts)] = server.sql(
            "SELECT channel, thread_ts FROM incidents WHERE id = :id", id=incident_id)
        if thread_ts is not None or time.monotonic() > deadline:
            break
        time.sleep(0.1)  # the poll interval of this wait
    # The answer's own ts: a mention or "Fetch logs" in that thread now finds this incident.
    assert stored_channel == channel
    assert thread_ts is not None and (channel, thread_ts) in server.fake.messages
    assert server.fake.messages[(channel, thread_ts)]["blocks"] == answer.args["blocks"]


def test_unknown_error_says_so_and_records_the_incident(server: Server, channel: str) -> None:
    server.slack.command(UNKNOWN_ERROR, channel=channel)
    answer = answer_in(server, channel)
    text = all_text(answer.args["blocks"])
    assert "No known fix" in text
    incident_id = incident_id_of(answer.args["blocks"])
    assert f"#{incident_id}" in text
    # Abstaining still gives a next step, and calls nothing "matched" when nothing matched.
    assert "*Next step:*" in text and "matched:" not in text
    full = shown_text(all_text(full_answer(server, channel, answer).args["blocks"]))
    assert f"Incident #{incident_id} recorded" in full and "matched:" not in full
    [row] = incident_rows(server, incident_id)
    assert row.entry_id is None and row.status == "open"


def test_mention_is_answered_in_the_thread_of_that_message(server: Server,
                                                           channel: str) -> None:
    ts = new_ts()
    reply = server.slack.mention(GPU_ERROR, channel=channel, ts=ts)
    assert reply.status == 200
    answer = answer_in(server, channel)
    assert answer.args["thread_ts"] == ts
    assert "container-cannot-be-scheduled" in all_text(answer.args["blocks"])


def test_mention_alone_in_a_thread_diagnoses_the_first_message(server: Server,
                                                               channel: str) -> None:
    root_ts = new_ts()
    server.fake.replies[root_ts] = [
        {"type": "message", "user": "U0000BOB", "ts": root_ts,
         "text": f"deploy failed again:\n{OOM_ERROR}"}]
    server.slack.mention("", channel=channel, thread_ts=root_ts)
    answer = answer_in(server, channel)
    assert answer.args["thread_ts"] == root_ts
    assert "vm-out-of-memory" in all_text(answer.args["blocks"])
    replies = server.fake.calls_to("conversations.replies")
    assert any(call.args.get("ts") == root_ts for call in replies)


def test_snippet_paste_is_downloaded_with_the_bot_token(server: Server, channel: str) -> None:
    log = "\n".join(f"2026-11-25T10:{i:02d}:00Z INFO starting worker {i}" for i in range(60))
    snippet = server.fake.add_file(f"{log}\n{GPU_ERROR}\n".encode(), name="kubectl.log")
    server.slack.mention("see the attached log", channel=channel,
                         files=[{"id": snippet["id"], "name": "kubectl.log"}])
    answer = answer_in(server, channel)
    assert "container-cannot-be-scheduled" in all_text(answer.args["blocks"])
    [download] = [call for call in server.fake.calls_to("file_download")
                  if call.args["file"] == snippet["id"]]
    assert download.headers.get("Authorization") == f"Bearer {BOT_TOKEN}"


def test_a_paste_over_200000_characters_says_its_middle_was_not_read(server: Server,
                                                                    channel: str) -> None:
    line = "2026-11-25T10:00:00Z INFO request handled in 12ms by worker 7 of the pool\n"
    log = line * (300_000 // len(line)) + GPU_ERROR + "\n"
    snippet = server.fake.add_file(log.encode(), name="kubectl.log")
    server.slack.mention("see the attached log", channel=channel,
                         files=[{"id": snippet["id"], "name": "kubectl.log"}])
    # A big paste: "Reading…" first, which the answer then replaces.
    answer = all_text(server.wait_in(channel, "chat.update", timeout=60)[0].args["blocks"])
    assert "container-cannot-be-scheduled" in answer  # the end of a log is read
    note = re.search(r"this paste is ([\d,]+) characters long; only its first 20,000 and last "
                     r"180,000 characters were read, the ([\d,]+) in between were not", answer)
    assert note is not None, answer
    total, unread = (int(number.replace(",", "")) for number in note.groups())
    assert total >= len(log) and unread == total - 200_000  # the mention's words + the file


# ----- buttons and the modal

def test_feedback_buttons_record_votes_and_update_the_answer(server: Server,
                                                             channel: str) -> None:
    server.slack.command(GPU_ERROR, channel=channel)
    answer = answer_in(server, channel)
    incident_id = incident_id_of(answer.args["blocks"])
    message = server.stored_message(channel, card_ts(server, channel, answer))

    assert server.slack.vote(message, channel=channel, up=True,
                             user="U0000ALICE").status == 200
    [update] = server.wait_in(channel, "chat.update")
    assert update.args["ts"] == message["ts"]
    assert "<@U0000ALICE>: :+1: helpful" in all_text(update.args["blocks"])

    message = server.stored_message(channel, message["ts"])
    server.slack.vote(message, channel=channel, up=False, user="U0000BOB")
    updates = server.wait_in(channel, "chat.update", 2)
    shown = all_text(updates[-1].args["blocks"])
    assert "<@U0000ALICE>: :+1: helpful" in shown
    assert "<@U0000BOB>: :-1: not this problem" in shown
    assert "Resolved" not in shown  # a vote is about the answer, not the incident

    votes = server.sql('SELECT "user", helpful, entry_id FROM feedback WHERE incident_id = :id '
                       'ORDER BY "user"', id=incident_id)
    assert [(vote[0], bool(vote[1]), vote[2]) for vote in votes] == [
        ("U0000ALICE", True, "container-cannot-be-scheduled"),
        ("U0000BOB", False, "container-cannot-be-scheduled")]


@pytest.mark.parametrize("asked_by", ["slash", "mention"])
def test_resolve_button_opens_a_modal_whose_note_resolves_the_incident(
        server: Server, channel: str, asked_by: str) -> None:
    paste = OOM_ERROR + " (resolve test " + channel + ")"
    if asked_by == "slash":  # the answer is a channel message
        server.slack.command(paste, channel=channel)
    else:  # the answer is a reply in a thread
        server.slack.mention(paste, channel=channel)
    answer = answer_in(server, channel)
    incident_id = incident_id_of(answer.args["blocks"])
    ts = next(ts for (c, ts), message in list(server.fake.messages.items())
              if c == channel and message["blocks"] == answer.args["blocks"])
    message = server.stored_message(channel, ts)
    assert (message.get("thread_ts") is not None) == (asked_by == "mention")

    server.slack.click(message, channel=channel, action_id="resolve_incident")
    opened = server.fake.wait_for("views.open", predicate=lambda call: json.loads(
        call.args["view"]["private_metadata"])["message_ts"] == ts)[0]
    assert json.loads(opened.args["view"]["private_metadata"])["incident_id"] == incident_id
    view = opened.args["view"]
    assert view["callback_id"] == "resolve_incident_modal"
    assert opened.args["trigger_id"].endswith(".trigger")

    submission = {
        "type": "view_submission", "team": {"id": "T0000TEST", "domain": "test"},
        "user": {"id": "U0000CAROL", "username": "carol", "team_id": "T0000TEST"},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "view": {**view, "id": "V0000MODAL", "team_id": "T0000TEST", "state": {"values": {
            "note": {"note_input": {"type": "plain_text_input",
                                    "value": "scaled the gateway to 3 replicas"}}}}},
    }
    reply = server.slack.interaction(submission)
    assert reply.status == 200 and reply.body in ("", "{}")  # an empty ack closes the modal

    update = server.wait_in(channel, "chat.update", predicate=lambda call: "Resolved by" in
                            all_text(call.args.get("blocks")))[0]
    assert update.args["ts"] == ts
    shown = all_text(update.args["blocks"])
    assert "<@U0000CAROL>: scaled the gateway to 3 replicas" in shown
    assert "resolve_incident" not in shown and "reopen_incident" in shown  # Resolve → Reopen
    # Resolved on top: the marker, then who resolved it and how; the steps folded.
    assert update.args["blocks"][0]["elements"][0]["text"] == ":white_check_mark: *Resolved*"
    assert update.args["blocks"][1]["block_id"] == "resolution"
    assert not any(str(block.get("block_id", "")).startswith("fix:")
                   for block in update.args["blocks"])
    [row] = incident_rows(server, incident_id)
    assert row.status == "resolved" and row.resolved_by == "U0000CAROL"
    assert row.resolution_note == "scaled the gateway to 3 replicas"

    # A second person submits the same modal a moment later: told, not resolved twice.
    second = {**submission, "trigger_id": new_trigger_id(),  # each submission has its own
              "user": {**submission["user"], "id": "U0000DAVE"}}
    server.slack.interaction(second)
    told = server.wait_in(channel, "chat.postEphemeral", predicate=lambda call: (
        call.args.get("user") == "U0000DAVE"))[0]
    assert f"Incident #{incident_id} is already resolved (<@U0000CAROL>)" in told.args["text"]
    [row] = incident_rows(server, incident_id)
    assert row.resolved_by == "U0000CAROL"


# ----- Slack's rules

def test_a_retried_event_is_answered_once(server: Server, channel: str) -> None:
    ts = new_ts()
    event = {"type": "app_mention", "user": "U0000ALICE", "channel": channel, "ts": ts,
             "event_ts": ts, "text": f"<@{BOT_USER_ID}> {GPU_ERROR}"}
    for retry in (None, 1, 2):
        reply = server.slack.event(event, event_id="Ev0RETRY" + channel, retry_num=retry)
        assert reply.status == 200
    answer_in(server, channel)
    # Both retries were turned away before any listener ran: no duplicate can follow.
    assert server.repeats_ignored("Ev0RETRY" + channel) == 2
    answers = [call for call in server.calls_in(channel, "chat.postMessage")]
    assert len(answers) == 1
    assert len(server.sql("SELECT event_id FROM processed_events WHERE event_id = :id",
                          id="Ev0RETRY" + channel)) == 1


@pytest.mark.parametrize("tamper", ["wrong_secret", "stale_timestamp"])
def test_unsigned_or_stale_requests_are_refused(server: Server, channel: str,
                                                tamper: str) -> None:
    signing = ({"secret": "not-the-secret"} if tamper == "wrong_secret"
               else {"timestamp": int(time.time()) - 10 * 60})
    assert server.slack.command(GPU_ERROR, channel=channel, **signing).status == 401
    assert server.slack.mention(GPU_ERROR, channel=channel, **signing).status == 401
    server.settle()
    assert [call for call in server.fake.calls if call.args.get("channel") == channel] == []
    assert server.sql("SELECT id FROM occurrences WHERE channel = :c", c=channel) == []


def test_a_40000_character_paste_is_acknowledged_at_once_and_answered(server: Server,
                                                                      channel: str) -> None:
    noise = "\n".join(f"2026-11-25 10:00:{i % 60:02d} INFO request {i} handled in 12ms"
                      for i in range(700))
    paste = (noise + "\n" + GPU_ERROR + "\n" + noise)[:40_000]
    if GPU_ERROR not in paste:
        paste = noise[: 40_000 - len(GPU_ERROR) - 1] + "\n" + GPU_ERROR
    assert len(paste) == 40_000 or len(paste) > 39_000
    reply = server.slack.command(paste, channel=channel)
    assert reply.status == 200 and reply.seconds < ACK_BUDGET_S

    # Progress first ("Reading 40,000 characters…"), then that message becomes the answer.
    progress = server.wait_in(channel, "chat.postMessage")[0]
    assert "Reading" in progress.args["text"]
    update = server.wait_in(channel, "chat.update")[0]
    assert "container-cannot-be-scheduled" in all_text(update.args["blocks"])
    assert len(update.args["blocks"]) <= 50
    assert all(len(block.get("text", {}).get("text", "")) <= 3000
               for block in update.args["blocks"])
    # The channel cannot see a slash command's text: the paste is kept as a file in the thread.
    complete = server.fake.wait_for("files.completeUploadExternal", predicate=lambda call: (
        call.args.get("channel_id") == channel))[0]
    file_id = complete.args["files"][0]["id"]
    assert server.fake.uploads[file_id].decode().count("INFO request") > 500


def test_twenty_concurrent_commands_are_all_acknowledged_in_time(server: Server) -> None:
    channels = [new_channel() for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(
            lambda index: server.slack.command(f"{OOM_ERROR} #{index}",
                                               channel=channels[index]), range(20)))
    assert [reply.status for reply in replies] == [200] * 20
    slowest = max(reply.seconds for reply in replies)
    assert slowest < ACK_BUDGET_S, f"slowest acknowledgement took {slowest:.2f} s"
    for target in channels:
        answer_in(server, target, timeout=60)


def test_rate_limited_post_is_retried_after_retry_after(server: Server, channel: str) -> None:
    server.settle()  # no earlier answer's late thread reply may take the failure set up here
    # Only this channel's post: a late post of another test on this stand-in took the 429 once.
    server.fake.rate_limit_next("chat.postMessage", retry_after=1, channel=channel)
    server.slack.command(GPU_ERROR, channel=channel)
    attempts = server.wait_in(channel, "chat.postMessage", 2)  # the stand-in records the 429 too
    server.settle()
    cards = [call for call in server.calls_in(channel, "chat.postMessage")
             if not call.args.get("thread_ts")]
    assert len(cards) == 2  # and no third: one card (its thread reply is not counted here)
    assert attempts[0].args["blocks"] == attempts[1].args["blocks"]
    assert attempts[1].at - attempts[0].at >= 0.9  # it waited for Retry-After


def test_an_internal_error_apologizes_with_a_reference_and_no_trace(server: Server,
                                                                    channel: str) -> None:
    server.sql("ALTER TABLE occurrences RENAME TO occurrences_away")
    big = "\n".join([UNKNOWN_ERROR + " internal"] * 120)  # big enough for a progress message
    try:
        server.slack.command(big, channel=channel)
        apology = server.fake.wait_for("response_url", predicate=lambda call: (
            call.path.endswith(channel)))[0]
    finally:
        server.sql("ALTER TABLE occurrences_away RENAME TO occurrences")
    [progress] = server.calls_in(channel, "chat.postMessage")
    assert "Reading" in progress.args["text"]
    [deleted] = server.wait_in(channel, "chat.delete")  # not left hanging over the apology
    assert deleted.args["ts"] == server.stored_message(channel, deleted.args["ts"])["ts"]
    text = apology.args["text"]
    assert "Sorry, something went wrong" in text
    reference = text.split("Reference `")[1].split("`")[0]
    assert len(reference) == 8
    said = all_text([call.args for call in server.fake.calls]) + all_text(
        [call.body.decode(errors="replace") for call in server.fake.calls])
    assert "Traceback" not in said and 'File "' not in said and "occurrences" not in said
    log = server.wait_for_log(f"ref={reference}")
    assert f"ref={reference}" in log and "Traceback" in log


# ----- sub-commands

def respond_calls(server: Server, channel: str, count: int = 1) -> list[Any]:
    return server.fake.wait_for("response_url", count,
                                predicate=lambda call: call.path.endswith("/" + channel))


def test_help_lists_built_in_and_registered_sub_commands(server: Server, channel: str) -> None:
    server.slack.command("help", channel=channel)
    [reply] = respond_calls(server, channel)
    text = all_text(reply.args)
    assert reply.args["response_type"] == "ephemeral"
    for usage in ("/troubleshoot resolve", "/troubleshoot incidents", "/troubleshoot lang",
                  "/troubleshoot watch"):
        assert usage in text


def test_lang_switches_the_answers_of_that_person(server: Server, channel: str) -> None:
    server.slack.command("lang ko", channel=channel, user="U0000KOREA")
    [reply] = respond_calls(server, channel)
    assert "한국어" in reply.args["text"]
    other = new_channel()
    server.slack.command(UNKNOWN_ERROR + " ko", channel=other, user="U0000KOREA")
    answer = answer_in(server, other)
    assert "알려진 조치 방법이 없습니다" in all_text(answer.args["blocks"])
    server.slack.command("lang xx", channel=channel, user="U0000KOREA")
    assert "lang ko|en" in respond_calls(server, channel, 2)[-1].args["text"]


def test_incidents_and_resolve_by_command(server: Server, channel: str) -> None:
    server.slack.command(OOM_ERROR + " incidents " + channel, channel=channel)
    incident_id = incident_id_of(answer_in(server, channel).args["blocks"])
    # The card's thread reply is posted once the incident knows its card (flows.answer_in_thread
    # attaches the thread first): only then can a resolve by command find the card to update.
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: bool(
        call.args.get("thread_ts")))
    server.slack.command("incidents", channel=channel)
    listing = respond_calls(server, channel)[0]
    assert f"#{incident_id}" in all_text(listing.args)

    server.slack.command(f"resolve {incident_id} restarted the gateway", channel=channel)
    done = respond_calls(server, channel, 2)[-1]
    assert done.args["response_type"] == "ephemeral"  # a sub-command answers only its person
    assert f"Incident #{incident_id} resolved" in done.args["text"]
    [row] = incident_rows(server, incident_id)
    assert row.status == "resolved" and row.resolution_note == "restarted the gateway"
    # The card in the channel follows, as it does for the Resolve button.
    card = server.wait_in(channel, "chat.update", predicate=lambda call: (
        "reopen_incident" in all_text(call.args.get("blocks"))))[0]
    assert "Resolved by <@U0000ALICE>: restarted the gateway" in all_text(card.args["blocks"])

    server.slack.command("resolve 99999999", channel=channel)
    assert "no incident #99999999" in respond_calls(server, channel, 3)[-1].args["text"]
    server.slack.command(f"resolve #{incident_id}", channel=channel, user="U0000BOB")
    assert (f"Incident #{incident_id} is already resolved (<@U0000ALICE>)"
            in respond_calls(server, channel, 4)[-1].args["text"])


def test_watch_mode_suggests_only_for_confident_errors(server: Server, channel: str) -> None:
    server.slack.command("watch on", channel=channel)
    assert "Watching" in respond_calls(server, channel)[0].args["text"]

    chatter_ts, unknown_ts, error_ts = new_ts(), new_ts(), new_ts()
    message = {"type": "message", "channel": channel, "user": "U0000BOB",
               "channel_type": "channel"}
    server.slack.event({**message, "ts": chatter_ts, "text": "lunch at noon?"})
    server.slack.event({**message, "ts": unknown_ts, "text": "error: " + UNKNOWN_ERROR})
    server.slack.event({**message, "ts": error_ts, "text": f"help!\n{CRASH_ERROR}"})
    server.slack.event({**message, "ts": new_ts(), "text": CRASH_ERROR, "subtype": "bot_message",
                        "bot_id": "B0000OTHER"})
    answer = answer_in(server, channel)
    assert answer.args["thread_ts"] == error_ts
    server.settle()  # the chatter, the unknown error and the bot's message: all handled by now
    assert len(server.calls_in(channel, "chat.postMessage")) == 1

    server.slack.command("watch off", channel=channel)
    respond_calls(server, channel, 2)
    server.slack.event({**message, "ts": new_ts(), "text": CRASH_ERROR})
    server.settle()
    assert len(server.calls_in(channel, "chat.postMessage")) == 1


def test_home_tab_lists_open_incidents_and_the_language(server: Server, channel: str) -> None:
    server.slack.command(GPU_ERROR + " home " + channel, channel=channel)
    incident_id = incident_id_of(answer_in(server, channel).args["blocks"])
    server.slack.event({"type": "app_home_opened", "user": "U0000HOME", "channel": "D0000HOME",
                        "tab": "home", "event_ts": new_ts()})
    published = server.fake.wait_for("views.publish", predicate=lambda call: (
        call.args.get("user_id") == "U0000HOME"))[0]
    view = published.args["view"]
    assert view["type"] == "home"
    text = all_text(view)
    assert f"#{incident_id}" in text and "Your language: *English*" in text


def test_home_tab_language_buttons_switch_the_language(server: Server) -> None:
    user = "U0000SWITCH"
    payload = {
        "type": "block_actions", "team": {"id": "T0000TEST", "domain": "test"},
        "user": {"id": user, "username": "sw", "team_id": "T0000TEST"},
        "api_app_id": "A0000TEST", "token": "legacy", "trigger_id": new_trigger_id(),
        "container": {"type": "view", "view_id": "V0000HOME"},
        "view": {"id": "V0000HOME", "type": "home", "blocks": []},
        "actions": [{"type": "button", "action_id": "set_language_ko", "value": "ko",
                     "block_id": "language_buttons", "action_ts": new_ts()}],
    }
    assert server.slack.interaction(payload).status == 200
    published = server.fake.wait_for("views.publish", predicate=lambda call: (
        call.args.get("user_id") == user))[0]
    assert "내 언어: *한국어*" in all_text(published.args["view"])
    [row] = server.sql('SELECT language FROM user_settings WHERE "user" = :u', u=user)
    assert row.language == "ko"


def test_secrets_in_a_paste_never_reach_slack(server: Server, channel: str) -> None:
    key = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9mcmVk" * 2
    sas = "sig=" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v%3D"
    lines = [f"2026-11-25 10:00:{i % 60:02d} INFO probing model {i}" for i in range(80)]
    paste = "\n".join([*lines, GPU_ERROR,
                       f"DefaultEndpointsProtocol=https;AccountName=prod;AccountKey={key}",
                       f"https://prod.blob.core.windows.net/models/m.pkl?sv=2022-11-02&{sas}"])
    server.slack.command(paste, channel=channel)
    answer_in(server, channel)
    server.fake.wait_for("files.completeUploadExternal", predicate=lambda call: (
        call.args.get("channel_id") == channel))
    sent = b"".join(call.body for call in server.fake.calls) + b"".join(
        server.fake.uploads.values())
    assert key.encode() not in sent and sas.split("=", 1)[1].encode() not in sent
    stored = server.sql("SELECT text FROM occurrences WHERE channel = :c", c=channel)
    assert stored and all(key not in (row.text or "") for row in stored)


def test_a_channel_the_bot_is_not_in_still_gets_the_answer(server: Server,
                                                            channel: str) -> None:
    server.settle()  # no earlier answer's late thread reply may take the failure set up here
    server.fake.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    server.slack.command(GPU_ERROR, channel=channel)
    reply = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith("/" + channel)))[0]
    assert reply.args["response_type"] == "in_channel"
    text = all_text(reply.args["blocks"])
    assert "container-cannot-be-scheduled" in text and "Invite" not in text
    # What to do about it reaches only the person, as a message of its own.
    hint = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith("/" + channel) and call.args.get("response_type") == "ephemeral"))
    assert f"Invite the app to this channel (`/invite`, then pick it): <@{BOT_USER_ID}>" in (
        hint[0].args["text"])


def test_an_image_attachment_is_not_read_as_an_error(server: Server, channel: str) -> None:
    image = server.fake.add_file(b"\x89PNG\r\n\x1a\n" + bytes(200), name="screenshot.png",
                                 filetype="png")
    server.slack.mention("", channel=channel, files=[{"id": image["id"]}])
    said = [call.args["text"] for call in server.wait_in(channel, "chat.postMessage", 2)]
    assert said[0] == "I could not read the attached file screenshot.png as text."
    assert said[1].startswith("Paste the error after mentioning me")
    assert not [call for call in server.fake.calls_to("file_download")
                if call.args["file"] == image["id"]]


# ----- a likely match: a tentative answer, not "no known fix"

LIKELY_CANDIDATES = (
    GPU_ERROR,
    OOM_ERROR,
    "the container keeps restarting after deploy, the log shows init failing",
    "ImagePullBackOff: Back-off pulling image \"myacr.azurecr.io/x:1\"",
    "Invoking user's init function\nRRuntimeError: Error in library(caret) : there is no "
    "package called 'caret'",
    # With precedents (round 7) the descriptions above became confident or stayed unknown.
    "the image build failed for my environment",
)


def likely_paste() -> tuple[str, str]:
    """A paste the shipped model rates likely (not confident), with its entry id; chosen with
    the same KB and model the server loads, so retraining cannot make the test vacuous."""
    from bot.matching.matcher import default_matcher
    for paste in LIKELY_CANDIDATES:
        result = default_matcher().match(paste)
        if result.likely is not None:
            return paste, result.likely.entry_id
    pytest.fail("no candidate paste is in the likely tier: add one to LIKELY_CANDIDATES")


def test_a_likely_paste_gets_a_tentative_answer(server: Server, channel: str) -> None:
    paste, entry_id = likely_paste()
    server.slack.command(paste, channel=channel)
    answer = answer_in(server, channel)
    blocks = answer.args["blocks"]
    text = all_text(blocks)
    assert "*Probably:*" in text and entry_id in text
    assert "*First step*" in text and "*Cause*" in text
    assert f"`{entry_id}`" in all_text(full_answer(server, channel, answer).args["blocks"])
    assert "No known fix" not in text
    assert answer.args["text"].startswith("Probably")
    action_ids = {element["action_id"] for block in blocks if block["type"] == "actions"
                  for element in block["elements"]}
    assert "resolve_incident" in action_ids
    assert any(block["type"] == "context_actions" for block in blocks)  # 👍/👎 confirm it
    [(confident,)] = server.sql("SELECT confident FROM occurrences WHERE incident_id = :id "
                                "ORDER BY id DESC LIMIT 1", id=incident_id_of(blocks))
    assert not confident  # recorded as what it is: not a confident answer


def test_a_recurrence_names_the_earlier_incident_and_how_it_was_fixed(server: Server,
                                                                      channel: str) -> None:
    # An error no other test pastes, fixed once, then back: the answer says so (issue 12: Slack
    # used to say "first time seen" where the terminal said "recurrence of #N").
    word = "".join(random.choice("ghijklmnopqrstuvwxyz") for _ in range(12))
    paste = f"teapot {word} overheated while loading the tokenizer"
    server.slack.command(paste, channel=channel)
    first_id = incident_id_of(answer_in(server, channel).args["blocks"])
    server.slack.command(f"resolve {first_id} swapped the {word} teapot", channel=channel)
    assert f"Incident #{first_id} resolved" in respond_calls(server, channel)[-1].args["text"]

    server.slack.command(paste, channel=channel)
    answers = server.wait_in(channel, "chat.postMessage", 2, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    blocks = answers[-1].args["blocks"]
    again_id = incident_id_of(blocks)
    text = shown_text(all_text(blocks))
    assert again_id != first_id
    assert f"#{again_id} · recurrence of #{first_id}" in text  # on the card's state line
    assert (f"Last fixed by <@U0000ALICE>: swapped the {word} teapot (#{first_id}, seen 1×)"
            in text)
    assert "first time seen" not in text
    full = shown_text(all_text(full_answer(server, channel, answers[-1]).args["blocks"]))
    assert f"Incident #{again_id} recorded · recurrence of #{first_id}" in full


def test_a_card_is_resolved_then_reopened_and_follows_each_state(server: Server,
                                                                 channel: str) -> None:
    # A paste of its own: a repeat from another test would join that test's incident.
    paste = f"{OOM_ERROR} (reopen test {channel})"
    server.slack.command(paste, channel=channel)
    card = answer_in(server, channel)
    incident_id = incident_id_of(card.args["blocks"])
    ts = card_ts(server, channel, card)
    assert full_answer(server, channel, card)  # the full answer is in its thread
    assert "*First step*" in all_text(card.args["blocks"])

    server.slack.command(f"resolve {incident_id} raised the memory limit", channel=channel)
    resolved = server.wait_in(channel, "chat.update", predicate=lambda call: (
        call.args["ts"] == ts and "reopen_incident" in all_text(call.args["blocks"])))[0]
    assert "*Resolved*" in all_text(resolved.args["blocks"])
    assert "*First step*" not in all_text(resolved.args["blocks"])  # folded

    # Someone in another channel may not reopen it (the rule of Resolve).
    message = server.stored_message(channel, ts)
    elsewhere = new_channel()
    server.slack.click({**message, "blocks": message["blocks"]}, channel=elsewhere,
                       action_id="reopen_incident", user="U0000MALLORY")
    told = server.fake.wait_for("response_url", predicate=lambda call: (
        call.path.endswith(f"/{elsewhere}-action")))[0]
    assert f"Incident #{incident_id} belongs to another channel" in told.args["text"]
    [row] = incident_rows(server, incident_id)
    assert row.status == "resolved"

    server.slack.click(message, channel=channel, action_id="reopen_incident", user="U0000BOB")
    reopened = server.wait_in(channel, "chat.update", predicate=lambda call: (
        call.args["ts"] == ts and "Reopened by <@U0000BOB>" in all_text(call.args["blocks"])))[0]
    shown = all_text(reopened.args["blocks"])
    assert ":red_circle: *Open*" in shown and "*First step*" in shown  # the step is back
    assert "resolve_incident" in shown and "reopen_incident" not in shown
    [row] = incident_rows(server, incident_id)
    assert row.status == "open" and row.resolved_by is None and row.resolution_note is None

    # The same paste again joins the reopened incident: one open incident per problem.
    server.slack.command(paste, channel=channel)
    cards = server.wait_in(channel, "chat.postMessage", 2, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    assert incident_id_of(cards[-1].args["blocks"]) == incident_id
