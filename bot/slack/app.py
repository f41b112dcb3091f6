"""Build the Bolt app: client, error handling, event de-duplication and every listener."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.slack import dedup, errors
from bot.slack.config import Settings
from bot.slack.listeners import build_subcommands, register_all
from bot.slack.listeners._common import safe_language
from bot.slack.web_api import make_web_client

log = logging.getLogger("bot.slack")

NOT_INSTALLED = "troubleshoot-bot is not installed in this workspace."
VERIFIED = "troubleshoot_request_verified"  # set in the context once Bolt's checks passed
LAZY_WORKERS = 16  # matching, SQL and Web API calls after ack(); a few seconds each at most


def build_app(settings: Settings) -> App:
    """The Bolt app, with signature verification and the stale-timestamp check left on.

    process_before_response=True: each listener's ack() function runs in the request's own
    thread and the HTTP answer goes out as soon as it returns. With Bolt's default (False) the
    ack functions queue in the same thread pool as lazy listeners, so a burst of slow
    diagnoses could hold acknowledgements past Slack's 3 seconds.
    """
    app = App(
        name="troubleshoot-bot",
        token=settings.bot_token,
        signing_secret=settings.signing_secret,
        client=make_web_client(settings.bot_token, settings.api_url),
        process_before_response=True,
        # Not auth.test here: Bolt would raise and `serve` would exit while Slack is down. The
        # server checks in the background instead (bot.slack.health.SlackConnection) and Bolt
        # calls auth.test itself on the first request.
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=LAZY_WORKERS,
                                             thread_name_prefix="slack-lazy"),
    )
    lang_of = safe_language(settings)

    @app.error
    def handle_error(error: Exception, body: dict[str, Any], context: BoltContext,
                     client: WebClient, respond: Any) -> BoltResponse | None:
        if not context.get(VERIFIED):
            # Defence in depth (the WSGI door refuses these first): the body of a request
            # that failed or skipped verification is the attacker's, including response_url
            # and the channel to post into. Log it, touch nothing it names.
            log.warning("failed before the request was verified; not replying: %r", error)
            return BoltResponse(status=401, body="")
        errors.report(error, body=body, client=client, respond=respond, lang=lang_of(body))
        return None

    @app.middleware
    def mark_verified(context: BoltContext, next: Any) -> BoltResponse | None:
        # Custom middleware runs after Bolt's built-in chain, so reaching here means the
        # signature (HTTP) or the app-level token's websocket (Socket Mode) vouched for it.
        context[VERIFIED] = True
        return next()

    @app.middleware
    def refuse_other_teams(body: dict[str, Any], context: BoltContext,
                           next: Any) -> BoltResponse | None:
        # A verified request can still come from a workspace this app was not installed for
        # (an app distributed to several, a Slack Connect guest). Registered before the
        # de-duplication, so that such a request writes nothing, not even its event id.
        installed = context.authorize_result.team_id if context.authorize_result else None
        teams = request_teams(body)
        if installed and teams and teams <= {installed}:
            return next()
        log.warning("refused a request from team(s) %s; installed for %s",
                    sorted(teams) or "none", installed or "unknown")
        return BoltResponse(status=200, body=NOT_INSTALLED)

    @app.middleware
    def answer_each_request_once(body: dict[str, Any], next: Any) -> BoltResponse | None:
        # Slack re-sends events it believes were lost, and a signed command or click can be
        # replayed by whoever saw it within the five minutes its timestamp stays valid. The
        # database remembers which were answered, across all replicas (this host's outbox,
        # while the database is away). Only after the signature check (an earlier middleware)
        # may a request write anything.
        key = dedup.request_key(body)
        if key and not dedup.claim_event_without_waiting(settings.database_url, key):
            log.info("%s already handled; ignoring the repeat", key)
            return BoltResponse(status=200, body="")
        return next()

    register_all(app, settings, build_subcommands())
    return app


def request_teams(body: dict[str, Any]) -> set[str]:
    """Every workspace id a request names at its top level: `team_id` (commands, events) and
    `team.id` (actions, views)."""
    team = body.get("team")
    found = {body.get("team_id"), team.get("id") if isinstance(team, dict) else team}
    return {str(value) for value in found if value}

