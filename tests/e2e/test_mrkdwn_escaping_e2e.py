"""Mass mentions and spoofed links (issue 9, item 9), end to end: what people or files wrote is
shown as written, never obeyed, in what the Slack stand-in receives from the real app. Nothing
here needs a socket or a worker: the app runs in this process (`app_server`), on each backend."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import Server, in_process_server, new_channel

pytestmark = pytest.mark.slow

# Slack markup that would act: a mass mention, the planted user and channel mentions (the
# bot's own "reported by <@U...>" is meant), a disguised link.
ACTIVE_MARKUP = re.compile(r"<!(?:channel|here|everyone)\b|<@U0000BOSS>|<#C0000OPS>"
                           r"|<https?://evil[^>]*>")
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]")


server = in_process_server("mrkdwn")  # the app in this process: no socket or worker


def said_in(server: Server, channel: str) -> str:
    """Every mrkdwn text the app sent for `channel`: message texts, blocks, replies."""
    calls = [call for call in server.fake.calls
             if call.args.get("channel") == channel or channel in call.path]
    return "\n".join(json.dumps(call.args, ensure_ascii=False) for call in calls)


def test_a_file_name_with_a_mass_mention_and_a_link_is_shown_not_obeyed(server: Server) -> None:
    channel = new_channel()
    name = "<!channel> <https://evil.example|fix>.png"
    image = server.fake.add_file(b"\x89PNG\r\n\x1a\n" + bytes(100), name=name, filetype="png")
    server.slack.mention("", channel=channel, files=[{"id": image["id"]}])
    notice = server.wait_in(channel, "chat.postMessage", 2)[0]
    assert notice.args["text"] == ("I could not read the attached file &lt;!channel&gt; "
                                   "&lt;https://evil.example|fix&gt;.png as text.")
    assert not ACTIVE_MARKUP.search(said_in(server, channel))


def test_digest_subscribe_with_a_mass_mention_is_refused_without_pinging(
        server: Server) -> None:
    channel = new_channel()
    server.slack.command("digest subscribe <!channel>", channel=channel)
    reply = server.fake.wait_for("response_url",
                                 predicate=lambda call: call.path.endswith("/" + channel))[0]
    assert "&lt;!channel&gt;" in reply.args["text"]
    assert not ACTIVE_MARKUP.search(said_in(server, channel))


def test_markup_and_direction_controls_in_a_paste_are_inert_in_the_answer(
        server: Server) -> None:
    channel = new_channel()
    paste = ("ERROR <!here> deploy of \u202escorer\u202c failed: see <https://evil.example|the fix>"
             " cc <@U0000BOSS> in <#C0000OPS> flux capacitor discombobulated\u200b")
    server.slack.command(paste, channel=channel)
    # The card, then the full answer in its thread: the error line read is shown there.
    server.wait_in(channel, "chat.postMessage", predicate=lambda call: any(
        block.get("type") == "actions" for block in call.args.get("blocks") or []))
    reply = server.wait_in(channel, "chat.postMessage", predicate=lambda call: bool(
        call.args.get("thread_ts")))[0]
    shown = json.dumps(reply.args["blocks"], ensure_ascii=False)
    assert "&lt;!here&gt;" in shown and "flux capacitor discombobulated" in shown
    assert not ACTIVE_MARKUP.search(said_in(server, channel))
    assert not INVISIBLE.search(said_in(server, channel))
    [row] = server.sql("SELECT text FROM occurrences WHERE channel = :c", c=channel)
    assert not INVISIBLE.search(row.text)  # cleaned before storage too
    home = server.slack.event({"type": "app_home_opened", "user": "U0000ALICE", "tab": "home",
                               "channel": "D0000HOME", "event_ts": "1.1"})
    assert home.status == 200
    published = server.fake.wait_for("views.publish")[-1]
    assert not ACTIVE_MARKUP.search(json.dumps(published.args, ensure_ascii=False))
