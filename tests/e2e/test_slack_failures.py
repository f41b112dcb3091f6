"""Slack slow or failing, end to end: the real server, the Slack stand-in taught to answer 500,
to answer late after doing the work, or to be slow for one channel.

Promised: a transient 5xx is retried and the answer arrives; a post that arrived although the
call timed out is neither apologised for nor posted again; a channel where Slack is slow does
not hold the answers of other channels.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.conftest import Server, new_channel, running_server

pytestmark = pytest.mark.slow

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
APOLOGY = "Sorry, something went wrong"
CALL_TIMEOUT_S = 3  # SLACK_API_TIMEOUT_S for this server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from bot.storage.migrations import upgrade

    folder = tmp_path_factory.mktemp("slack-failures")
    database_url = f"sqlite:///{folder / 'bot.db'}"
    upgrade(database_url)
    # One worker, so that its 16 answer threads are all there is (as on a small replica).
    with running_server(folder, database_url, "sqlite", extra_env={
            "SLACK_API_TIMEOUT_S": str(CALL_TIMEOUT_S), "WEB_CONCURRENCY": "1"}) as running:
        yield running


def is_answer(call: Any) -> bool:
    return any(block.get("type") == "actions" for block in call.args.get("blocks") or [])


def answers_stored(server: Server, channel: str) -> list[dict[str, Any]]:
    """Answers Slack actually holds in the channel (posted, whatever the caller was told)."""
    return [message for (where, _ts), message in server.fake.messages.items()
            if where == channel and any(block.get("type") == "actions"
                                        for block in message.get("blocks") or [])]


def apologies(server: Server) -> list[Any]:
    return [call for call in server.fake.calls if APOLOGY in json.dumps(call.args)]


def test_a_transient_500_is_retried_and_the_answer_arrives(server: Server) -> None:
    channel = new_channel()
    server.settle()  # no earlier answer's late thread reply may take the failure set up here
    server.fake.fail_next("chat.postMessage", status=500,
                          body={"ok": False, "error": "internal_error"})
    assert server.slack.mention(GPU_ERROR, channel=channel).status == 200
    calls = server.wait_in(channel, "chat.postMessage", 2)
    assert calls[0].args["blocks"] == calls[1].args["blocks"]  # the same answer, sent again
    server.settle()  # an apology or a third post has had its time
    assert len(answers_stored(server, channel)) == 1
    assert apologies(server) == []


@pytest.mark.parametrize("how", ["mention", "slash"])
def test_a_post_that_arrived_after_the_timeout_is_not_apologised_for(server: Server,
                                                                     how: str) -> None:
    channel = new_channel()
    # Slack posts at once but answers 31 s later: past our bound, and past slack_sdk's 30 s.
    server.fake.delay("chat.postMessage", 31, channel=channel, after=True, times=1)
    started = time.monotonic()
    if how == "mention":
        assert server.slack.mention(GPU_ERROR, channel=channel).status == 200
    else:
        assert server.slack.command(GPU_ERROR, channel=channel).status == 200
    server.wait_in(channel, "chat.postMessage", predicate=is_answer)
    lookup = "conversations.replies" if how == "mention" else "conversations.history"
    server.fake.wait_for(lookup, predicate=lambda call: (
        call.args.get("channel") == channel and call.args.get("include_all_metadata")))
    server.settle()  # an apology or a second post has had its time
    assert time.monotonic() - started < 30  # settled long before slack_sdk's own timeout
    posts = server.calls_in(channel, "chat.postMessage")
    # Not posted again: one answer (a slash command's card has its full answer as a reply).
    assert len([post for post in posts if is_answer(post)]) == 1
    assert len(answers_stored(server, channel)) == 1
    assert apologies(server) == []


def test_a_slow_channel_does_not_hold_the_answers_of_other_channels(server: Server) -> None:
    slow, other = new_channel(), new_channel()
    slow_s = 2.5
    server.fake.delay("chat.postMessage", slow_s, channel=slow)
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(lambda index: server.slack.mention(
            f"{GPU_ERROR} #{index}", channel=slow), range(20)))
    assert [reply.status for reply in replies] == [200] * 20
    server.wait_in(slow, "chat.postMessage")  # the slow channel's posts have started
    assert server.slack.mention(GPU_ERROR, channel=other).status == 200
    [answer] = server.wait_in(other, "chat.postMessage", predicate=is_answer)
    first_slow = min(call.at for call in server.calls_in(slow, "chat.postMessage"))
    # Answered before the first slow post even returned: no thread was waiting for one.
    assert answer.at < first_slow + slow_s, answer.at - first_slow
    # And the slow channel loses nothing: every paste is answered, once.
    server.wait_in(slow, "chat.postMessage", 20, timeout=90, predicate=is_answer)
    # Slack stores each post after its delay: wait until the last is stored, then for stragglers.
    server.fake.wait_until(lambda: len(answers_stored(server, slow)) >= 20)
    server.settle()
    assert len(answers_stored(server, slow)) == 20
    assert apologies(server) == []
