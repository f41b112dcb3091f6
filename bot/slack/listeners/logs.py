"""`/troubleshoot logs ...` and the "Fetch logs" button: the Slack side of the logs domain.

The flow: check the policy and the bot's Azure set-up (a refusal is an ephemeral reply in the
person's language; no Azure endpoint is contacted and nothing is posted in the channel), post
"fetching the last N lines of <name>…" in the thread, fetch within LOGS_TIMEOUT_S in a worker,
upload the whole redacted log as a file in the thread, and update the progress message with the
diagnosis, the error lines and the service's own state. Slack-free logic lives in
bot.logs.service; Block Kit in bot.logs.render.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.answers.lines import MRKDWN
from bot.logs import render
from bot.logs.policy import PolicyError, load_policy, unreadable_policy_refusal
from bot.logs.resolver import logs_enabled, warm_up
from bot.logs.service import (
    DEFAULT_LINES,
    MAX_LINES,
    LogRequest,
    LogService,
    is_configuration_error,
    valid_target,
)
from bot.logs.source import LogFetchError
from bot.mrkdwn import escape
from bot.redaction import sanitize
from bot.slack.config import Settings
from bot.slack.errors import new_reference
from bot.slack.identity import app_name
from bot.slack.listeners._common import guarded, language, user_of, workspace_of
from bot.slack.permalinks import NO_LINKS, answer_links
from bot.slack.privacy import audience_for
from bot.slack.subcommands import CommandContext, Subcommand
from bot.slack.usergroups import group_members

log = logging.getLogger(__name__)

ACTION_FETCH_LOGS = "fetch_logs"
MODAL_CALLBACK = render.MODAL_CALLBACK


class UsageError(ValueError):
    """What was typed after `logs` cannot be used; `key` and `values` pick the sentence."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: str) -> str:
        return render.t(self.key, lang, **self.values)


def parse_args(args: str) -> tuple[str, int, bool]:
    """`<name> [--lines N] [--init]` -> (name, lines, init). Lines are capped at MAX_LINES."""
    words = args.split()
    target, lines, init = "", DEFAULT_LINES, False
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("--init", "-i"):
            init = True
        elif word in ("--lines", "-n") or word.startswith("--lines="):
            value = word.partition("=")[2] if "=" in word else (
                words[index + 1] if index + 1 < len(words) else "")
            index += 0 if "=" in word else 1
            if not value.isdigit() or int(value) < 1:
                raise UsageError("usage_lines", value=value[:40])
            lines = min(int(value), MAX_LINES)
        elif word.startswith("-"):
            raise UsageError("usage_option", value=word[:40])
        elif not target:
            target = word.strip("`<>")
        else:
            raise UsageError("usage_one_name", first=target[:80], second=word[:80])
        index += 1
    if not target:
        raise UsageError("usage_name")
    if not valid_target(target):  # a name was typed: "a name is needed" would deny it
        raise UsageError("usage_bad_name", value=escape(target[:80]))
    return target, lines, init


def run_fetch(client: Any, request: LogRequest, *, database_url: str,
              refuse: Callable[[str], None]) -> None:
    """The whole flow for one request, already acknowledged. Refusals go to `refuse` (only the
    person sees them); nothing is posted in the channel before the fetch can really start."""
    service = LogService(database_url)
    authorization = service.authorize(request, group_members=group_members(client))
    lang = request.lang
    if not authorization.allowed:
        refuse(render.refusal_text(authorization.decision, request.target, lang))
        return
    problem = service.check_configuration()
    if problem is not None:
        service.audit(request, problem.error.outcome, detail=problem.error.message,
                      audit_id=authorization.audit_id)
        refuse(render.t("not_configured", lang, ref=problem.reference))
        return
    try:
        posted = client.chat_postMessage(
            channel=request.channel, thread_ts=request.thread_ts,
            **render.progress_message(request.target, request.lines, lang))
    except SlackApiError as error:
        log.warning("cannot post in %s: %s", request.channel, error.response.get("error"))
        service.audit(request, "slack_error", detail=str(error.response.get("error")),
                      audit_id=authorization.audit_id)
        refuse(render.t("cannot_post", lang, app=app_name(client, lang)))
        return
    progress_ts = posted["ts"]
    try:
        _finish(client, service, request, progress_ts, authorization.audit_id)
    except Exception:  # the progress message must not say "fetching…" forever
        reference = new_reference()
        log.exception("log fetch flow failed [ref %s]", reference)
        try:
            client.chat_update(channel=request.channel, ts=progress_ts,
                               text=render.t("bot_failed", lang, ref=reference))
        except Exception:
            log.exception("could not update the progress message [ref %s]", reference)


def _finish(client: Any, service: LogService, request: LogRequest, progress_ts: str,
            audit_id: int | None) -> None:
    lang = request.lang
    thread_ts = request.thread_ts or progress_ts
    # The result is read in the request's channel: past incidents it may show follow from that.
    audience = audience_for(client, service.database_url, workspace=request.workspace,
                            channel=request.channel)
    request = replace(request, thread_ts=thread_ts, audience=audience)
    report = service.fetch(request, audit_id=audit_id)
    if report.diagnosis is not None and report.fetched is not None:
        try:
            client.files_upload_v2(
                channel=request.channel, thread_ts=thread_ts,
                content=report.diagnosis.redacted_log or "(empty log)",
                filename=f"{report.fetched.target.replace('/', '_')}-logs.txt",
                title=render.t("file_title", lang, target=report.fetched.target))
        except SlackApiError as error:
            log.warning("log upload failed in %s: %s", request.channel,
                        error.response.get("error"))
        links = answer_links(client, service.database_url, report.answer) if report.answer \
            else NO_LINKS
        message = render.result_message(report, lang, links.markup(MRKDWN))
    else:
        message = render.failure_message(report, lang)
    client.chat_update(channel=request.channel, ts=progress_ts, **message)


def logs_command(ctx: CommandContext) -> None:
    try:
        target, lines, init = parse_args(ctx.args)
    except UsageError as error:
        usage = render.t("usage", ctx.lang, default=DEFAULT_LINES, max=MAX_LINES)
        ctx.reply(f"{error.text(ctx.lang)} {usage}")
        return
    request = LogRequest(workspace=ctx.workspace, user=ctx.user, channel=ctx.channel,
                         target=target, lines=lines, init=init, thread_ts=ctx.thread_ts,
                         lang=ctx.lang)
    run_fetch(ctx.client, request, database_url=ctx.database_url, refuse=ctx.reply)


SUBCOMMAND = Subcommand(
    "logs", logs_command, aliases=("로그",),
    help_en="`logs <service | endpoint[/deployment]> [--lines N] [--init]` — fetch, diagnose "
            "and attach a service's recent logs",
    help_ko="`logs <서비스 | 엔드포인트[/배포]> [--lines N] [--init]` — 서비스의 최근 로그를 "
            "가져와 진단하고 첨부")


# ----- the "Fetch logs" button and its modal
def _thread_of(body: dict[str, Any]) -> str | None:
    container = body.get("container") or {}
    message = body.get("message") or {}
    return (container.get("thread_ts") or message.get("thread_ts")
            or container.get("message_ts") or message.get("ts"))


def _ack(ack: Any) -> None:
    ack()


def _channel_of(body: dict[str, Any]) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", "")


def fetch_logs_clicked(settings: Settings) -> Callable[..., None]:
    @guarded(settings)
    def on_fetch_logs(body: dict[str, Any], client: Any, respond: Any) -> None:
        action = (body.get("actions") or [{}])[0]
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        workspace, user, channel = workspace_of(body), user_of(body) or "", _channel_of(body)
        lang = language(settings, body)
        thread_ts = _thread_of(body)
        value = value if isinstance(value, dict) else {}

        def refuse(text: str) -> None:
            respond(response_type="ephemeral", replace_original=False, text=text)

        service = value.get("service") or _incident_service(
            settings.database_url, value.get("incident_id"), channel=channel,
            thread_ts=thread_ts)
        if not service or not valid_target(str(service)):
            try:  # no modal to fill in where fetching is not allowed anyway
                where = load_policy().check_channel(channel)
            except PolicyError as error:
                where = unreadable_policy_refusal(error)
            if not where.allowed:
                refuse(render.refusal_text(where, "", lang))
                return
            metadata = json.dumps({"channel": channel, "thread_ts": thread_ts,
                                   "incident_id": value.get("incident_id")})
            offer_modal(client, body["trigger_id"], metadata, lang=lang,
                        database_url=settings.database_url, user=user, channel=channel)
            return
        request = LogRequest(workspace=workspace, user=user, channel=channel,
                             target=str(service), thread_ts=thread_ts, lang=lang)
        run_fetch(client, request, database_url=settings.database_url, refuse=refuse)

    return on_fetch_logs


def offer_modal(client: Any, trigger_id: str, metadata: str, *, lang: str,
                database_url: str, user: str, channel: str) -> None:
    """Open the Fetch-logs modal at once (a trigger_id lasts three seconds), then fill in what
    the bot can read: a dropdown of its services and endpoints that `user` may fetch from
    `channel`, or a field to type the name when Azure cannot list them now. When logs cannot
    be fetched at all (the bot's set-up), the modal says so: nothing is ever posted in the
    channel for that."""
    opened = client.views_open(trigger_id=trigger_id, view=render.fetch_modal(
        metadata, lang, note=render.t("modal_listing", lang)))
    view = opened.get("view") or {}
    service = LogService(database_url)
    updated = _listed_modal(service, metadata, lang, may_fetch=_may_fetch(client, user, channel))
    try:
        client.views_update(view_id=view.get("id"), view=updated,
                            **({"hash": view["hash"]} if view.get("hash") else {}))
    except SlackApiError as error:  # closed already, or changed meanwhile: nothing to fix
        log.info("could not update the logs modal: %s", error.response.get("error"))


def _may_fetch(client: Any, user: str, channel: str) -> Callable[[str], bool]:
    """Whether the policy lets `user` fetch a name from `channel`: the dropdown lists only
    those, so that a service a rule keeps for one team is not named to everyone else."""
    try:
        policy = load_policy()
    except PolicyError:  # unreadable now: list nothing rather than everything
        return lambda _name: False
    members = group_members(client)
    return lambda name: policy.check(user=user, channel=channel, target=name,
                                     group_members=members).allowed


def _listed_modal(service: LogService, metadata: str, lang: str, *,
                  may_fetch: Callable[[str], bool]) -> dict[str, Any]:
    problem = service.check_configuration()
    if problem is not None:
        return render.closed_modal(render.t("not_configured", lang, ref=problem.reference), lang)
    try:
        names = service.service_names()
    except LogFetchError as error:
        if is_configuration_error(error):  # Azure refused the bot's own credentials
            reference = new_reference()
            log.warning("cannot list services for logs: %s [ref %s]", error.message, reference,
                        extra={"reference": reference})
            return render.closed_modal(render.t("not_configured", lang, ref=reference), lang)
        log.info("could not list services for the logs modal: %s", error.outcome)
        return render.fetch_modal(metadata, lang, note=render.t("modal_unlisted", lang))
    return render.fetch_modal(metadata, lang, names=[name for name in names if may_fetch(name)])


def _incident_service(database_url: str, incident_id: object, *, channel: str,
                      thread_ts: str | None) -> str | None:
    """The service an incident was recorded for, so the button needs no typing when known;
    only where that incident is discussed (its channel, or a thread it was seen in)."""
    if not isinstance(incident_id, int):
        return None
    try:
        from bot.incidents.service import get_incident, incident_in_conversation
        from bot.storage import session_scope

        with session_scope(database_url) as session:
            incident = get_incident(session, incident_id)
            if incident is None or not incident_in_conversation(
                    session, incident, channel=channel, thread_ts=thread_ts):
                return None
            return incident.service
    except Exception:  # history is a convenience here: fall back to asking
        log.warning("could not read incident %s", incident_id, exc_info=True)
        return None


SERVICE_BLOCKS = ("service", "service_name")  # the dropdown, or the field to type it


def _modal_values(body: dict[str, Any]) -> tuple[str, str]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    name = ""
    for block in SERVICE_BLOCKS:
        field = (values.get(block) or {}).get("value") or {}
        name = name or field.get("value") or (field.get("selected_option") or {}).get(
            "value") or ""
    lines = ((values.get("lines") or {}).get("value") or {}).get("value") or ""
    # A name typed in the modal is posted in the channel ("fetching … of <name>") and audited:
    # redacted first, so a pasted token is no valid name (the modal says so) and goes nowhere.
    return sanitize(name).strip(), sanitize(lines).strip()


def _service_block(body: dict[str, Any]) -> str:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    return next((block for block in SERVICE_BLOCKS if block in values), SERVICE_BLOCKS[0])


def ack_modal(settings: Settings) -> Callable[..., None]:
    def acknowledge(ack: Any, body: dict[str, Any]) -> None:
        name, lines = _modal_values(body)
        errors = {}
        if not valid_target(name):
            errors[_service_block(body)] = render.t("modal_bad_name", settings.language)
        if lines and not (lines.isdigit() and int(lines) > 0):
            errors["lines"] = f"1-{MAX_LINES}"
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    return acknowledge


def modal_submitted(settings: Settings) -> Callable[..., None]:
    @guarded(settings)
    def on_modal_submit(body: dict[str, Any], client: Any) -> None:
        name, lines_text = _modal_values(body)
        if not valid_target(name):
            return  # refused in ack_modal
        metadata = json.loads((body.get("view") or {}).get("private_metadata") or "{}")
        user = user_of(body) or ""
        lang = language(settings, body)
        lines = min(int(lines_text), MAX_LINES) if lines_text.isdigit() else DEFAULT_LINES
        channel = metadata.get("channel") or ""
        request = LogRequest(workspace=workspace_of(body), user=user, channel=channel,
                             target=name, lines=max(lines, 1),
                             thread_ts=metadata.get("thread_ts"), lang=lang)

        def refuse(reason: str) -> None:
            client.chat_postEphemeral(channel=channel, user=user, text=reason,
                                      thread_ts=metadata.get("thread_ts"))

        run_fetch(client, request, database_url=settings.database_url, refuse=refuse)

    return on_modal_submit


def register(app: App, settings: Settings) -> None:
    """The button and modal listeners (the `logs` sub-command is SUBCOMMAND, listed in
    bot.slack.listeners.build_subcommands)."""
    app.action(ACTION_FETCH_LOGS)(ack=_ack, lazy=[fetch_logs_clicked(settings)])
    app.view(MODAL_CALLBACK)(ack=ack_modal(settings), lazy=[modal_submitted(settings)])
    # Import the SDKs in the background now rather than inside the first user's deadline; only
    # where logs may be fetched at all: elsewhere a logs request is refused before any SDK is
    # needed, and the import costs each web worker seconds of CPU and a few hundred MB.
    if logs_enabled():
        threading.Thread(target=_warm_up, name="logs-warm-up", daemon=True).start()


def _warm_up() -> None:
    try:
        warm_up()
    except Exception:  # an SDK that cannot import shows up, clearly, at the first fetch
        log.warning("could not pre-import the Azure SDKs", exc_info=True)


__all__ = ["SUBCOMMAND", "logs_command", "parse_args", "register", "run_fetch"]
