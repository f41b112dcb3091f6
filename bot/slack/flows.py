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
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.answers import Answer, AnswerContext, answer, attach_thread
from bot.incidents import service
from bot.incidents.audience import Audience
from bot.knowledge.model import KnowledgeBase
from bot.logs.policy import channel_may_fetch
from bot.matching.extraction import has_error_line
from bot.matching.matcher import Matcher
from bot.matching.result import MatchResult
from bot.matching.tokens import background_weight, words
from bot.redaction import sanitize
from bot.slack import preferences
from bot.slack.cards import with_owner, with_reopened, with_resolution
from bot.slack.config import Settings
from bot.slack.delivery import find_message, post_message, update_message
from bot.slack.files import read_attached_files
from bot.slack.i18n import t
from bot.slack.identity import app_name
from bot.slack.permalinks import answer_links, links_for
from bot.slack.privacy import OUTSIDER, audience_for, member_of
from bot.slack.render import (
    Message,
    render_answer,
    render_card,
    render_home,
    render_incidents,
    render_progress,
    render_text,
    with_feedback,
)
from bot.storage import session_scope
from bot.teaching.live import current_matcher

log = logging.getLogger(__name__)

PROGRESS_ABOVE_CHARS = 5_000  # bigger pastes get a "reading…" message that the answer replaces
UPLOAD_PASTE_ABOVE_CHARS = 2_500  # slash-command pastes the channel cannot see, kept as a file
# "test", "hello", "is this thing on": how people check that a new bot is alive. An error that
# short is one word or code the matcher knows (`OOMKilled`, `CrashLoopBackOff`).
CHATTER_MAX_WORDS = 5

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

    def context(self, *, lang: str, audience: Audience) -> AnswerContext:
        return AnswerContext(workspace=self.workspace, source=self.source, language=lang,
                             user=self.user, channel=self.channel, thread_ts=self.thread_ts,
                             audience=audience)


# ----- reading what people wrote

def clean_slack_text(text: str) -> str:
    """Slack's message markup back to what was pasted: mentions out, links unwrapped, &lt; → <."""
    text = _USER_MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()


def without_code_fences(text: str) -> str:
    """What is inside a message's code blocks and around them, without the ``` fences: for
    asking whether anything was pasted at all, and whether it is more than a few words. Slack's
    composer opens a code block before anything is pasted into it, so an empty one (```\n```)
    is an empty message, and a greeting in one is still a greeting. The paste itself keeps its
    fences: only these decisions read the text without them."""
    return text.replace("```", " ").strip()


def looks_like_error(text: str) -> bool:
    """Watch mode's filter: chatter never reaches the matcher or the database. The same test of
    an error line as the matcher's (bot.matching.error_lines)."""
    return has_error_line(text)


def names_nothing(text: str) -> bool:
    """Every word is one any error message has ("error", "failed", "an", "occurred": words with
    a fixed, low weight): the extractor sees an error line, but there is nothing to look up.
    A number ("500 error", "error 137") or a name ("ImportError", "crash") is something."""
    found = words(text)
    return bool(found) and all(word.isalpha() and background_weight(word) is not None
                               for word in found)


def is_chatter(text: str, *, settings: Settings, lang: str) -> bool:
    """A few words on one line with no error line in them that the knowledge base cannot place
    even as a likely answer: someone checking that the bot is alive, not an error. Answering it
    would post "no known fix" to the whole channel and record an incident that the digest then
    lists as an error the knowledge base does not know."""
    stripped = without_code_fences(text)
    if not stripped or "\n" in stripped or len(stripped.split()) > CHATTER_MAX_WORDS:
        return False
    if has_error_line(stripped) and not names_nothing(stripped):
        return False
    result = match_only(stripped, settings=settings, lang=lang)
    return result.answer is None and result.likely is None


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


def diagnose(client: WebClient, paste: Paste, *, settings: Settings, lang: str,
             audience: Audience, result: MatchResult | None = None, card: bool = False
             ) -> tuple[Answer, Message]:
    """The answer to a paste (bot.answers) and its Slack message: the full answer, or with
    `card` the compact card a channel sees (bot.slack.cards).

    Similar incidents are those `audience` (the answer's channel) may see, and so are the
    threads its incident numbers link to. A database outage costs the history, not the answer:
    the message says that history is unavailable.
    """
    matcher = matcher_for(settings)
    answered = answer(paste.text, paste.context(lang=lang, audience=audience),
                      database_url=settings.database_url, matcher=matcher, result=result)
    metrics.count_answer(answered.tier)
    render = render_card if card else render_answer
    message = render(answered, matcher.kb, user=paste.user if paste.source == "slash" else None,
                     logs_offered=channel_may_fetch(paste.channel),
                     links=answer_links(client, settings.database_url, answered))
    return answered, message


def match_only(text: str, *, settings: Settings, lang: str) -> MatchResult:
    # The matcher sanitizes the whole paste itself before it bounds its own work.
    return matcher_for(settings).match(text, top=3, lang=lang)


# ----- delivering

def answer_in_thread(client: WebClient, paste: Paste, *, settings: Settings, lang: str,
                     channel: str, thread_ts: str | None,
                     respond: Callable[..., Any] | None = None,
                     result: MatchResult | None = None) -> Answer:
    """Diagnose and post the answer in `thread_ts`; with None, as a compact card in the
    channel whose first thread reply is the full answer (a thread already is a place to read:
    there the full answer comes at once).

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
        answered, message = diagnose(client, paste, settings=settings, lang=lang, audience=audience,
                                     result=result, card=thread_ts is None)
    except Exception:
        if progress_ts:  # no "Reading…" left hanging above the apology
            with contextlib.suppress(SlackApiError):
                client.chat_delete(channel=channel, ts=progress_ts)
        raise
    if progress_ts:
        update_message(client, channel, progress_ts, thread_ts, message)
        answer_ts: str | None = progress_ts
    else:
        answer_ts = post_message(client, channel, thread_ts, message,
                                 tolerate_not_member=respond is not None)
    matcher = matcher_for(settings)
    if answer_ts is None and respond is not None:
        # No thread to put the details in: the full answer, once. What to do about it goes to
        # the person who asked, on its own: not as a line under the answer's buttons.
        full = render_answer(answered, matcher.kb, user=paste.user,
                             logs_offered=channel_may_fetch(paste.channel),
                             links=answer_links(client, settings.database_url, answered))
        respond(response_type="in_channel", **full.as_kwargs())
        respond(response_type="ephemeral", replace_original=False, **render_text(
            t("not_in_channel", lang, app=app_name(client, lang))).as_kwargs())
        return answered
    # The answer is out: what follows is extra, and its failure is logged, never apologised
    # for (an apology under an answer reads as if the answer were wrong).
    try:
        if thread_ts is None and answer_ts is not None:
            # The card's thread is the incident's first: attached before the reply, so that
            # a mention or a click in it already finds the incident.
            attach_thread(settings.database_url, incident=answered.incident,
                          outbox_key=answered.outbox_key, channel=channel, thread_ts=answer_ts)
            # Linked now that the card's own thread is known.
            post_message(client, channel, answer_ts, render_answer(
                answered, matcher.kb, logs_offered=channel_may_fetch(paste.channel),
                on_card=True, links=answer_links(client, settings.database_url, answered)),
                tolerate_not_member=False)
        if paste.source == "slash" and len(paste.text) > UPLOAD_PASTE_ABOVE_CHARS:
            upload_text(client, channel=channel, thread_ts=thread_ts or answer_ts,
                        content=paste.text, filename="error.txt",
                        title=t("paste_file_title", lang),
                        comment=t("paste_file_comment", lang))
    except Exception:
        log.exception("the answer in %s was posted; a follow-up step failed", channel)
    return answered


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
                  helpful: bool, lang: str) -> None:
    blocks = with_feedback(message.get("blocks") or [], user=user, helpful=helpful, lang=lang)
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


def _refusal(settings: Settings, *, incident_id: int, user: str, channel: str | None,
             thread_ts: str | None, action: str) -> str | None:
    """Why this person may not `action` the incident from here: "missing" (no such incident)
    or "elsewhere" (see may_act_on); None when they may. Resolve and reopen share the rule."""
    with session_scope(settings.database_url) as session:
        incident = service.get_incident(session, incident_id)
    if incident is None:
        return "missing"
    if not may_act_on(settings, incident, user=user, channel=channel, thread_ts=thread_ts):
        log.warning("refused: %s tried to %s incident #%s from %s", user, action, incident_id,
                    channel)
        return "elsewhere"
    return None


def resolve(settings: Settings, *, incident_id: int, user: str, note: str, channel: str | None,
            thread_ts: str | None = None) -> Resolution:
    """Resolve an incident from `channel` (and `thread_ts`), if this person may; two people
    pressing Resolve at once get one resolution."""
    if refused := _refusal(settings, incident_id=incident_id, user=user, channel=channel,
                           thread_ts=thread_ts, action="resolve"):
        return Resolution(incident_id, resolved=False, **{refused: True})
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


@dataclass(frozen=True)
class Reopening:
    """What came of a request to reopen an incident."""

    incident_id: int
    reopened: bool
    missing: bool = False
    elsewhere: bool = False
    still_open: bool = False
    open_as: int | None = None  # the same problem is open as this newer incident
    open_elsewhere: bool = False  # ... as one its reader may not see (not named)


def reopen(settings: Settings, *, incident_id: int, user: str, channel: str | None,
           audience: Audience, thread_ts: str | None = None) -> Reopening:
    """Reopen a resolved incident, under the same rule as resolving it (may_act_on). A
    refusal names the newer open incident only when `audience` (who reads the refusal) may
    see it: its number would tell a public channel what a private one is working on."""
    if refused := _refusal(settings, incident_id=incident_id, user=user, channel=channel,
                           thread_ts=thread_ts, action="reopen"):
        return Reopening(incident_id, reopened=False, **{refused: True})
    try:
        with session_scope(settings.database_url) as session:
            service.reopen_incident(session, incident_id)
    except service.IncidentNotFound:
        return Reopening(incident_id, reopened=False, missing=True)
    except service.IncidentStillOpen:
        return Reopening(incident_id, reopened=False, still_open=True)
    except service.ReopenConflict as conflict:
        if _may_see(settings, audience, conflict.other_id):
            return Reopening(incident_id, reopened=False, open_as=conflict.other_id)
        return Reopening(incident_id, reopened=False, open_elsewhere=True)
    log.info("incident #%s reopened by %s", incident_id, user)
    return Reopening(incident_id, reopened=True)


def _may_see(settings: Settings, audience: Audience, incident_id: int) -> bool:
    """Whether `audience` may see incident `incident_id`: as lists decide, by its channel."""
    with session_scope(settings.database_url) as session:
        incident = service.get_incident(session, incident_id)
        where = incident.channel if incident is not None else None
    return where is not None and where in audience.visible({where})


def reopen_refusal(reopening: Reopening, lang: str) -> Message:
    """Why an incident was not reopened, for the person who asked."""
    if reopening.missing:
        return render_text(t("resolve_not_found", lang, id=reopening.incident_id))
    if reopening.elsewhere:
        return render_text(t("resolve_elsewhere", lang, id=reopening.incident_id))
    if reopening.open_as is not None:
        return render_text(t("reopen_conflict", lang, id=reopening.incident_id,
                             other=reopening.open_as))
    if reopening.open_elsewhere:
        return render_text(t("reopen_conflict_elsewhere", lang, id=reopening.incident_id))
    return render_text(t("reopen_not_resolved", lang, id=reopening.incident_id))


def show_reopened(client: WebClient, *, channel: str, message: dict[str, Any], user: str,
                  settings: Settings, lang: str) -> None:
    """The answer open again: steps back, Resolve instead of Reopen."""
    blocks = with_reopened(message.get("blocks") or [], knowledge_base(settings), user=user,
                           lang=lang)
    client.chat_update(channel=channel, ts=message["ts"], text=message.get("text") or "-",
                       blocks=blocks)


@dataclass(frozen=True)
class Ownership:
    """What came of "I'm on it"."""

    incident_id: int
    taken: bool
    missing: bool = False
    elsewhere: bool = False
    not_open: bool = False


def take_ownership(settings: Settings, *, incident_id: int, user: str, channel: str | None,
                   thread_ts: str | None = None) -> Ownership:
    """`user` is on the incident, if they may act on it from here (the rule of Resolve)."""
    if refused := _refusal(settings, incident_id=incident_id, user=user, channel=channel,
                           thread_ts=thread_ts, action="take on"):
        return Ownership(incident_id, taken=False, **{refused: True})
    try:
        with session_scope(settings.database_url) as session:
            service.take_ownership(session, incident_id, user=user)
    except service.IncidentNotFound:
        return Ownership(incident_id, taken=False, missing=True)
    except service.IncidentNotOpen:
        return Ownership(incident_id, taken=False, not_open=True)
    log.info("incident #%s taken on by %s", incident_id, user)
    return Ownership(incident_id, taken=True)


def ownership_refusal(ownership: Ownership, lang: str) -> Message:
    """Why "I'm on it" did not make this person the owner, for them only."""
    if ownership.missing:
        return render_text(t("resolve_not_found", lang, id=ownership.incident_id))
    if ownership.elsewhere:
        return render_text(t("resolve_elsewhere", lang, id=ownership.incident_id))
    return render_text(t("owner_not_open", lang, id=ownership.incident_id))


def show_owner(client: WebClient, *, channel: str, message: dict[str, Any], user: str,
               lang: str) -> None:
    """The answer's state line names its owner."""
    blocks = with_owner(message.get("blocks") or [], user=user, lang=lang)
    client.chat_update(channel=channel, ts=message["ts"], text=message.get("text") or "-",
                       blocks=blocks)


def incident_thread(settings: Settings, incident_id: int) -> tuple[str, str] | None:
    """(channel, thread ts) where the incident is discussed: its first card's thread."""
    with session_scope(settings.database_url) as session:
        return service.incident_threads(session, [incident_id]).get(incident_id)


@dataclass(frozen=True)
class IncidentCards:
    """Where an incident's cards are: its channel, and the card of each thread there (the
    first card, then each repeat's), read in one go."""

    channel: str | None
    stamps: tuple[str, ...]


def incident_cards(settings: Settings, incident_id: int) -> IncidentCards:
    with session_scope(settings.database_url) as session:
        incident = service.get_incident(session, incident_id)
        if incident is None or not incident.channel:
            return IncidentCards(None, ())
        stamps = service.threads_in_channel(session, incident_id, channel=incident.channel)
        first = [incident.thread_ts] if incident.thread_ts else []
        return IncidentCards(incident.channel, tuple(dict.fromkeys([*first, *stamps])))


def update_cards(client: WebClient, settings: Settings, *, incident_id: int,
                 change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
                 skip: frozenset[str] = frozenset(), only_from: str | None = None,
                 cards: IncidentCards | None = None) -> bool:
    """Apply `change` to every card of the incident in its channel (the first, and the card
    each repeat got), but those in `skip` (the clicked one, already updated): a repeat's card
    left saying "Open" with a Resolve button invited a second resolution. Cards in other
    channels are left alone: a resolution note may not be theirs to show. False when there is
    no card of ours to update. `only_from`: do it only when the change was made in the
    incident's own channel (a note written elsewhere, perhaps in a private channel, stays
    there). `cards`: where they are, when the caller has read it already."""
    cards = cards or incident_cards(settings, incident_id)
    channel = cards.channel
    if not channel or only_from not in (None, channel):
        return False
    updated = False
    for card_ts in cards.stamps:
        if card_ts in skip:
            continue
        try:
            message = find_message(client, channel=channel, ts=card_ts, thread_ts=None)
            if message is None or not any(block.get("block_id") == f"state:{incident_id}"
                                                for block in message.get("blocks") or []):
                continue  # the thread was started by a person's message, not by our card
            client.chat_update(channel=channel, ts=card_ts, text=message.get("text") or "-",
                               blocks=change(message["blocks"]))
            updated = True
        except SlackApiError:
            log.warning("could not update card %s of #%s", card_ts, incident_id, exc_info=True)
    return updated


def show_resolution_on_card(client: WebClient, settings: Settings, *, incident_id: int,
                            user: str, note: str, lang: str, workspace: str = "",
                            written_in: str | None = None,
                            skip: frozenset[str] = frozenset(),
                            only_from: str | None = None) -> bool:
    """After a resolution (`/troubleshoot resolve`, or the modal): the incident's cards show
    it too (update_cards).

    A note written in a channel the cards' readers may not see (an admin resolving a public
    incident from a private channel) stays there: the cards say it is resolved, not how."""
    cards = incident_cards(settings, incident_id)  # one read: for the audience and the update
    channel = cards.channel
    if written_in and channel and written_in != channel and written_in not in audience_for(
            client, settings.database_url, workspace=workspace, channel=channel).visible(
            {written_in}):
        note = ""
    return update_cards(client, settings, incident_id=incident_id, skip=skip,
                        only_from=only_from, cards=cards,
                        change=lambda blocks: with_resolution(blocks, user=user, note=note,
                                                              lang=lang))


def show_reopened_on_cards(client: WebClient, settings: Settings, *, incident_id: int,
                           user: str, lang: str, channel: str | None,
                           skip: frozenset[str]) -> bool:
    """After Reopen on one card: the incident's other cards are open again too."""
    kb = knowledge_base(settings)
    return update_cards(client, settings, incident_id=incident_id, skip=skip,
                        only_from=channel,
                        change=lambda blocks: with_reopened(blocks, kb, user=user, lang=lang))


def incidents_message(client: WebClient, settings: Settings, *, workspace: str, channel: str,
                      everywhere: bool, lang: str) -> Message:
    """This channel's open incidents; `everywhere`: also those of public channels (the others
    are only counted)."""
    audience = audience_for(client, settings.database_url, workspace=workspace, channel=channel)
    with session_scope(settings.database_url) as session:
        # This channel's own incidents are all visible here, so nothing is hidden: only the
        # order and the dates follow what this channel may see.
        incidents, hidden = service.visible_incidents(
            session, audience, workspace=workspace, channel=None if everywhere else channel,
            limit=20)
    links = links_for(client, settings.database_url, audience=audience,
                      incident_ids=[incident.id for incident in incidents])
    return render_incidents(incidents, knowledge_base(settings), lang,
                            workspace_scope=everywhere, hidden=hidden, links=links)


def publish_home(client: WebClient, settings: Settings, *, workspace: str, user: str) -> None:
    """The Home tab belongs to no channel: public channels' incidents, the rest counted. Public
    to this workspace's members: to anyone else (Slack Connect), every incident is counted."""
    lang = preferences.user_language(settings.database_url, workspace=workspace, user=user,
                                     default=settings.language)
    audience = (audience_for(client, settings.database_url, workspace=workspace, channel=None)
                if member_of(client, workspace, user) else OUTSIDER)
    with session_scope(settings.database_url) as session:
        incidents, hidden = service.visible_incidents(session, audience, workspace=workspace,
                                                      limit=50)
    links = links_for(client, settings.database_url, audience=audience,
                      incident_ids=[incident.id for incident in incidents])
    view = render_home(incidents, knowledge_base(settings), lang=lang,
                       default_lang=settings.language, hidden=hidden, links=links)
    client.views_publish(user_id=user, view=view)
