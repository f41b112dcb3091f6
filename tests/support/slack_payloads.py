"""Request bodies as Slack sends them (a slash command, an app mention, a button click), and
header sets a forger would send: shared by the in-process and the over-HTTP door tests."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid

from tests.support.slack_api import BOT_USER_ID, TEAM_ID

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


def new_trigger_id(suffix: str = "abc") -> str:
    """Unique per command or click, as Slack's are (the app ignores a trigger_id seen before)."""
    return f"{uuid.uuid4().int % 10**10}.1.{suffix}"


def command_body(channel: str, response_url: str, text: str = GPU_ERROR,
                 trigger_id: str | None = None) -> bytes:
    return urllib.parse.urlencode({
        "token": "legacy", "team_id": TEAM_ID, "channel_id": channel, "user_id": "U0000ALICE",
        "command": "/troubleshoot", "text": text, "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(), "api_app_id": "A0000TEST"}).encode()


def mention_body(channel: str) -> bytes:
    ts = f"{int(time.time())}.000100"
    return json.dumps({"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0000TEST",
                       "type": "event_callback", "event_id": f"Ev{channel}",
                       "event": {"type": "app_mention", "user": "U0000ALICE",
                                 "channel": channel, "ts": ts, "event_ts": ts,
                                 "text": f"<@{BOT_USER_ID}> {GPU_ERROR}"}}).encode()


def click_body(channel: str, response_url: str) -> bytes:
    payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": "U0000ALICE"},
               "api_app_id": "A0000TEST", "trigger_id": new_trigger_id(),
               "channel": {"id": channel}, "response_url": response_url,
               "container": {"type": "message", "channel_id": channel, "message_ts": "1.2"},
               "message": {"ts": "1.2", "blocks": []},
               "actions": [{"type": "button", "action_id": "feedback_helpful", "value": "{}",
                            "action_ts": "1.3"}]}
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def forged_headers() -> dict[str, dict[str, str]]:
    """Signature headers that must each be refused: malformed, missing or wrong."""
    now = str(int(time.time()))
    zeros = "v0=" + "0" * 64
    return {
        "timestamp x": {"X-Slack-Request-Timestamp": "x", "X-Slack-Signature": zeros},
        "timestamp 1e3": {"X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": zeros},
        "timestamp empty": {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": zeros},
        "timestamp -1": {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": zeros},
        "timestamp with blanks": {"X-Slack-Request-Timestamp": f" {now} ",
                                  "X-Slack-Signature": zeros},
        "no headers": {},
        "no signature": {"X-Slack-Request-Timestamp": now},
        "signature garbage": {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=zz"},
    }


FORGERIES = tuple(forged_headers())
