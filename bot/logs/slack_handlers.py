"""Slack wiring for the logs domain: `/troubleshoot logs ...` and the "Fetch logs" button.

The flow: check the policy (a refusal is an ephemeral reply; no Azure endpoint is contacted),
post "fetching the last N lines of <name>…" in the thread, fetch within LOGS_TIMEOUT_S in a
worker, upload the whole redacted log as a file in the thread, and update the progress message
with the diagnosis, the error lines and the service's own state. Slack-free logic lives in
bot.logs.service; Block Kit in bot.logs.render.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.logs import render
from bot.logs.policy import Decision, PolicyError, load_policy
from bot.logs.resolver import warm_up
from bot.logs.service import (
    DEFAULT_LINES,
    MAX_LINES,
    LogRequest,
    LogService,
    valid_target,
)
from bot.redaction import redact
from bot.settings import settings
from bot.slack.subcommands import CommandContext, subcommand
from bot.storage import database_url as default_database_url

log = logging.getLogger(__name__)

ACTION_FETCH_LOGS = "fetch_logs"
MODAL_CALLBACK = "fetch_logs_modal"


class UsageError(ValueError):
    pass


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
                raise UsageError(f"--lines needs a positive whole number, got {value!r}")
            lines = min(int(value), MAX_LINES)
        elif word.startswith("-"):
            raise UsageError(f"unknown option {word}")
        elif not target:
            target = word.strip("`<>")
        else:
            raise UsageError(f"one name at a time (got {target} and {word})")
        index += 1
    if not target or not valid_target(target):
        raise UsageError("a service name (or endpoint/deployment) is needed")
    return target, lines, init


def _group_members(client: Any) -> Callable[[str], set[str]]:
    def members(group: str) -> set[str]:
        return set(client.usergroups_users_list(usergroup=group).get("users") or [])

    return members


def run_fetch(client: Any, request: LogRequest, *, database_url: str,
              refuse: Callable[[str], None]) -> None:
    """The whole flow for one request, already acknowledged. Never raises to Bolt."""
    service = LogService(database_url)
    authorization = service.authorize(request, group_members=_group_members(client))
    if not authorization.allowed:
        refuse(authorization.reason)
        return
    lang = request.lang
    try:
        posted = client.chat_postMessage(
            channel=request.channel, thread_ts=request.thread_ts,
            **render.progress_message(request.target, request.lines, lang))
    except SlackApiError as error:
        log.warning("cannot post in %s: %s", request.channel, error.response.get("error"))
        service.audit(request, "slack_error", detail=str(error.response.get("error")),
                      audit_id=authorization.audit_id)
        refuse("I can't post in this channel: invite me (`/invite @troubleshoot-bot`) first.")
        return
    progress_ts = posted["ts"]
    try:
        _finish(client, service, request, progress_ts, authorization.audit_id)
    except Exception:  # the progress message must not say "fetching…" forever
        reference = uuid.uuid4().hex[:8]
        log.exception("log fetch flow failed [ref %s]", reference)
        try:
            client.chat_update(channel=request.channel, ts=progress_ts,
                               text=f":warning: Sorry, fetching the logs failed on the bot's "
                                    f"side (reference {reference}).")
        except Exception:
            log.exception("could not update the progress message [ref %s]", reference)


def _finish(client: Any, service: LogService, request: LogRequest, progress_ts: str,
            audit_id: int | None) -> None:
    lang = request.lang
    thread_ts = request.thread_ts or progress_ts
    request = LogRequest(**{**request.__dict__, "thread_ts": thread_ts})
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
        message = render.result_message(report, lang)
    else:
        message = render.failure_message(report, lang)
    client.chat_update(channel=request.channel, ts=progress_ts, **message)


def _language(database_url: str, workspace: str, user: str) -> str:
    try:
        from bot.slack.preferences import user_language

        return user_language(database_url, workspace=workspace, user=user,
                             default=settings().bot_language)
    except Exception:  # the language must never stop a fetch
        return settings().bot_language


@subcommand("logs", help_en="`logs <service | endpoint[/deployment]> [--lines N] [--init]`: "
            "fetch, diagnose and attach a service's recent logs",
            help_ko="`logs <서비스 | 엔드포인트[/배포]> [--lines N] [--init]`: 서비스의 최근 "
            "로그를 가져와 진단하고 첨부")
def logs_command(ctx: CommandContext) -> None:
    try:
        target, lines, init = parse_args(ctx.args)
    except UsageError as error:
        usage = render.t("usage", ctx.lang, default=DEFAULT_LINES, max=MAX_LINES)
        ctx.respond(response_type="ephemeral", text=redact(f"{error}. {usage}"))
        return
    request = LogRequest(workspace=ctx.workspace, user=ctx.user, channel=ctx.channel,
                         target=target, lines=lines, init=init, thread_ts=ctx.thread_ts,
                         lang=ctx.lang)
    run_fetch(ctx.client, request, database_url=ctx.database_url,
              refuse=lambda reason: ctx.respond(response_type="ephemeral", text=reason))


# ----- the "Fetch logs" button and its modal
def _thread_of(body: dict[str, Any]) -> str | None:
    container = body.get("container") or {}
    message = body.get("message") or {}
    return (container.get("thread_ts") or message.get("thread_ts")
            or container.get("message_ts") or message.get("ts"))


def _ack(ack: Any) -> None:
    ack()


def on_fetch_logs(body: dict[str, Any], client: Any, respond: Any) -> None:
    action = (body.get("actions") or [{}])[0]
    try:
        value = json.loads(action.get("value") or "{}")
    except ValueError:
        value = {}
    database_url = default_database_url()
    workspace = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", "")
    lang = _language(database_url, workspace, user)
    thread_ts = _thread_of(body)
    value = value if isinstance(value, dict) else {}
    service = value.get("service") or _incident_service(
        database_url, value.get("incident_id"), channel=channel, thread_ts=thread_ts)
    if not service or not valid_target(str(service)):
        try:  # no modal to fill in where fetching is not allowed anyway
            where = load_policy().check_channel(channel)
        except PolicyError:
            where = Decision(False, "The logs policy file can't be read.", "denied")
        if not where.allowed:
            respond(response_type="ephemeral", replace_original=False, text=where.reason)
            return
        metadata = json.dumps({"channel": channel, "thread_ts": thread_ts,
                               "incident_id": value.get("incident_id")})
        client.views_open(trigger_id=body["trigger_id"], view=render.fetch_modal(metadata, lang))
        return
    request = LogRequest(workspace=workspace, user=user, channel=channel, target=str(service),
                         thread_ts=thread_ts, lang=lang)
    run_fetch(client, request, database_url=database_url, refuse=lambda reason: respond(
        response_type="ephemeral", replace_original=False, text=reason))


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


def _modal_values(body: dict[str, Any]) -> tuple[str, str]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    name = ((values.get("service") or {}).get("value") or {}).get("value") or ""
    lines = ((values.get("lines") or {}).get("value") or {}).get("value") or ""
    return name.strip(), lines.strip()


def ack_modal(ack: Any, body: dict[str, Any]) -> None:
    name, lines = _modal_values(body)
    errors = {}
    if not valid_target(name):
        errors["service"] = render.t("modal_bad_name", settings().bot_language)
    if lines and not (lines.isdigit() and int(lines) > 0):
        errors["lines"] = f"1-{MAX_LINES}"
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def on_modal_submit(body: dict[str, Any], client: Any) -> None:
    name, lines_text = _modal_values(body)
    if not valid_target(name):
        return  # refused in ack_modal
    metadata = json.loads((body.get("view") or {}).get("private_metadata") or "{}")
    database_url = default_database_url()
    user = (body.get("user") or {}).get("id", "")
    workspace = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
    lang = _language(database_url, workspace, user)
    lines = min(int(lines_text), MAX_LINES) if lines_text.isdigit() else DEFAULT_LINES
    channel = metadata.get("channel") or ""
    request = LogRequest(workspace=workspace, user=user, channel=channel, target=name,
                         lines=max(lines, 1), thread_ts=metadata.get("thread_ts"), lang=lang)

    def refuse(reason: str) -> None:
        client.chat_postEphemeral(channel=channel, user=user, text=reason,
                                  thread_ts=metadata.get("thread_ts"))

    run_fetch(client, request, database_url=database_url, refuse=refuse)


def register(app: Any) -> None:
    """Attach the button and modal listeners; the `logs` sub-command registered on import."""
    app.action(ACTION_FETCH_LOGS)(ack=_ack, lazy=[on_fetch_logs])
    app.view(MODAL_CALLBACK)(ack=ack_modal, lazy=[on_modal_submit])
    # Import the SDKs in the background now rather than inside the first user's deadline.
    threading.Thread(target=_warm_up, name="logs-warm-up", daemon=True).start()


def _warm_up() -> None:
    try:
        warm_up()
    except Exception:  # an SDK that cannot import shows up, clearly, at the first fetch
        log.warning("could not pre-import the Azure SDKs", exc_info=True)


__all__ = ["logs_command", "parse_args", "register", "run_fetch"]

