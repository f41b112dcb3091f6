"""Slack wiring for team knowledge (bot.teaching): the draft posted after a resolution, its
buttons (*Add to knowledge base*, *Edit*, *Discard*), the edit modal, and `/troubleshoot kb
drafts` (SUBCOMMAND, listed in bot.slack.listeners.build_subcommands).

Listeners stay thin: the decisions are bot.teaching.service's, the blocks
bot.slack.render_teaching's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.incidents.models import Incident, Occurrence
from bot.knowledge.loader import cached_knowledge_base
from bot.settings import settings as bot_settings
from bot.slack import flows
from bot.slack.config import Settings
from bot.slack.delivery import not_a_member
from bot.slack.listeners._common import guarded, language
from bot.slack.privacy import audience_for
from bot.slack.render_teaching import (
    ACTION_APPROVE,
    ACTION_DISCARD,
    ACTION_EDIT,
    ACTION_PICK,
    CAUSE_BLOCK,
    EDIT_MODAL,
    FIX_BLOCK,
    INPUT_ACTION,
    NEW_PROBLEM,
    TITLE_BLOCK,
    decided,
    draft_message,
    drafts_list,
    edit_modal,
    entry_picker,
    refusal_text,
    t,
)
from bot.slack.subcommands import CommandContext, Subcommand
from bot.slack.usergroups import group_members
from bot.storage import session_scope
from bot.teaching import service
from bot.teaching.flows import (
    ProposedDraft,
    label_new_problem,
    propose_signature_from_feedback,
    settled_audience,
    shown,
)
from bot.teaching.live import current_matcher
from bot.teaching.models import KnowledgeDraft

log = logging.getLogger(__name__)


def maintainer_group_members(client: Any, maintainers: frozenset[str]) -> frozenset[str]:
    """Members of the user groups (ids starting with S) named in KB_MAINTAINERS; a group Slack
    will not list counts as empty, so its members are refused, never let in."""
    members: set[str] = set()
    read = group_members(client)
    for group in (m for m in maintainers if m.startswith("S")):
        try:
            members.update(read(group))
        except SlackApiError as error:
            log.warning("user group %s not read: %s", group, error.response.get("error"))
    return frozenset(members)


def is_maintainer(client: Any, user: str) -> bool:
    maintainers = bot_settings().kb_maintainers
    if user in maintainers:
        return True
    return service.maintainer_problem(user, maintainers,
                                      maintainer_group_members(client, maintainers)) is None


def post_draft(client: Any, database_url: str, *, channel: str, thread_ts: str | None,
               draft: ProposedDraft, lang: str) -> None:
    """The draft in the incident's thread, remembered so that decisions update it."""
    posted = client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                     **draft_message(draft, lang).as_kwargs())
    with session_scope(database_url) as session:
        service.attach_message(session, draft.id, channel=channel, message_ts=posted["ts"])


def after_vote(client: Any, settings: Settings, *, incident_id: int, entry_id: str | None,
               helpful: bool, user: str, channel: str, thread_ts: str | None,
               lang: str) -> None:
    """Feedback teaches: "Not this one" offers the entry picker (to the voter only); "This one"
    on a candidate of an abstention proposes the paste's error line as that entry's
    signature, in the thread."""
    if not helpful:
        picker = entry_picker(current_matcher(settings.database_url,
                                              settings.knowledge_path).kb,
                              incident_id=incident_id, exclude=entry_id, lang=lang)
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                      **picker.as_kwargs())
        except SlackApiError as error:  # the vote stands; only the offer is lost
            log.warning("entry picker not shown: %s", error.response.get("error"))
        return
    with session_scope(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        workspace = incident.workspace if incident is not None else ""
    # Abstained as this channel's readers saw it: a private channel's confident answer to its
    # own paste must not silently stop the proposal here.
    readers = settled_audience(settings.database_url, incident_id, audience_for(
        client, settings.database_url, workspace=workspace, channel=channel))
    with session_scope(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        abstained = incident is not None and service.answered_for(session, incident,
                                                                  readers) is None
    if abstained and entry_id:
        _propose_signature(client, settings, incident_id=incident_id, entry_id=entry_id,
                           user=user, channel=channel, thread_ts=thread_ts, lang=lang)


def _propose_signature(client: Any, settings: Settings, *, incident_id: int, entry_id: str,
                       user: str, channel: str, thread_ts: str | None, lang: str) -> bool:
    """True when a proposal was posted in the thread (False: refused, and told)."""
    after = propose_signature_from_feedback(settings.database_url, settings.knowledge_path,
                                            incident_id=incident_id, entry_id=entry_id, by=user,
                                            channel=channel)
    try:
        if after.draft is not None:
            post_draft(client, settings.database_url, channel=channel, thread_ts=thread_ts,
                       draft=after.draft, lang=lang)
            return True
        if after.refusal:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                      text=refusal_text(after.refusal, lang,
                                                        flows.knowledge_base(settings)))
    except SlackApiError as error:
        if not not_a_member(error):
            raise
        # The bot is not in the channel: the draft stays recorded (`kb drafts` lists it); the
        # vote itself is shown through the click (bot.slack.listeners.actions).
        log.info("draft for incident #%s not posted: not a member of %s", incident_id, channel)
    return False


def propose_chosen_entry(client: Any, settings: Settings, *, incident_id: int, entry_id: str,
                         user: str, clicked_in: str | None, lang: str) -> bool:
    """Someone said which entry the incident was (the picker, a candidate's "This is it"):
    propose the paste's error line as that entry's signature, in the incident's thread.
    True when the proposal was posted."""
    with session_scope(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        where = (incident.channel, incident.thread_ts) if incident else (None, None)
    channel = where[0] or clicked_in
    if not channel:
        return False
    return _propose_signature(client, settings, incident_id=incident_id, entry_id=entry_id,
                              user=user, channel=channel, thread_ts=where[1], lang=lang)


def may_pick_for(settings: Settings, body: dict[str, Any], incident_id: int) -> bool:
    """Whether this picker choice may teach incident `incident_id`: the card buttons' rule
    (flows.may_act_on: its channel or a thread it was seen in, or a bot admin). The picker is
    an ephemeral message, whose payload may not say its thread: then any channel where the
    incident was seen (where the voter was shown it) will do, and no other."""
    user = (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    with session_scope(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            return True  # nothing to protect: the flow says it is missing
        if thread_ts or user in settings.admins:
            pass  # the buttons' rule, below (it has its own session)
        elif not channel:
            return False
        elif incident.channel == channel:
            return True
        else:  # seen in this channel: only asked when the incident's own channel is not it
            return session.scalar(
                select(Occurrence.id).where(Occurrence.incident_id == incident_id,
                                            Occurrence.channel == channel).limit(1)) is not None
    return flows.may_act_on(settings, incident, user=user, channel=channel, thread_ts=thread_ts)


def _draft_id(body: dict[str, Any]) -> int | None:
    try:
        value = json.loads((body.get("actions") or [{}])[0].get("value") or "{}")
        return int(value["draft_id"])
    except (ValueError, KeyError, TypeError):
        return None


def _tell(respond: Any, text: str) -> None:
    respond(response_type="ephemeral", replace_original=False, text=text)


def _show_decision(client: Any, body: dict[str, Any], note: str) -> None:
    message = body.get("message") or {}
    channel = (body.get("container") or {}).get("channel_id") or (
        body.get("channel") or {}).get("id")
    if channel and message.get("ts"):
        client.chat_update(channel=channel, ts=message["ts"], text=note,
                           blocks=decided(message.get("blocks") or [], note))


def register(app: Any, slack_settings: Settings) -> None:
    """The draft's buttons and the edit modal."""
    database_url = slack_settings.database_url

    def ack_now(ack: Any) -> None:
        ack()

    def decide(body: dict[str, Any], client: Any, respond: Any, *,
               act: Callable[..., KnowledgeDraft], not_allowed: str,
               note: Callable[[KnowledgeDraft, str, str], str]) -> None:
        """Approve or discard: `act` (the service's approve or reject) by the clicking user,
        refused with the catalog's `not_allowed` for someone who may not; the draft's message
        then shows `note(draft, user, lang)` instead of its buttons."""
        user, lang, draft_id = body["user"]["id"], language(slack_settings, body), _draft_id(body)
        if draft_id is None:
            return
        maintainers = bot_settings().kb_maintainers
        members = maintainer_group_members(client, maintainers)  # Slack, before the database
        try:
            with session_scope(database_url) as session:
                outcome = note(act(session, draft_id, by=user, maintainers=maintainers,
                                 group_members=members), user, lang)
        except service.NotMaintainer:
            _tell(respond, t(not_allowed, lang))
            return
        except service.TeachingError as error:
            _tell(respond, refusal_text(error.reason, lang,
                                        flows.knowledge_base(slack_settings)))
            return
        _show_decision(client, body, outcome)

    @guarded(slack_settings)
    def approve(body: dict[str, Any], client: Any, respond: Any) -> None:
        decide(body, client, respond, not_allowed="not_maintainer",
               act=partial(service.approve,
                           base=cached_knowledge_base(slack_settings.knowledge_path)),
               note=lambda draft, user, lang: t("approved", lang, entry=draft.entry_id,
                                                user=user))

    @guarded(slack_settings)
    def discard(body: dict[str, Any], client: Any, respond: Any) -> None:
        decide(body, client, respond, act=service.reject, not_allowed="not_allowed_discard",
               note=lambda _draft, user, lang: t("discarded", lang, user=user))

    @guarded(slack_settings)
    def open_edit(body: dict[str, Any], client: Any, respond: Any) -> None:
        lang, draft_id = language(slack_settings, body), _draft_id(body)
        if draft_id is None:
            return
        try:
            with session_scope(database_url) as session:
                draft = shown(service.get_draft(session, draft_id))
        except service.TeachingError as error:
            _tell(respond, refusal_text(error.reason, lang, flows.knowledge_base(slack_settings)))
            return
        client.views_open(trigger_id=body["trigger_id"],
                          view=edit_modal(draft, lang, {"draft_id": draft_id}))

    @guarded(slack_settings)
    def save_edit(body: dict[str, Any], client: Any) -> None:
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        values = (view.get("state") or {}).get("values") or {}

        def value(block: str) -> str | None:
            return ((values.get(block) or {}).get(INPUT_ACTION) or {}).get("value")

        user, lang = body["user"]["id"], language(slack_settings, body)
        try:
            with session_scope(database_url) as session:
                draft = service.edit_draft(session, int(metadata["draft_id"]), by=user,
                                           title=value(TITLE_BLOCK), cause=value(CAUSE_BLOCK),
                                           fix=value(FIX_BLOCK))
                edited, channel, ts = shown(draft), draft.channel, draft.message_ts
        except service.TeachingError as error:
            client.chat_postMessage(channel=user, text=refusal_text(
                error.reason, lang, flows.knowledge_base(slack_settings)))
            return
        if channel and ts:
            client.chat_update(channel=channel, ts=ts, **draft_message(edited, lang).as_kwargs())

    @guarded(slack_settings)
    def pick(body: dict[str, Any], client: Any, respond: Any) -> None:
        user, lang = body["user"]["id"], language(slack_settings, body)
        try:
            chosen = json.loads(((body.get("actions") or [{}])[0].get("selected_option")
                                 or {}).get("value") or "{}")
            incident_id, entry_id = int(chosen["incident_id"]), str(chosen["entry_id"])
        except (ValueError, KeyError, TypeError):
            return
        # The picker's option names its incident: a forged (or copied) one must not label, or
        # draft from, another channel's incident.
        if not may_pick_for(slack_settings, body, incident_id):
            from bot.slack.listeners.actions import tell_elsewhere  # it imports this module

            tell_elsewhere(respond, incident_id, lang)
            return
        if entry_id == NEW_PROBLEM:
            label_new_problem(database_url, incident_id=incident_id, by=user)
            _tell(respond, t("picked_new", lang))
            return
        propose_chosen_entry(client, slack_settings, incident_id=incident_id,
                             entry_id=entry_id, user=user,
                             clicked_in=(body.get("container") or {}).get("channel_id"),
                             lang=lang)

    app.action(ACTION_PICK)(ack=ack_now, lazy=[pick])
    app.action(ACTION_APPROVE)(ack=ack_now, lazy=[approve])
    app.action(ACTION_DISCARD)(ack=ack_now, lazy=[discard])
    app.action(ACTION_EDIT)(ack=ack_now, lazy=[open_edit])
    app.view(EDIT_MODAL)(ack=ack_now, lazy=[save_edit])


def kb_command(ctx: CommandContext) -> None:
    """`/troubleshoot kb drafts`: the pending drafts, to maintainers only."""
    if ctx.args.strip().lower() not in ("drafts", "초안", ""):
        ctx.reply(t("drafts_usage", ctx.lang))
        return
    if not is_maintainer(ctx.client, ctx.user):
        ctx.reply(t("drafts_only_maintainers", ctx.lang))
        return
    audience = audience_for(ctx.client, ctx.database_url, workspace=ctx.workspace,
                            channel=ctx.channel)
    with session_scope(ctx.database_url) as session:
        visible, withheld = service.drafts_visible_to(session, audience,
                                                      service.STATUS_PROPOSED)
        drafts = [service.draft_json(draft) for draft in visible]
    ctx.reply(drafts_list(drafts, ctx.lang, withheld))


SUBCOMMAND = Subcommand(
    "kb", kb_command, aliases=("지식",),
    help_en="`kb drafts` — knowledge drafts waiting for a KB maintainer",
    help_ko="`kb drafts` — KB 관리자의 결정을 기다리는 지식 초안")
