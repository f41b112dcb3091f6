"""`#id` links (issue 13, Build 4), end to end: the real app in this process, signed requests,
the Slack stand-in, both databases.

Every incident number opens the incident's thread: on a card's state line, in the last fix, in
the full answer, in `/troubleshoot incidents` and on the Home tab. The address is Slack's message
permalink: the workspace URL auth.test gives (`https://test.slack.com/` in the stand-in) and the
thread's channel and ts. Private channels' numbers are never linked outside them
(tests/e2e/test_slack_privacy.py).
"""

from __future__ import annotations

import random
import re

import pytest

from tests.e2e.conftest import Server, in_process_server, new_channel, new_ts
from tests.e2e.test_slack_conversations import (
    all_text,
    answer_in,
    card_ts,
    full_answer,
    incident_id_of,
    respond_calls,
)

pytestmark = pytest.mark.slow


server = in_process_server("links")  # the app in this process: no socket or worker


def thread_link(channel: str, ts: str) -> str:
    """What Slack's own "Copy link" gives for a message."""
    return f"https://test.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def linked(text: str, incident_id: int) -> list[str]:
    """The addresses `#incident_id` links to in `text` (Slack mrkdwn: `<url|#5>`)."""
    return re.findall(rf"<(https://[^|>]+)\|#{incident_id}>", text)


def unique_paste() -> str:
    word = "".join(random.choice("ghijklmnopqrstuvwxyz") for _ in range(12))
    return f"teapot {word} overheated while loading the tokenizer"


def test_a_recurrence_links_the_earlier_incident_and_its_own_thread(server: Server) -> None:
    channel = new_channel()
    paste = unique_paste()
    server.slack.command(paste, channel=channel)
    first_card = answer_in(server, channel)
    first_id = incident_id_of(first_card.args["blocks"])
    first_thread = thread_link(channel, card_ts(server, channel, first_card))
    # The card's own thread reply names its incident: a link back to the card.
    full = all_text(full_answer(server, channel, first_card).args["blocks"])
    assert linked(full, first_id) == [first_thread]

    server.slack.command(f"resolve {first_id} swapped the teapot", channel=channel)
    respond_calls(server, channel)
    server.slack.command(paste, channel=channel)
    cards = server.wait_in(channel, "chat.postMessage", 2, predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    card = cards[-1]
    again_id = incident_id_of(card.args["blocks"])
    assert again_id != first_id
    text = all_text(card.args["blocks"])
    # "recurrence of #1" on the state line and "(#1, seen 1×)" in the last fix both open #1's
    # thread.
    assert linked(text, first_id) == [first_thread, first_thread]
    full = all_text(full_answer(server, channel, card).args["blocks"])
    assert linked(full, again_id) == [thread_link(channel, card_ts(server, channel, card))]
    assert first_thread in linked(full, first_id)


def test_incident_lists_and_the_home_tab_link_each_number(server: Server) -> None:
    channel = new_channel()
    server.slack.command(unique_paste(), channel=channel)
    card = answer_in(server, channel)
    incident_id = incident_id_of(card.args["blocks"])
    thread = thread_link(channel, card_ts(server, channel, card))
    full_answer(server, channel, card)  # its thread is recorded by now

    server.slack.command("incidents", channel=channel)
    assert linked(all_text(respond_calls(server, channel)[-1].args), incident_id) == [thread]
    server.slack.command("incidents all", channel=new_channel())
    server.slack.event({"type": "app_home_opened", "user": "U0000LINKS", "tab": "home",
                        "channel": "D0000LINKS", "event_ts": new_ts()})
    home = server.fake.wait_for("views.publish", predicate=lambda call: (
        call.args.get("user_id") == "U0000LINKS"))[-1]
    assert linked(all_text(home.args["view"]), incident_id) == [thread]
