"""The resolution modal's submission: resolve the incident, then show it on the answer.

In a channel the bot is not a member of (its answer came through the person's command), the
answer cannot be read or updated: the resolution still counts, the channel hears of it through
the clicked button's response_url, and the resolver is told how to fix that (invite the app),
never "an internal error".
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.slack import flows
from bot.slack.config import Settings
from bot.slack.delivery import not_a_member, post_message
from bot.slack.i18n import t
from bot.slack.identity import app_name
from bot.slack.listeners._common import guarded, language, workspace_of
from bot.slack.listeners.teaching import post_draft
from bot.slack.permalinks import links_for
from bot.slack.privacy import audience_for
from bot.slack.render import (
    NOTE_ACTION,
    NOTE_BLOCK,
    RESOLVE_MODAL,
    Message,
    render_resolved,
    render_text,
)
from bot.slack.render_teaching import render_no_draft
from bot.teaching.flows import propose_after_resolution

log = logging.getLogger(__name__)


def tell_no_draft(client: WebClient, *, channel: str, user: str, thread_ts: str | None,
                  refusal: str, lang: str) -> None:
    """Only to the resolver: why their note drafted nothing and what to paste instead (the
    resolution itself stands and was shown to everyone)."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                  **render_no_draft(refusal, lang).as_kwargs())
    except SlackApiError as error:  # the resolution stands; only the hint is lost
        log.warning("no-draft hint not shown: %s", error.response.get("error"))


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
            tell_refusal(client, channel=channel, user=user,
                         response_url=metadata.get("response_url"),
                         message=flows.resolution_refusal(resolution, lang))
            return
        outside = show_resolved(client, metadata, incident_id=incident_id, user=user,
                                note=note, lang=lang)
        if not outside:  # the incident's other cards (each repeat got one) follow too
            flows.show_resolution_on_card(client, settings, incident_id=incident_id, user=user,
                                          note=note, lang=lang, only_from=channel,
                                          skip=frozenset({metadata.get("message_ts") or ""}))
        if outside:
            log.info("resolved #%s; not a member of %s, so its answer was not updated",
                     incident_id, channel)
            ref = links_for(client, settings.database_url, audience=audience_for(
                client, settings.database_url, workspace=workspace_of(body), channel=channel),
                incident_ids=[incident_id]).ref(incident_id)
            tell_resolver(client, user=user, response_url=metadata.get("response_url"),
                          message=render_text(t("resolved_outside", lang, ref=ref,
                                                channel=channel, app=app_name(client, lang))))
        if channel and note:
            # Outside the channel the draft is still recorded (`kb drafts` lists it), not posted.
            propose_draft(client, incident_id=incident_id, note=note, user=user,
                          channel=channel, workspace=workspace_of(body),
                          thread_ts=metadata.get("thread_ts") or metadata.get("message_ts"),
                          lang=lang, post=not outside)

    def propose_draft(client: WebClient, *, incident_id: int, note: str, user: str,
                      channel: str, workspace: str, thread_ts: str | None, lang: str,
                      post: bool) -> None:
        """An incident the bot had no confident answer for: its note becomes a draft entry in
        the thread (bot.teaching), exactly as `incidents resolve` proposes it."""
        after = propose_after_resolution(settings.database_url, settings.knowledge_path,
                                         incident_id=incident_id, note=note, by=user,
                                         channel=channel, audience=audience_for(
                                             client, settings.database_url,
                                             workspace=workspace, channel=channel))
        if after.draft is not None and post:
            post_draft(client, settings.database_url, channel=channel, thread_ts=thread_ts,
                       draft=after.draft, lang=lang)
        elif after.wants_error_line and post and after.refusal:
            tell_no_draft(client, channel=channel, user=user, thread_ts=thread_ts,
                          refusal=after.refusal, lang=lang)

    app.view(RESOLVE_MODAL)(ack=ack_submission, lazy=[resolve_from_modal])


def show_resolved(client: WebClient, metadata: dict[str, Any], *, incident_id: int, user: str,
                  note: str, lang: str) -> bool:
    """Show the resolution on its answer, else say it in the channel (in the thread, or through
    the click's response_url). True when the bot turned out not to be a member there."""
    channel, thread_ts = metadata.get("channel"), metadata.get("thread_ts")
    if not channel:
        return False
    outside = False
    if metadata.get("message_ts"):
        try:
            if flows.show_resolution(client, channel=channel, message_ts=metadata["message_ts"],
                                     thread_ts=thread_ts, user=user, note=note, lang=lang):
                return False
        except Exception as error:
            if not not_a_member(error):
                raise
            outside = True
    # The answer is gone or out of reach: say it in the channel instead.
    said = render_resolved(incident_id=incident_id, user=user, note=note, lang=lang)
    if post_message(client, channel, thread_ts, said, tolerate_not_member=True) is None:
        outside = True
        if metadata.get("response_url"):
            send_to(metadata["response_url"], said, response_type="in_channel")
    return outside


def send_to(response_url: str, message: Message, *, response_type: str) -> None:
    """Post through a clicked button's response_url (valid 30 minutes; works in channels the
    bot is not a member of)."""
    WebhookClient(response_url).send(response_type=response_type, replace_original=False,
                                     **message.as_kwargs())


def tell_refusal(client: WebClient, *, channel: str | None, user: str,
                 response_url: str | None, message: Message) -> None:
    """Why the resolution did not happen, to the person in the channel; where the bot is not a
    member, through the click's response_url instead."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, **message.as_kwargs())
            return
        except Exception as error:
            if not not_a_member(error):
                raise
    tell_resolver(client, user=user, response_url=response_url, message=message)


def tell_resolver(client: WebClient, *, user: str, response_url: str | None,
                  message: Message) -> None:
    """Only to the person: ephemeral through the click's response_url, else a direct message."""
    if response_url:
        send_to(response_url, message, response_type="ephemeral")
    else:
        client.chat_postMessage(channel=user, **message.as_kwargs())
