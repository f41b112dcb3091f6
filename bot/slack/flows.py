"""The Slack app's flows: diagnose a paste, record it, render and deliver the answer.

This is where the pure matcher, the SQL history and the rendering meet; listeners stay thin
and call these. Nothing here acknowledges requests: it all runs after `ack()`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.incidents import service
from bot.incidents.audience import Audience
from bot.incidents.service import Recorded
from bot.knowledge.model import KnowledgeBase
from bot.matching.extraction import has_error_line
from bot.matching.matcher import Matcher
from bot.matching.result import MatchResult
from bot.outbox import default_outbox, new_key, pending_occurrence, processed_key
from bot.redaction import sanitize
from bot.slack import preferences
from bot.slack.config import Settings
from bot.slack.dedup import claim_key
from bot.slack.delivery import find_message, post_message, update_message
from bot.slack.files import read_attached_files
from bot.slack.i18n import t
from bot.slack.privacy import audience_for
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
from bot.storage import is_outage, session_scope, within_deadline
from bot.teaching.live import current_matcher

log = logging.getLogger(__name__)

MAX_MATCH_CHARS = 200_000  # beyond this a paste is a log dump; its head and tail hold the error
PROGRESS_ABOVE_CHARS = 5_000  # bigger pastes get a "reading…" message that the answer replaces
UPLOAD_PASTE_ABOVE_CHARS = 2_500  # slash-command pastes the channel cannot see, kept as a file
# Recording a paste normally takes milliseconds; past this the answer goes out without history
# and the occurrence waits in the outbox (generous: a loaded SQLite can be slow, not down).
RECORD_DEADLINE_S = 10.0

_USER_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


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
    recorded: Recorded | None  # None while the database is unavailable
    message: Message
    outbox_key: str | None = None  # where the occurrence waits for the database, if it does


# ----- reading what people wrote

def clean_slack_text(text: str) -> str:
    """Slack's message markup back to what was pasted: mentions out, links unwrapped, &lt; → <."""
    text = _USER_MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()


def looks_like_error(text: str) -> bool:
    """Watch mode's filter: chatter never reaches the matcher or the database. The same test of
    an error line as the matcher's (bot.matching.error_lines)."""
    return has_error_line(text)


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
    """The shipped KB plus the team's approved knowledge, reloaded within seconds of a change
    (bot.teaching.live)."""
    return current_matcher(settings.database_url, settings.knowledge_path)


def knowledge_base(settings: Settings) -> KnowledgeBase:
    return matcher_for(settings).kb


def diagnose(paste: Paste, *, settings: Settings, lang: str, audience: Audience,
             result: MatchResult | None = None) -> Diagnosis:
    """Match (unless already matched), record the occurrence, render: the answer for a paste.

    Similar incidents are those `audience` (the answer's channel) may see, found after the
    recording transaction so that channel look-ups never hold its write lock.

    Matching needs no database, so a database outage costs the history, not the answer: the
    occurrence waits in the outbox and the answer says that history is unavailable.
    """
    text = _bounded(sanitize(paste.text))  # secrets out of the whole text before any cut
    matcher = matcher_for(settings)
    if result is None:
        # The whole paste: the matcher bounds its own work and says what it did not read.
        result = matcher.match(paste.text, top=3, lang=lang)
    metrics.count_answer(result.matches[0].tier if result.matches else "unknown")
    recorded, outbox_key = record_or_keep(paste, text, result, settings=settings)
    if recorded is not None:
        recorded = _with_similar(recorded, paste, text, result, settings=settings,
                                 audience=audience)
    message = render_answer(result, recorded, matcher.kb, lang,
                            user=paste.user if paste.source == "slash" else None,
                            history_unavailable=recorded is None)
    return Diagnosis(result, recorded, message, outbox_key)


def record_or_keep(paste: Paste, text: str, result: MatchResult, *,
                   settings: Settings) -> tuple[Recorded | None, str | None]:
    """(recorded, None) from the database, or (None, outbox key) when it is unavailable.

    Both paths carry one key: a write that overran its deadline on a hung database may still
    complete later, and the flusher then finds the occurrence written and skips it.
    """
    key = new_key()

    def write() -> Recorded:
        with session_scope(settings.database_url) as session:
            claim_key(session, processed_key(key))
            return service.record_occurrence(
                session, workspace=paste.workspace, source=paste.source, text=text,
                result=result, user=paste.user, channel=paste.channel,
                thread_ts=paste.thread_ts, with_similar=False)

    try:
        return within_deadline(settings.database_url, write,
                               deadline_s=RECORD_DEADLINE_S), None
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("database unavailable (%s); keeping the %s occurrence in the outbox",
                    error, paste.source)
    pending = pending_occurrence(key=key, workspace=paste.workspace, source=paste.source,
                                 text=text, result=result, user=paste.user,
                                 channel=paste.channel, thread_ts=paste.thread_ts)
    try:
        kept = default_outbox().add(settings.database_url, pending)
    except Exception:  # a full disk must not cost the answer as well
        log.exception("could not keep an occurrence in the outbox; it is lost")
        kept = False
    return None, pending.key if kept else None


def _with_similar(recorded: Recorded, paste: Paste, text: str, result: MatchResult, *,
                  settings: Settings, audience: Audience) -> Recorded:
    """`recorded` with the similar past incidents `audience` may see; without them (and the
    answer still goes out) when the database stops answering between the two steps."""

    def find() -> list[Any]:
        with session_scope(settings.database_url) as session:
            return service.find_similar(
                session, workspace=paste.workspace, result=result,
                exclude_incident_id=recorded.incident_id,
                summary=service.incident_summary(text, result), audience=audience)

    try:
        similar = within_deadline(settings.database_url, find, deadline_s=RECORD_DEADLINE_S)
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("database unavailable (%s); answering without similar incidents", error)
        return recorded
    return dataclasses.replace(recorded, similar=tuple(similar))


def _bounded(text: str) -> str:
    if len(text) <= MAX_MATCH_CHARS:
        return text
    half = MAX_MATCH_CHARS // 2
    return text[:half] + "\n...\n" + text[-half:]


def match_only(text: str, *, settings: Settings, lang: str) -> MatchResult:
    # The matcher sanitizes the whole paste itself before it bounds its own work.
    return matcher_for(settings).match(text, top=3, lang=lang)


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
    paste = replace(paste, text=sanitize(paste.text))  # once: diagnosis and upload share it
    progress_ts = None
    if len(paste.text) > PROGRESS_ABOVE_CHARS:
        progress_ts = post_message(client, channel, thread_ts,
                                   render_progress(lang, len(paste.text)),
                                   tolerate_not_member=respond is not None)
    audience = audience_for(client, settings.database_url, workspace=paste.workspace,
                            channel=channel)
    try:
        diagnosis = diagnose(paste, settings=settings, lang=lang, audience=audience,
                             result=result)
    except Exception:
        if progress_ts:  # no "Reading…" left hanging above the apology
            with contextlib.suppress(SlackApiError):
                client.chat_delete(channel=channel, ts=progress_ts)
        raise
    if progress_ts:
        update_message(client, channel, progress_ts, thread_ts, diagnosis.message)
        answer_ts: str | None = progress_ts
    else:
        answer_ts = post_message(client, channel, thread_ts, diagnosis.message,
                                 tolerate_not_member=respond is not None)
    if answer_ts is None and respond is not None:
        message = diagnosis.message
        respond(response_type="in_channel", text=message.text,
                blocks=[*message.blocks, *render_text(t("not_in_channel", lang)).blocks][:50])
        return diagnosis
    # The answer is out: what follows is extra, and its failure is logged, never apologised
    # for (an apology under an answer reads as if the answer were wrong).
    try:
        if thread_ts is None and answer_ts is not None:
            _remember_thread(diagnosis, settings=settings, channel=channel, thread_ts=answer_ts)
        if paste.source == "slash" and len(paste.text) > UPLOAD_PASTE_ABOVE_CHARS:
            upload_text(client, channel=channel, thread_ts=thread_ts or answer_ts,
                        content=paste.text, filename="error.txt",
                        title=t("paste_file_title", lang),
                        comment=t("paste_file_comment", lang))
    except Exception:
        log.exception("the answer in %s was posted; a follow-up step failed", channel)
    return diagnosis


def _remember_thread(diagnosis: Diagnosis, *, settings: Settings, channel: str,
                     thread_ts: str) -> None:
    """The answer started a thread: record it so that the thread finds this incident later."""
    if diagnosis.recorded is not None:
        with session_scope(settings.database_url) as session:
            service.attach_thread(session, occurrence_id=diagnosis.recorded.occurrence_id,
                                  channel=channel, thread_ts=thread_ts)
    elif diagnosis.outbox_key is not None:
        default_outbox().attach_thread(diagnosis.outbox_key, channel=channel,
                                       thread_ts=thread_ts)


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
    elsewhere: bool = False  # asked from outside the incident's channel, by a non-admin


def may_act_on(settings: Settings, incident: Any, *, user: str, channel: str | None,
               thread_ts: str | None) -> bool:
    """Bot admins act on any incident; others from its channel or a thread it was seen in."""
    if user in settings.admins:
        return True
    with session_scope(settings.database_url) as session:
        return service.incident_in_conversation(session, incident, channel=channel,
                                                thread_ts=thread_ts)


def resolve(settings: Settings, *, incident_id: int, user: str, note: str, channel: str | None,
            thread_ts: str | None = None) -> Resolution:
    """Resolve an incident from `channel` (and `thread_ts`), if this person may; two people
    pressing Resolve at once get one resolution."""
    with session_scope(settings.database_url) as session:
        incident = service.get_incident(session, incident_id)
    if incident is None:
        return Resolution(incident_id, resolved=False, missing=True)
    if not may_act_on(settings, incident, user=user, channel=channel, thread_ts=thread_ts):
        log.warning("refused: %s tried to resolve incident #%s from %s", user, incident_id,
                    channel)
        return Resolution(incident_id, resolved=False, elsewhere=True)
    try:
        with session_scope(settings.database_url) as session:
            service.resolve_incident(session, incident_id, user=user, note=sanitize(note),
                                     channel=channel)
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
    if resolution.elsewhere:
        return render_text(t("resolve_elsewhere", lang, id=resolution.incident_id))
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


def incidents_message(client: WebClient, settings: Settings, *, workspace: str, channel: str,
                      everywhere: bool, lang: str) -> Message:
    """This channel's open incidents; `everywhere`: also those of public channels (the others
    are only counted)."""
    hidden = 0
    with session_scope(settings.database_url) as session:
        if everywhere:
            incidents, hidden = service.visible_incidents(
                session, audience_for(client, settings.database_url, workspace=workspace,
                                      channel=channel), workspace=workspace, limit=20)
        else:
            incidents = service.list_incidents(session, workspace=workspace, status="open",
                                               channel=channel, limit=20)
    return render_incidents(incidents, knowledge_base(settings), lang,
                            workspace_scope=everywhere, hidden=hidden)


def publish_home(client: WebClient, settings: Settings, *, workspace: str, user: str) -> None:
    """The Home tab belongs to no channel: public channels' incidents, the rest counted."""
    lang = preferences.user_language(settings.database_url, workspace=workspace, user=user,
                                     default=settings.language)
    with session_scope(settings.database_url) as session:
        incidents, hidden = service.visible_incidents(
            session, audience_for(client, settings.database_url, workspace=workspace,
                                  channel=None), workspace=workspace, limit=50)
    view = render_home(incidents, knowledge_base(settings), lang=lang,
                       default_lang=settings.language, hidden=hidden)
    client.views_publish(user_id=user, view=view)
