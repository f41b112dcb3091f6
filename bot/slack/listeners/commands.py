"""`/troubleshoot ...`: built-in sub-commands, registered ones, and plain text = diagnose it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import flows, preferences
from bot.slack.config import Settings
from bot.slack.i18n import LANGUAGES, t
from bot.slack.listeners._common import guarded, language, workspace_of
from bot.slack.render import render_help, render_resolved, render_text
from bot.slack.subcommands import SUBCOMMANDS, CommandContext

COMMAND = "/troubleshoot"
BUILT_IN = ("help", "incidents", "resolve", "lang", "watch")
_FIRST_WORD = re.compile(r"\s*(\S+)\s*(.*)", re.DOTALL)


def split_command(text: str) -> tuple[str, str]:
    """("resolve", "12 raised quota") for "resolve 12 raised quota"; ("", text) for a paste."""
    found = _FIRST_WORD.match(text or "")
    if not found:
        return "help", ""
    word = found.group(1).lower()
    if word in BUILT_IN or word in SUBCOMMANDS:
        return word, found.group(2).strip()
    return "", text.strip()


def register(app: App, settings: Settings) -> None:
    def ack_command(ack: Ack) -> None:
        ack()  # within 3 s whatever the paste: everything else runs in run_command

    @guarded(settings)
    def run_command(body: dict[str, Any], client: WebClient, respond: Any) -> None:
        word, rest = split_command(body.get("text") or "")
        lang = language(settings, body)
        handler = BUILT_IN_HANDLERS.get(word)
        if handler is not None:
            handler(settings, body, client, respond, rest, lang)
        elif word in SUBCOMMANDS:
            SUBCOMMANDS[word].handler(CommandContext(
                client=client, respond=respond, workspace=workspace_of(body),
                channel=body.get("channel_id", ""), user=body.get("user_id", ""), args=rest,
                lang=lang, database_url=settings.database_url,
                trigger_id=body.get("trigger_id")))
        else:
            _diagnose(settings, body, client, respond, rest, lang)

    app.command(COMMAND)(ack=ack_command, lazy=[run_command])


Reply = Callable[..., Any]


def _diagnose(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
              text: str, lang: str) -> None:
    paste = flows.Paste(text=flows.clean_slack_text(text), workspace=workspace_of(body),
                        user=body.get("user_id"), channel=body.get("channel_id"),
                        source="slash")
    flows.answer_in_thread(client, paste, settings=settings, lang=lang,
                           channel=body["channel_id"], thread_ts=None, respond=respond)


def _help(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
          rest: str, lang: str) -> None:
    respond(response_type="ephemeral", **render_help(lang, SUBCOMMANDS.values()).as_kwargs())


def _incidents(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
               rest: str, lang: str) -> None:
    everywhere = rest.strip().lower() in ("all", "workspace", "전체")
    message = flows.incidents_message(client, settings, workspace=workspace_of(body),
                                      channel=body.get("channel_id", ""),
                                      everywhere=everywhere, lang=lang)
    respond(response_type="ephemeral", **message.as_kwargs())


def _resolve(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
             rest: str, lang: str) -> None:
    found = re.match(r"#?(\d+)\s*(.*)", rest, re.DOTALL)
    if not found:
        respond(response_type="ephemeral", **render_text(t("resolve_usage", lang)).as_kwargs())
        return
    incident_id, note = int(found.group(1)), found.group(2).strip()
    user = body["user_id"]
    resolution = flows.resolve(settings, incident_id=incident_id, user=user, note=note,
                               channel=body.get("channel_id"))
    if not resolution.resolved:
        respond(response_type="ephemeral",
                **flows.resolution_refusal(resolution, lang).as_kwargs())
        return
    respond(response_type="in_channel", **render_resolved(
        incident_id=incident_id, user=user, note=note, lang=lang).as_kwargs())


def _lang(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
          rest: str, lang: str) -> None:
    wanted = rest.strip().lower()
    if wanted not in LANGUAGES:
        respond(response_type="ephemeral",
                **render_text(t("lang_usage", lang, current=lang)).as_kwargs())
        return
    preferences.set_user_language(settings.database_url, workspace=workspace_of(body),
                                  user=body["user_id"], language=wanted)
    respond(response_type="ephemeral", **render_text(t("lang_set", wanted)).as_kwargs())


def _watch(settings: Settings, body: dict[str, Any], client: WebClient, respond: Reply,
           rest: str, lang: str) -> None:
    wanted = rest.strip().lower()
    channel = body["channel_id"]
    workspace = workspace_of(body)
    if wanted not in ("on", "off"):
        state = "on" if preferences.channel_watched(settings.database_url, workspace=workspace,
                                                    channel=channel) else "off"
        respond(response_type="ephemeral",
                **render_text(t("watch_usage", lang, state=state)).as_kwargs())
        return
    preferences.set_channel_watch(settings.database_url, workspace=workspace, channel=channel,
                                  watch=wanted == "on", user=body["user_id"])
    key = "watch_on" if wanted == "on" else "watch_off"
    respond(response_type="in_channel", **render_text(t(key, lang, channel=channel)).as_kwargs())


BUILT_IN_HANDLERS: dict[str, Callable[..., None]] = {
    "help": _help, "incidents": _incidents, "resolve": _resolve, "lang": _lang,
    "watch": _watch}
