"""Failures inside the app: a short apology with a reference id for the user, the trace for us.

Bolt hands errors of acknowledging listeners to `app.error`, but it only logs (and swallows)
errors of lazy listeners, so those run inside `apologize_on_error`.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.slack.render import render_apology

log = logging.getLogger("bot.slack")


def new_reference() -> str:
    return uuid.uuid4().hex[:8]


def report(error: BaseException, *, body: dict[str, Any], client: WebClient | None,
           respond: Callable[..., Any] | None, lang: str) -> str:
    """Log the trace under a fresh reference id and tell the user, never showing the trace."""
    reference = new_reference()
    log.error("ref=%s failed handling a %s request: %s", reference, body.get("type")
              or ("slash_command" if "command" in body else "?"), error, exc_info=error,
              extra={"reference": reference})  # a field of its own in JSON logs
    message = render_apology(reference, lang)
    try:
        _tell_user(body, client, respond, message.as_kwargs())
    except Exception:  # the user cannot be told (Slack down, channel gone): the log must do
        log.exception("ref=%s could not send the apology", reference)
    return reference


def _tell_user(body: dict[str, Any], client: WebClient | None,
               respond: Callable[..., Any] | None, message: dict[str, Any]) -> None:
    event = body.get("event") or {}
    if event and client is not None and event.get("channel"):
        # A mention or watched message: apologise in the thread the answer would have gone to.
        client.chat_postMessage(channel=event["channel"],
                                thread_ts=event.get("thread_ts") or event.get("ts"), **message)
        return
    if respond is not None and body.get("response_url"):  # commands and message buttons
        respond(response_type="ephemeral", replace_original=False, **message)
        return
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if client is None or not user:
        return
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, **message)
    else:  # a modal or the Home tab: a direct message is the only place left
        client.chat_postMessage(channel=user, **message)


def apologize_on_error(lang_of: Callable[[dict[str, Any]], str]) -> Callable[..., Any]:
    """Wrap a lazy listener: any exception becomes an apology with a reference id.

    Bolt injects arguments by the wrapped function's own parameter names (it unwraps), so the
    wrapped function must declare `body`, `client` and `respond`. `lang_of(body)` picks the
    apology's language and must not fail itself.
    """

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def guarded(**kwargs: Any) -> None:
            try:
                function(**kwargs)
            except Exception as error:
                body = kwargs.get("body") or {}
                report(error, body=body, client=kwargs.get("client"),
                       respond=kwargs.get("respond"), lang=lang_of(body))

        return guarded

    return decorate
