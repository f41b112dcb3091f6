"""The resolution modal's submission: resolve the incident, then show it on the answer."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import flows
from bot.slack.config import Settings
from bot.slack.listeners._common import guarded, language
from bot.slack.listeners.teaching import post_draft
from bot.slack.render import (
    NOTE_ACTION,
    NOTE_BLOCK,
    RESOLVE_MODAL,
    render_resolved,
)
from bot.teaching.flows import propose_after_resolution


def submitted_note(view: dict[str, Any]) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return ((values.get(NOTE_BLOCK) or {}).get(NOTE_ACTION) or {}).get("value") or ""


def register(app: App, settings: Settings) -> None:
    def ack_submission(ack: Ack) -> None:
        ack()  # closes the modal at once; the resolution is written just after

    @guarded(settings)
    def resolve_from_modal(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]["id"]
        lang = language(settings, body)
        note = submitted_note(view).strip()
        incident_id = int(metadata["incident_id"])
        channel = metadata.get("channel")
        # Checked again here: the modal may outlive the button's check (an admin list change).
        resolution = flows.resolve(settings, incident_id=incident_id, user=user, note=note,
                                   channel=channel, thread_ts=metadata.get("thread_ts")
                                   or metadata.get("message_ts"))
        if not resolution.resolved:  # gone, or someone else was quicker
            refusal = flows.resolution_refusal(resolution, lang).as_kwargs()
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, **refusal)
            else:
                client.chat_postMessage(channel=user, **refusal)
            return
        shown = flows.show_resolution(
            client, channel=channel, message_ts=metadata.get("message_ts"),
            thread_ts=metadata.get("thread_ts"), user=user, note=note,
            lang=lang) if channel and metadata.get("message_ts") else False
        if not shown and channel:
            # The answer is gone or out of reach: say it in the channel instead.
            client.chat_postMessage(channel=channel, thread_ts=metadata.get("thread_ts"),
                                    **render_resolved(incident_id=incident_id, user=user,
                                                      note=note, lang=lang).as_kwargs())
        if channel and note:
            propose_draft(client, incident_id=incident_id, note=note, user=user,
                          channel=channel, thread_ts=metadata.get("thread_ts")
                          or metadata.get("message_ts"), lang=lang)

    def propose_draft(client: WebClient, *, incident_id: int, note: str, user: str,
                      channel: str, thread_ts: str | None, lang: str) -> None:
        """An incident the bot had no confident answer for: its note becomes a draft entry in
        the thread (bot.teaching), exactly as `incidents resolve` proposes it."""
        after = propose_after_resolution(settings.database_url, settings.knowledge_path,
                                         incident_id=incident_id, note=note, by=user,
                                         channel=channel)
        if after.draft is not None:
            post_draft(client, settings.database_url, channel=channel, thread_ts=thread_ts,
                       draft=after.draft, lang=lang)

    app.view(RESOLVE_MODAL)(ack=ack_submission, lazy=[resolve_from_modal])
