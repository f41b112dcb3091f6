"""Posting to Slack when Slack is slow or failing, without ever posting an answer twice or
apologising for an answer that arrived.

The client retries what is safe to retry (429s, 5xx answers, connections that never reached
Slack: see bot.slack.web_api). What remains is a call whose outcome is unknown: the client timed
out, or Slack kept answering 5xx, and the message may have been posted all the same. Each post
therefore carries a marker in its message metadata, and an unknown outcome is settled by looking
for that marker in the channel or thread before anyone is told that something went wrong.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.render import Message

log = logging.getLogger(__name__)

ANSWER_EVENT = "troubleshoot_answer"
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}
# When to look for a post whose outcome is unknown: Slack may finish it a little after our
# client gave up, so the last look comes a few seconds later.
LOOK_AFTER_S = (0.5, 2.0, 4.0)


def not_a_member(error: BaseException) -> bool:
    """Slack refused because the bot is not in the channel (or cannot see it at all)."""
    return (isinstance(error, SlackApiError)
            and error.response.get("error") in NOT_A_MEMBER)


def outcome_unknown(error: BaseException) -> bool:
    """A timeout, a dropped connection or a 5xx: Slack may or may not have done the work."""
    if isinstance(error, SlackApiError):
        return error.response.status_code >= 500
    return isinstance(error, TimeoutError | URLError | ConnectionError)


def post_message(client: WebClient, channel: str, thread_ts: str | None, message: Message, *,
                 tolerate_not_member: bool) -> str | None:
    """chat.postMessage once; its ts, or None in a channel the bot is not a member of."""
    marker = uuid.uuid4().hex
    started = f"{time.time() - 1:.6f}"
    try:
        return str(client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False,
            metadata={"event_type": ANSWER_EVENT, "event_payload": {"marker": marker}},
            **message.as_kwargs())["ts"])
    except Exception as error:
        if (tolerate_not_member and isinstance(error, SlackApiError)
                and error.response.get("error") in NOT_A_MEMBER):
            return None
        if not outcome_unknown(error):
            raise
        found = _look_for(client, channel, thread_ts, marker, started)
        if found is None:
            raise
        return found


def update_message(client: WebClient, channel: str, ts: str, thread_ts: str | None,
                   message: Message) -> None:
    """chat.update; an unknown outcome counts as done once the message shows the new text."""
    try:
        client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
    except Exception as error:
        if not outcome_unknown(error):
            raise
        for delay in LOOK_AFTER_S:
            time.sleep(delay)
            with contextlib.suppress(Exception):  # Slack still failing: look again
                current = find_message(client, channel=channel, ts=ts, thread_ts=thread_ts)
                if current is not None and current.get("text") == message.text:
                    log.warning("chat.update in %s failed (%s) but the message was updated",
                                channel, type(error).__name__)
                    return
        raise


def find_message(client: WebClient, *, channel: str, ts: str,
                 thread_ts: str | None) -> dict[str, Any] | None:
    """The message `ts` as Slack has it now (in its thread, if it is a reply)."""
    if thread_ts and thread_ts != ts:
        messages = client.conversations_replies(channel=channel, ts=thread_ts)["messages"]
    else:
        messages = client.conversations_history(channel=channel, latest=ts, inclusive=True,
                                                limit=1)["messages"]
    return next((message for message in messages or [] if message.get("ts") == ts), None)


def _look_for(client: WebClient, channel: str, thread_ts: str | None, marker: str,
              oldest: str) -> str | None:
    for delay in LOOK_AFTER_S:
        time.sleep(delay)
        try:
            if thread_ts:
                messages = client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=200,
                    oldest=oldest)["messages"]
            else:
                messages = client.conversations_history(
                    channel=channel, oldest=oldest, include_all_metadata=True,
                    limit=100)["messages"]
        except Exception as error:  # Slack still failing: look again, then give up
            log.info("could not look for a post in %s: %s", channel, type(error).__name__)
            continue
        for found in messages or []:
            if _marker_of(found) == marker:
                log.warning("a post to %s reported failure but arrived (ts %s)", channel,
                            found.get("ts"))
                return str(found["ts"])
    return None


def _marker_of(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != ANSWER_EVENT:
        return None
    return (metadata.get("event_payload") or {}).get("marker")
