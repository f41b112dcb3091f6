"""`/troubleshoot ...`: a sub-command from the app's registry, or plain text = diagnose it.

Sub-command replies go only to the person who typed them (ephemeral). A text that is not a
sub-command but looks like a mistyped one (`incident`, `hepl`) gets a "did you mean" reply and
is never recorded as a paste.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.redaction import sanitize
from bot.slack import flows, preferences
from bot.slack.config import Settings
from bot.slack.i18n import t
from bot.slack.listeners._common import guarded, language, workspace_of
from bot.slack.listeners.teaching import post_draft
from bot.slack.privacy import audience_for
from bot.slack.render import render_help, render_resolved, render_text
from bot.slack.render_teaching import render_no_draft
from bot.slack.subcommands import CommandContext, Subcommand, SubcommandRegistry
from bot.teaching.flows import propose_after_resolution

COMMAND = "/troubleshoot"
# What people type after `lang`: the code, or the language's name in either language.
LANGUAGE_WORDS = {"ko": "ko", "korean": "ko", "한국어": "ko", "한글": "ko", "kr": "ko",
                  "en": "en", "english": "en", "영어": "en"}
SWITCH_WORDS = {"on": "on", "켜기": "on", "시작": "on", "off": "off", "끄기": "off",
                "중지": "off"}

log = logging.getLogger(__name__)


def register(app: App, settings: Settings, subcommands: SubcommandRegistry) -> None:
    def ack_command(ack: Ack) -> None:
        ack()  # within 3 s whatever the paste: everything else runs in run_command

    @guarded(settings)
    def run_command(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        text = body.get("text") or ""
        lang = language(settings, body)
        context = CommandContext(
            client=client, respond=respond, workspace=workspace_of(body),
            channel=body.get("channel_id", ""), user=body.get("user_id", ""), args=text,
            lang=lang, database_url=settings.database_url, trigger_id=body.get("trigger_id"),
            settings=settings, body=body, subcommands=subcommands)
        parsed = subcommands.parse(text)
        if parsed.subcommand is not None:
            # Redacted before any handler reads them: a usage error quotes what was typed
            # (`logs svc --token=…`), and a log target is posted in the channel and audited.
            parsed.subcommand.handler(replace(context, args=sanitize(parsed.args)))
            return
        meant = subcommands.near_miss(text)
        if meant is not None:
            context.reply(t("did_you_mean_command", lang, command=_command_word(meant, lang)))
            return
        _diagnose(context)

    app.command(COMMAND)(ack=ack_command, lazy=[run_command])


def _command_word(sub: Subcommand, lang: str) -> str:
    """How to type the sub-command: its Korean alias for a Korean reader, if it has one."""
    if lang == "ko":
        korean = [alias for alias in sub.aliases if re.search(r"[가-힣]", alias)]
        if korean:
            return korean[0]
    return sub.name


def _diagnose(ctx: CommandContext) -> None:
    text = flows.clean_slack_text(ctx.args)
    if not flows.without_code_fences(text) or flows.is_chatter(text, settings=ctx.settings,
                                                                lang=ctx.lang):
        ctx.reply(t("not_an_error", ctx.lang))
        return
    paste = flows.Paste(text=text, workspace=ctx.workspace,
                        user=ctx.user or None, channel=ctx.channel or None, source="slash")
    flows.answer_in_thread(ctx.client, paste, settings=ctx.settings, lang=ctx.lang,
                           channel=ctx.channel, thread_ts=None, respond=ctx.respond)


# ----- the built-in sub-commands: each gets a CommandContext and replies only to its person
def _help(ctx: CommandContext) -> None:
    ctx.respond(response_type="ephemeral",
                **render_help(ctx.lang, ctx.subcommands or ()).as_kwargs())


def _incidents(ctx: CommandContext) -> None:
    everywhere = ctx.args.strip().lower() in ("all", "workspace", "전체", "모두")
    message = flows.incidents_message(ctx.client, ctx.settings, workspace=ctx.workspace,
                                      channel=ctx.channel, everywhere=everywhere, lang=ctx.lang)
    ctx.respond(response_type="ephemeral", **message.as_kwargs())


def _resolve(ctx: CommandContext) -> None:
    found = re.match(r"#?(\d+)(?:번)?\s*(.*)", ctx.args, re.DOTALL)
    if not found:
        ctx.respond(response_type="ephemeral",
                    **render_text(t("resolve_usage", ctx.lang)).as_kwargs())
        return
    incident_id, note = int(found.group(1)), found.group(2).strip()
    resolution = flows.resolve(ctx.settings, incident_id=incident_id, user=ctx.user, note=note,
                               channel=ctx.channel or None)
    if not resolution.resolved:
        ctx.respond(response_type="ephemeral",
                    **flows.resolution_refusal(resolution, ctx.lang).as_kwargs())
        return
    # The incident's card follows its state wherever it was resolved from.
    flows.show_resolution_on_card(ctx.client, ctx.settings, incident_id=incident_id,
                                  user=ctx.user, note=note, lang=ctx.lang,
                                  workspace=ctx.workspace, written_in=ctx.channel or None)
    ctx.respond(response_type="ephemeral", **render_resolved(
        incident_id=incident_id, user=ctx.user, note=note, lang=ctx.lang).as_kwargs())
    if note:
        _propose_draft(ctx, incident_id=incident_id, note=note)


def _propose_draft(ctx: CommandContext, *, incident_id: int, note: str) -> None:
    """As the Resolve button's modal and `incidents resolve` do: the note of an incident the
    bot had no confident answer for becomes a draft entry, posted in the incident's thread
    when resolved from its channel (from elsewhere it is recorded, and `kb drafts` lists it:
    the note may not be for that channel). `해결 1 메모` used to lose the team's fix."""
    audience = audience_for(ctx.client, ctx.settings.database_url, workspace=ctx.workspace,
                            channel=ctx.channel or None)
    after = propose_after_resolution(ctx.settings.database_url, ctx.settings.knowledge_path,
                                     incident_id=incident_id, note=note, by=ctx.user or None,
                                     channel=ctx.channel or None, audience=audience)
    if after.wants_error_line and after.refusal:
        # Only the resolver hears it: the note drafted nothing, and what to paste instead.
        ctx.respond(response_type="ephemeral",
                    **render_no_draft(after.refusal, ctx.lang).as_kwargs())
        return
    where = flows.incident_thread(ctx.settings, incident_id) if after.draft else None
    if after.draft is None or where is None or where[0] != ctx.channel:
        return
    try:
        post_draft(ctx.client, ctx.settings.database_url, channel=where[0], thread_ts=where[1],
                   draft=after.draft, lang=ctx.lang)
    except SlackApiError as error:  # the resolution and the draft stand; only the post is lost
        log.warning("draft for #%s not posted: %s", incident_id, error.response.get("error"))


def _lang(ctx: CommandContext) -> None:
    wanted = LANGUAGE_WORDS.get(ctx.args.strip().lower())
    if wanted is None:
        ctx.respond(response_type="ephemeral",
                    **render_text(t("lang_usage", ctx.lang, current=t(
                        f"language_name_{ctx.lang}", ctx.lang))).as_kwargs())
        return
    preferences.set_user_language(ctx.database_url, workspace=ctx.workspace, user=ctx.user,
                                  language=wanted)
    ctx.respond(response_type="ephemeral", **render_text(t("lang_set", wanted)).as_kwargs())


def _watch(ctx: CommandContext) -> None:
    wanted = SWITCH_WORDS.get(ctx.args.strip().lower())
    if wanted is None:
        state = t("switch_on" if preferences.channel_watched(
            ctx.database_url, workspace=ctx.workspace, channel=ctx.channel) else "switch_off",
            ctx.lang)
        ctx.respond(response_type="ephemeral",
                    **render_text(t("watch_usage", ctx.lang, state=state)).as_kwargs())
        return
    preferences.set_channel_watch(ctx.database_url, workspace=ctx.workspace,
                                  channel=ctx.channel, watch=wanted == "on", user=ctx.user)
    key = "watch_on" if wanted == "on" else "watch_off"
    ctx.respond(response_type="ephemeral",
                **render_text(t(key, ctx.lang, channel=ctx.channel)).as_kwargs())


def _built_in(name: str, handler: Any, *aliases: str) -> Subcommand:
    return Subcommand(name, handler, t(f"help_{name}", "en"), t(f"help_{name}", "ko"),
                      aliases=aliases)


def built_in_subcommands() -> list[Subcommand]:
    """help, incidents, resolve, lang, watch, with their Korean words."""
    return [
        _built_in("help", _help, "도움말", "도움", "?"),
        _built_in("incidents", _incidents, "인시던트"),
        _built_in("resolve", _resolve, "해결"),
        _built_in("lang", _lang, "언어", "language"),
        _built_in("watch", _watch, "지켜보기"),
    ]
