"""The Slack app manifest agrees with what the app serves and listens to."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.listeners.commands import COMMAND
from bot.slack.listeners.shortcuts import SHORTCUT_DIAGNOSE
from bot.slack.server import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[1] / "docs" / "slack-app-manifest.yml"


def test_manifest_points_every_request_at_the_events_path() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    settings = manifest["settings"]
    urls = [command["url"], settings["event_subscriptions"]["request_url"],
            settings["interactivity"]["request_url"]]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
    assert settings["socket_mode_enabled"] is False
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_asks_for_the_scopes_and_events_the_app_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "channels:history", "files:read",
            "files:write"} <= scopes
    # conversations.info for every kind of conversation: without them a lookup fails and the
    # channel counts as private (fail closed), hiding public channels' incidents elsewhere.
    assert {"channels:read", "groups:read", "im:read", "mpim:read"} <= scopes
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "app_home_opened", "message.channels"} <= events


def test_manifest_has_the_message_shortcut_the_app_listens_to() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    [shortcut] = manifest["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == SHORTCUT_DIAGNOSE
    assert shortcut["name"] == "Diagnose this error"
