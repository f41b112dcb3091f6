"""The Home tab: open incidents and the person's language, published when they open it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import flows
from bot.slack.config import Settings
from bot.slack.listeners._common import guarded, workspace_of


def register(app: App, settings: Settings) -> None:
    def ack_event(ack: Ack) -> None:
        ack()

    @guarded(settings)
    def publish_home(body: dict[str, Any], client: WebClient, respond: Any,
                     event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        flows.publish_home(client, settings, workspace=workspace_of(body), user=event["user"])

    app.event("app_home_opened")(ack=ack_event, lazy=[publish_home])
