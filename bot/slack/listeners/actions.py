"""Buttons on an answer: 👍/👎 (feedback), "Show fix" and "This is it" on a candidate, "Resolve"
(opens the modal), "Reopen", "I'm on it", and the Home tab's language buttons. "Fetch logs"
belongs to bot.slack.listeners.logs; the entry picker 👎 offers to bot.slack.listeners.teaching.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.incidents import service
from bot.slack import flows, preferences
from bot.slack.cards import (
    ACTION_FEEDBACK,
    ACTION_OWN,
    ACTION_REOPEN,
    ACTION_RESOLVE,
    VOTE_DOWN,
    VOTE_UP,
    with_owner,
)
from bot.slack.config import Settings
from bot.slack.i18n import t
from bot.slack.listeners import teaching
from bot.slack.listeners._common import guarded, language, workspace_of
from bot.slack.privacy import audience_for
from bot.slack.render import (
    ACTION_HELPFUL,
    ACTION_SET_LANGUAGE,
    ACTION_SHOW_FIX,
    ACTION_THIS_ONE,
    ACTION_WRONG,
    render_candidate_fix,
    resolve_modal,
    with_choice_recorded,
    with_feedback,
)
from bot.storage import session_scope


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """The clicked button's JSON value ({} if it is not JSON: never trust a client)."""
    try:
        value = json.loads((body.get("actions") or [{}])[0].get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def conversation_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, thread) of the message whose button was clicked: its thread, or itself when
    it starts one (a slash command's answer does)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    thread_ts = (container.get("thread_ts") or message.get("thread_ts")
                 or container.get("message_ts") or message.get("ts"))
    return channel, thread_ts


def refused_here(settings: Settings, body: dict[str, Any], incident_id: int) -> bool:
    """Whether the clicker may not act on this incident from this message (see may_act_on)."""
    with session_scope(settings.database_url) as session:
        incident = service.get_incident(session, incident_id)
    if incident is None:
        return False  # nothing to protect; the flow reports it missing
    channel, thread_ts = conversation_of(body)
    return not flows.may_act_on(settings, incident, user=(body.get("user") or {}).get("id", ""),
                                channel=channel, thread_ts=thread_ts)


def tell_elsewhere(respond: Any, incident_id: int, lang: str) -> None:
    refusal = flows.Resolution(incident_id, resolved=False, elsewhere=True)
    respond(response_type="ephemeral", replace_original=False,
            **flows.resolution_refusal(refusal, lang).as_kwargs())


def register(app: App, settings: Settings) -> None:
    def ack_action(ack: Ack) -> None:
        ack()

    def vote(body: dict[str, Any], client: WebClient, respond: Any, *, helpful: bool,
             value: dict[str, Any]) -> None:
        """A vote on an answer: recorded, shown on the message; 👎 offers the entry picker. The
        incident's state does not change: an answer that helped has not resolved anything."""
        user = body["user"]["id"]
        entry_id = value.get("entry_id")
        lang = language(settings, body)
        incident_id = _int_or_none(value.get("incident_id"))
        if incident_id is not None and refused_here(settings, body, incident_id):
            tell_elsewhere(respond, incident_id, lang)
            return
        flows.record_feedback(settings, incident_id=incident_id, entry_id=entry_id, user=user,
                              helpful=helpful)
        if incident_id is not None:
            where, thread_ts = conversation_of(body)
            if where:
                teaching.after_vote(client, settings, incident_id=incident_id,
                                    entry_id=entry_id, helpful=helpful, user=user,
                                    channel=where, thread_ts=thread_ts, lang=lang)
        message = body.get("message")
        if not message:
            return
        channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
        try:
            flows.show_feedback(client, channel=channel, message=message, user=user,
                                helpful=helpful, lang=lang)
        except SlackApiError:
            # A message posted through response_url (bot not in the channel) cannot be
            # chat.update'd; the action's own response_url can still replace it.
            blocks = with_feedback(message.get("blocks") or [], user=user, helpful=helpful,
                                   lang=lang)
            respond(replace_original=True, text=message.get("text") or "-", blocks=blocks)

    @guarded(settings)
    def record_feedback(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """👍/👎: the pressed side's value says which answer and which way."""
        value = button_value(body)
        if value.get("vote") not in (VOTE_UP, VOTE_DOWN):
            return  # not a value this app wrote: never trust a client
        vote(body, client, respond, helpful=value["vote"] == VOTE_UP, value=value)

    # Answers posted before the 👍/👎 row carry these two buttons; their clicks still count.
    @guarded(settings)
    def record_helpful(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        vote(body, client, respond, helpful=True, value=button_value(body))

    @guarded(settings)
    def record_wrong(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        vote(body, client, respond, helpful=False, value=button_value(body))

    @guarded(settings)
    def show_candidate_fix(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """"Show fix": a candidate's cause and steps, to the person who asked, where they
        asked (the thread of the answer), with "This is it"."""
        value = button_value(body)
        lang, user = language(settings, body), body["user"]["id"]
        entry = flows.knowledge_base(settings).get(str(value.get("entry_id") or ""))
        if entry is None:
            respond(response_type="ephemeral", replace_original=False,
                    text=t("candidate_gone", lang))
            return
        shown = render_candidate_fix(entry, incident_id=_int_or_none(value.get("incident_id")),
                                     lang=lang)
        channel, thread_ts = conversation_of(body)
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                      **shown.as_kwargs())
        except SlackApiError:  # a channel the bot is not in: the click's own response_url
            respond(response_type="ephemeral", replace_original=False, **shown.as_kwargs())

    @guarded(settings)
    def choose_candidate(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """"This is it": the candidate is recorded as the answer (a helpful vote for it) and
        its error line proposed to the knowledge base, as the entry picker does."""
        value = button_value(body)
        lang, user = language(settings, body), body["user"]["id"]
        incident_id = _int_or_none(value.get("incident_id"))
        entry = flows.knowledge_base(settings).get(str(value.get("entry_id") or ""))
        if incident_id is None or entry is None:
            return
        if refused_here(settings, body, incident_id):
            tell_elsewhere(respond, incident_id, lang)
            return
        flows.record_feedback(settings, incident_id=incident_id, entry_id=entry.id, user=user,
                              helpful=True)
        proposed = teaching.propose_chosen_entry(client, settings, incident_id=incident_id,
                                                 entry_id=entry.id, user=user,
                                                 clicked_in=conversation_of(body)[0], lang=lang)
        # The shown fix stays, without its button: what the click did is said instead (a
        # refused proposal has told its reason already).
        shown = render_candidate_fix(entry, incident_id=None, lang=lang)
        respond(replace_original=True, text=shown.text,
                blocks=with_choice_recorded(shown.blocks, lang=lang, proposed=proposed))

    @guarded(settings)
    def own_incident(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """"I'm on it": the clicker owns the incident; the answer's state line says so."""
        incident_id = _int_or_none(button_value(body).get("incident_id"))
        if incident_id is None:
            return
        lang, user = language(settings, body), body["user"]["id"]
        channel, thread_ts = conversation_of(body)
        ownership = flows.take_ownership(settings, incident_id=incident_id, user=user,
                                         channel=channel, thread_ts=thread_ts)
        if not ownership.taken:
            respond(response_type="ephemeral", replace_original=False,
                    **flows.ownership_refusal(ownership, lang).as_kwargs())
            return
        message = body.get("message")
        if not message or not channel:
            return
        try:
            flows.show_owner(client, channel=channel, message=message, user=user, lang=lang)
        except SlackApiError:  # posted through response_url: replaced through it too
            respond(replace_original=True, text=message.get("text") or "-",
                    blocks=with_owner(message.get("blocks") or [], user=user, lang=lang))
        flows.update_cards(client, settings, incident_id=incident_id, only_from=channel,
                           skip=frozenset({message.get("ts", "")}),
                           change=lambda blocks: with_owner(blocks, user=user, lang=lang))

    @guarded(settings)
    def open_resolve_modal(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        value = button_value(body)
        incident_id = _int_or_none(value.get("incident_id"))
        if incident_id is None:
            return
        if refused_here(settings, body, incident_id):
            tell_elsewhere(respond, incident_id, language(settings, body))
            return
        message = body.get("message") or {}
        container = body.get("container") or {}
        metadata = {"incident_id": incident_id,
                    "channel": container.get("channel_id") or (body.get("channel") or {}).get(
                        "id"),
                    "message_ts": container.get("message_ts") or message.get("ts"),
                    "thread_ts": container.get("thread_ts") or message.get("thread_ts"),
                    # Where the result can still be said if the bot is not in the channel.
                    "response_url": body.get("response_url")}
        client.views_open(trigger_id=body["trigger_id"],
                          view=resolve_modal(incident_id=incident_id,
                                             lang=language(settings, body), metadata=metadata))

    @guarded(settings)
    def reopen_incident(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        """Reopen: the same permission as Resolve; the message follows (steps back, Resolve)."""
        incident_id = _int_or_none(button_value(body).get("incident_id"))
        if incident_id is None:
            return
        lang = language(settings, body)
        user = body["user"]["id"]
        channel, thread_ts = conversation_of(body)
        reopening = flows.reopen(settings, incident_id=incident_id, user=user, channel=channel,
                                 thread_ts=thread_ts, audience=audience_for(
                                     client, settings.database_url,
                                     workspace=workspace_of(body), channel=channel))
        if not reopening.reopened:
            respond(response_type="ephemeral", replace_original=False,
                    **flows.reopen_refusal(reopening, lang).as_kwargs())
            return
        message = body.get("message")
        if message and channel:
            flows.show_reopened(client, channel=channel, message=message, user=user,
                                settings=settings, lang=lang)
        flows.show_reopened_on_cards(client, settings, incident_id=incident_id, user=user,
                                     lang=lang, channel=channel,
                                     skip=frozenset({(message or {}).get("ts", "")}))

    @guarded(settings)
    def set_language(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        wanted = (body.get("actions") or [{}])[0].get("value")
        user = body["user"]["id"]
        if wanted in ("ko", "en"):
            preferences.set_user_language(settings.database_url, workspace=workspace_of(body),
                                          user=user, language=wanted)
        flows.publish_home(client, settings, workspace=workspace_of(body), user=user)

    app.action(ACTION_FEEDBACK)(ack=ack_action, lazy=[record_feedback])
    app.action(ACTION_HELPFUL)(ack=ack_action, lazy=[record_helpful])
    app.action(ACTION_WRONG)(ack=ack_action, lazy=[record_wrong])
    app.action(ACTION_SHOW_FIX)(ack=ack_action, lazy=[show_candidate_fix])
    app.action(ACTION_THIS_ONE)(ack=ack_action, lazy=[choose_candidate])
    app.action(ACTION_OWN)(ack=ack_action, lazy=[own_incident])
    app.action(ACTION_RESOLVE)(ack=ack_action, lazy=[open_resolve_modal])
    app.action(ACTION_REOPEN)(ack=ack_action, lazy=[reopen_incident])
    app.action(re.compile(f"^{ACTION_SET_LANGUAGE}_(en|ko)$"))(ack=ack_action,
                                                               lazy=[set_language])
