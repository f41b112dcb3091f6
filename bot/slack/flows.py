"""The Slack app's flows: diagnose a paste, record it, render and deliver the answer.

This is where the pure matcher, the SQL history and the rendering meet; listeners stay thin
and call these. Nothing here acknowledges requests: it all runs after `ack()`.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.db import session_scope
from bot.incidents import service
from bot.incidents.service import Recorded
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.result import MatchResult
from bot.redaction import redact
from bot.slack import preferences
from bot.slack.config import Settings
from bot.slack.files import read_attached_files
from bot.slack.i18n import t
from bot.slack.render import (
    Message,
    render_answer,
    render_home,
    render_incidents,
    render_progress,
    render_text,
    with_feedback,
    with_resolution,
)

log = logging.getLogger(__name__)

MAX_MATCH_CHARS = 200_000  # beyond this a paste is a log dump; its head and tail hold the error
PROGRESS_ABOVE_CHARS = 5_000  # bigger pastes get a "reading…" message that the answer replaces
UPLOAD_PASTE_ABOVE_CHARS = 2_500  # slash-command pastes the channel cannot see, kept as a file
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}

_USER_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_ERRORISH = re.compile(
    r"(?i)(error|exception|traceback|fail(ed|ure)?|crashloopbackoff|oomkilled|unhealthy|"
    r"insufficient|denied|forbidden|timed? ?out|refused|unavailable|\b50[0234]\b|sigkill|"
    r"panic|fatal|back-?off|quota)")


@dataclass(frozen=True)
class Paste:
    """A pasted error and where it came from."""

    text: str
    workspace: str
    user: str | None
    channel: str | None
    source: str  # slash / mention / watch
    thread_ts: str | None = None  # the thread the incident lives in, when known


@dataclass(frozen=True)
class Diagnosis:
    result: MatchResult
    recorded: Recorded
    message: Message


# ----- reading what people wrote

def clean_slack_text(text: str) -> str:
    """Slack's message markup back to what was pasted: mentions out, links unwrapped, &lt; → <."""
    text = _USER_MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()


def looks_like_error(text: str) -> bool:
    """Cheap pre-filter for watch mode: chatter never reaches the matcher or the database."""
    return bool(_ERRORISH.search(text))


def message_text_with_files(client: WebClient, message: dict[str, Any]) -> tuple[str, list[str]]:
    """A message's text plus its attached snippets/text files; names of unreadable files."""
    text = clean_slack_text(message.get("text", ""))
    files = message.get("files") or []
    if not files:
        return text, []
    attached = read_attached_files(client, files)
    return "\n".join(part for part in (text, *attached.texts) if part.strip()), list(
        attached.skipped)


def thread_root(client: WebClient, channel: str, thread_ts: str) -> dict[str, Any] | None:
    """The first message of a thread (what `@bot` alone in a thread means)."""
    replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
    messages = replies.get("messages") or []
    return messages[0] if messages else None


# ----- diagnosing

def matcher_for(settings: Settings) -> Matcher:
    return default_matcher(settings.knowledge_path)


def knowledge_base(settings: Settings) -> KnowledgeBase:
    return matcher_for(settings).kb


def diagnose(paste: Paste, *, settings: Settings, lang: str,
             result: MatchResult | None = None) -> Diagnosis:
    """Match (unless already matched), record the occurrence, render: the answer for a paste."""
    text = _bounded(paste.text)
    matcher = matcher_for(settings)
    if result is None:
        result = matcher.match(text, top=3, lang=lang)
    metrics.count_answer(confident=result.answer is not None)
    with session_scope(settings.database_url) as session:
        recorded = service.record_occurrence(
            session, workspace=paste.workspace, source=paste.source, text=text, result=result,
            user=paste.user, channel=paste.channel, thread_ts=paste.thread_ts)
    message = render_answer(result, recorded, matcher.kb, lang,
                            user=paste.user if paste.source == "slash" else None)
    return Diagnosis(result, recorded, message)


def _bounded(text: str) -> str:
    if len(text) <= MAX_MATCH_CHARS:
        return text
    half = MAX_MATCH_CHARS // 2
    return text[:half] + "\n...\n" + text[-half:]


def match_only(text: str, *, settings: Settings, lang: str) -> MatchResult:
    return matcher_for(settings).match(_bounded(text), top=3, lang=lang)


# ----- delivering

def answer_in_thread(client: WebClient, paste: Paste, *, settings: Settings, lang: str,
                     channel: str, thread_ts: str | None,
                     respond: Callable[..., Any] | None = None,
                     result: MatchResult | None = None) -> Diagnosis:
    """Diagnose and post the answer in `thread_ts` (None: as a new channel message).

    A big paste first gets a "reading…" message that the answer then replaces, so the person
    sees progress; a slash-command paste too long to show is attached to the answer as a file.
    With `respond` (slash commands), a channel the bot is not in still gets the answer through
    the command's response_url, without buttons that could update it.
    """
    progress_ts = None
    if len(paste.text) > PROGRESS_ABOVE_CHARS:
        progress_ts = _post(client, channel, thread_ts, render_progress(lang, len(paste.text)),
                            tolerate_not_member=respond is not None)
    try:
        diagnosis = diagnose(paste, settings=settings, lang=lang, result=result)
    except Exception:
        if progress_ts:  # no "Reading…" left hanging above the apology
            with contextlib.suppress(SlackApiError):
                client.chat_delete(channel=channel, ts=progress_ts)
        raise
    if progress_ts:
        client.chat_update(channel=channel, ts=progress_ts, **diagnosis.message.as_kwargs())
        answer_ts: str | None = progress_ts
    else:
        answer_ts = _post(client, channel, thread_ts, diagnosis.message,
                          tolerate_not_member=respond is not None)
    if answer_ts is None and respond is not None:
        message = diagnosis.message
        respond(response_type="in_channel", text=message.text,
                blocks=[*message.blocks, *render_text(t("not_in_channel", lang)).blocks][:50])
        return diagnosis
    if thread_ts is None and answer_ts is not None:
        # The answer starts the thread: record it so the thread finds this incident later.
        with session_scope(settings.database_url) as session:
            service.attach_thread(session, occurrence_id=diagnosis.recorded.occurrence_id,
                                  channel=channel, thread_ts=answer_ts)
    if paste.source == "slash" and len(paste.text) > UPLOAD_PASTE_ABOVE_CHARS:
        upload_text(client, channel=channel, thread_ts=thread_ts or answer_ts,
                    content=redact(paste.text), filename="error.txt",
                    title=t("paste_file_title", lang), comment=t("paste_file_comment", lang))
    return diagnosis


def _post(client: WebClient, channel: str, thread_ts: str | None, message: Message, *,
          tolerate_not_member: bool) -> str | None:
    """chat.postMessage; None (instead of an error) in a channel the bot is not a member of."""
    try:
        return client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False,
                                       **message.as_kwargs())["ts"]
    except SlackApiError as error:
        if tolerate_not_member and error.response.get("error") in NOT_A_MEMBER:
            return None
        raise


def upload_text(client: WebClient, *, channel: str, thread_ts: str | None, content: str,
                filename: str, title: str, comment: str | None = None) -> None:
    """Long content as a file (files.getUploadURLExternal + completeUploadExternal)."""
    client.files_upload_v2(channel=channel, thread_ts=thread_ts, content=content,
                           filename=filename, title=title, initial_comment=comment,
                           request_file_info=False)


# ----- history, feedback, resolution

def record_feedback(settings: Settings, *, incident_id: int | None, entry_id: str | None,
                    user: str, helpful: bool) -> None:
    with session_scope(settings.database_url) as session:
        service.record_feedback(session, incident_id=incident_id, entry_id=entry_id, user=user,
                                helpful=helpful)


def show_feedback(client: WebClient, *, channel: str, message: dict[str, Any], user: str,
                  helpful: bool, entry_id: str | None, lang: str) -> None:
    blocks = with_feedback(message.get("blocks") or [], user=user, helpful=helpful,
                           entry_id=entry_id, lang=lang)
    client.chat_update(channel=channel, ts=message["ts"], text=message.get("text") or "-",
                       blocks=blocks)


@dataclass(frozen=True)
class Resolution:
    """What came of a request to resolve an incident."""

    incident_id: int
    resolved: bool  # this request resolved it
    missing: bool = False  # no such incident
    already_by: str | None = None  # it was closed before, by this person (if known)


def resolve(settings: Settings, *, incident_id: int, user: str, note: str) -> Resolution:
    """Resolve an incident; two people pressing Resolve at once get one resolution."""
    try:
        with session_scope(settings.database_url) as session:
            service.resolve_incident(session, incident_id, user=user, note=redact(note))
    except service.IncidentNotFound:
        return Resolution(incident_id, resolved=False, missing=True)
    except service.IncidentNotOpen:
        with session_scope(settings.database_url) as session:
            incident = service.get_incident(session, incident_id)
            by = incident.resolved_by if incident else None
        return Resolution(incident_id, resolved=False, already_by=by)
    return Resolution(incident_id, resolved=True)


def resolution_refusal(resolution: Resolution, lang: str) -> Message:
    """Why a resolution did not happen, for the person who asked."""
    if resolution.missing:
        return render_text(t("resolve_not_found", lang, id=resolution.incident_id))
    by = f" (<@{resolution.already_by}>)" if resolution.already_by else ""
    return render_text(t("resolve_already", lang, id=resolution.incident_id, by=by))


def show_resolution(client: WebClient, *, channel: str, message_ts: str,
                    thread_ts: str | None, user: str, note: str, lang: str) -> bool:
    """Update the answer message to show its resolution; False if it cannot be found."""
    message = find_message(client, channel=channel, ts=message_ts, thread_ts=thread_ts)
    if message is None:
        return False
    blocks = with_resolution(message.get("blocks") or [], user=user, note=note, lang=lang)
    client.chat_update(channel=channel, ts=message_ts, text=message.get("text") or "-",
                       blocks=blocks)
    return True


def find_message(client: WebClient, *, channel: str, ts: str,
                 thread_ts: str | None) -> dict[str, Any] | None:
    if thread_ts and thread_ts != ts:
        messages = client.conversations_replies(channel=channel, ts=thread_ts)["messages"]
    else:
        messages = client.conversations_history(channel=channel, latest=ts, inclusive=True,
                                                limit=1)["messages"]
    return next((message for message in messages or [] if message.get("ts") == ts), None)


def incidents_message(settings: Settings, *, workspace: str, channel: str | None,
                      lang: str) -> Message:
    with session_scope(settings.database_url) as session:
        incidents = service.list_incidents(session, workspace=workspace, status="open",
                                           channel=channel, limit=20)
    return render_incidents(incidents, knowledge_base(settings), lang,
                            workspace_scope=channel is None)


def publish_home(client: WebClient, settings: Settings, *, workspace: str, user: str) -> None:
    lang = preferences.user_language(settings.database_url, workspace=workspace, user=user,
                                     default=settings.language)
    with session_scope(settings.database_url) as session:
        incidents = service.list_incidents(session, workspace=workspace, status="open",
                                           limit=50)
    view = render_home(incidents, knowledge_base(settings), lang=lang,
                       default_lang=settings.language)
    client.views_publish(user_id=user, view=view)
