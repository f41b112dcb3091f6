"""`@bot <paste>` (answer in the thread), `@bot` alone in a thread (diagnose its first message),
and watch mode (errors posted in a watched channel get a suggestion when the match is sure)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.redaction import sanitize
from bot.slack import blocks as bk
from bot.slack import flows, preferences
from bot.slack.config import Settings
from bot.slack.i18n import t
from bot.slack.listeners._common import guarded, language, workspace_of
from bot.slack.render import render_help, render_text
from bot.slack.subcommands import NEAR_MISS_MAX_WORDS, SubcommandRegistry

log = logging.getLogger(__name__)

# Plain messages and messages with files; edits, deletions, joins and bot posts are not pastes.
WATCHED_SUBTYPES = (None, "file_share", "thread_broadcast")


def register(app: App, settings: Settings, subcommands: SubcommandRegistry) -> None:
    def ack_event(ack: Ack) -> None:
        ack()

    @guarded(settings)
    def answer_mention(body: dict[str, Any], client: WebClient, respond: Any,
                       event: dict[str, Any]) -> None:
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        lang = language(settings, body)
        text, skipped = flows.message_text_with_files(client, event)
        if not flows.without_code_fences(text):  # `@bot` alone, or with an empty code block
            text = ""
        if event.get("thread_ts") and (not text or _only_asks(text, subcommands)):
            # `@bot` alone, or with a question ("이거 왜 이래요?", "any idea?"), in the thread
            # of an error: the error is the thread's first message. A question used to get
            # "no error message to diagnose" while the error sat right above it.
            root = flows.thread_root(client, channel, event["thread_ts"])
            root_text, root_skipped = (flows.message_text_with_files(client, root) if root
                                       else ("", []))
            if not text or flows.looks_like_error(root_text):
                text, skipped = root_text, root_skipped
        for name in skipped:  # a file name is the uploader's text: `<!channel>.png` must not ping
            skipped_text = t("file_skipped", lang, name=bk.escape(name))
            client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                    **render_text(skipped_text).as_kwargs())
        if not text:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                    **render_text(t("mention_empty", lang)).as_kwargs())
            return
        if _answer_not_a_paste(client, text, settings=settings, subcommands=subcommands,
                               channel=channel, user=event.get("user"), thread_ts=thread_ts,
                               lang=lang):
            return
        paste = flows.Paste(text=text, workspace=workspace_of(body), user=event.get("user"),
                            channel=channel, source="mention", thread_ts=thread_ts)
        flows.answer_in_thread(client, paste, settings=settings, lang=lang, channel=channel,
                               thread_ts=thread_ts)

    app.event("app_mention")(ack=ack_event, lazy=[answer_mention])

    @guarded(settings)
    def suggest_in_watched_channel(body: dict[str, Any], client: WebClient, respond: Any,
                                   event: dict[str, Any], context: BoltContext) -> None:
        if not is_candidate_for_watch(event, bot_user_id=context.bot_user_id):
            return
        workspace = workspace_of(body)
        if not preferences.channel_watched(settings.database_url, workspace=workspace,
                                           channel=event["channel"]):
            return
        text, _skipped = flows.message_text_with_files(client, event)
        if not flows.looks_like_error(text):
            return
        lang = settings.language  # a suggestion to the whole channel, not to one person
        try:
            result = flows.match_only(text, settings=settings, lang=lang)
        except Exception:  # nobody asked: a bug is logged, never apologised for in the channel
            log.exception("the matcher failed on a watched message in %s", event["channel"])
            return
        if result.answer is None:
            return  # watch mode speaks only when sure; the slash command is there for the rest
        thread_ts = event.get("thread_ts") or event["ts"]
        paste = flows.Paste(text=text, workspace=workspace, user=event.get("user"),
                            channel=event["channel"], source="watch", thread_ts=thread_ts)
        flows.answer_in_thread(client, paste, settings=settings, lang=lang,
                               channel=event["channel"], thread_ts=thread_ts, result=result)

    app.event("message")(ack=ack_event, lazy=[suggest_in_watched_channel])


def _only_asks(text: str, subcommands: SubcommandRegistry) -> bool:
    """Words about an error rather than the error: no error line, and not a command
    (`@bot help` in a thread is still help)."""
    return (not flows.looks_like_error(text)
            and subcommands.parse(text).subcommand is None)


def _answer_not_a_paste(client: WebClient, text: str, *, settings: Settings,
                        subcommands: SubcommandRegistry, channel: str, user: str | None,
                        thread_ts: str, lang: str) -> bool:
    """`@bot help` or `@bot hi`: a command word or a greeting, answered to that person only and
    never recorded. True when so answered. Only a few words count: a long mention that starts
    with a command word (`@bot logs show this: Traceback ...`) is still a paste."""
    words = text.split()
    message = None
    if words and len(words) <= NEAR_MISS_MAX_WORDS and not flows.looks_like_error(text):
        parsed = subcommands.parse(text)
        if parsed.subcommand is not None and parsed.subcommand.name == "help":
            message = render_help(lang, subcommands)
        elif parsed.subcommand is not None:
            # The words are quoted back: redacted, as everything the bot posts.
            message = render_text(t("mention_command", lang,
                                    command=bk.escape(sanitize(text).strip())))
    if message is None and flows.is_chatter(text, settings=settings, lang=lang):
        message = render_text(t("not_an_error", lang))
    if message is None:
        return False
    if user:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                  **message.as_kwargs())
    return True


def is_candidate_for_watch(event: dict[str, Any], *, bot_user_id: str | None) -> bool:
    """A person's new message, not one that mentions the bot (app_mention answers that)."""
    if event.get("subtype") not in WATCHED_SUBTYPES or event.get("bot_id"):
        return False
    user = event.get("user")
    if not user or user == bot_user_id:
        return False
    return not (bot_user_id and f"<@{bot_user_id}" in (event.get("text") or ""))
