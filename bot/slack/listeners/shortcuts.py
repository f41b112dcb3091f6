"""The message shortcut "Diagnose this error" (이 오류 진단): any message, a person's or an alert
another bot posted, diagnosed in that message's own thread through the same answer service as a
paste (bot.answers). Alerts keep their error in attachments or blocks as often as in their text:
all of it is read (bot.slack.message_text).

Callback id `diagnose_message` (docs/slack-app-manifest.yml, `features.shortcuts`).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import flows
from bot.slack.config import Settings
from bot.slack.i18n import t
from bot.slack.listeners._common import guarded, language, user_of, workspace_of
from bot.slack.message_text import shown_parts
from bot.slack.render import render_text

SHORTCUT_DIAGNOSE = "diagnose_message"


def register(app: App, settings: Settings) -> None:
    def ack_shortcut(ack: Ack) -> None:
        ack()  # within 3 s; reading files and matching run after

    @guarded(settings)
    def diagnose_message(body: dict[str, Any], client: WebClient, respond: Any,
                         context: BoltContext) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or ""
        lang = language(settings, body)

        def tell(key: str) -> None:  # only the person who used the shortcut
            respond(response_type="ephemeral", **render_text(t(key, lang)).as_kwargs())

        if context.bot_user_id and message.get("user") == context.bot_user_id:
            tell("shortcut_own_message")
            return
        text, _skipped = flows.message_text_with_files(
            client, {**message, "text": "\n".join(shown_parts(message))})
        if not flows.without_code_fences(text):
            tell("shortcut_no_text")
            return
        if flows.is_chatter(text, settings=settings, lang=lang):
            # "배포가 안 돼요 ㅠㅠ" asks for help but names no error: as for a paste or a mention,
            # no "no known fix" in the thread and no incident for the digest to list.
            tell("shortcut_no_error")
            return
        thread_ts = message.get("thread_ts") or message.get("ts") or body.get("message_ts")
        paste = flows.Paste(text=text, workspace=workspace_of(body), user=user_of(body),
                            channel=channel, source="shortcut", thread_ts=thread_ts)
        flows.answer_in_thread(client, paste, settings=settings, lang=lang, channel=channel,
                               thread_ts=thread_ts, respond=respond)

    app.shortcut(SHORTCUT_DIAGNOSE)(ack=ack_shortcut, lazy=[diagnose_message])
