"""Build the Bolt app: client, error handling, event de-duplication and every listener."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.slack import dedup, errors
from bot.slack.config import Settings
from bot.slack.listeners import register_all
from bot.slack.listeners._common import safe_language
from bot.slack.web_api import make_web_client

log = logging.getLogger("bot.slack")

NOT_INSTALLED = "troubleshoot-bot is not installed in this workspace."
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
        listener_executor=ThreadPoolExecutor(max_workers=LAZY_WORKERS,
                                             thread_name_prefix="slack-lazy"),
    )
    lang_of = safe_language(settings)

    @app.error
    def handle_error(error: Exception, body: dict[str, Any], client: WebClient,
                     respond: Any) -> BoltResponse | None:
        errors.report(error, body=body, client=client, respond=respond, lang=lang_of(body))
        return None

    @app.middleware
    def refuse_other_teams(body: dict[str, Any], context: BoltContext,
                           next: Any) -> BoltResponse | None:
        # A verified request can still come from a workspace this app was not installed for
        # (an app distributed to several, a Slack Connect guest). Registered first, so that
        # such a request writes nothing, not even its event id.
        installed = context.authorize_result.team_id if context.authorize_result else None
        teams = request_teams(body)
        if installed and teams and teams <= {installed}:
            return next()
        log.warning("refused a request from team(s) %s; installed for %s",
                    sorted(teams) or "none", installed or "unknown")
        return BoltResponse(status=200, body=NOT_INSTALLED)

    @app.middleware
    def skip_retried_events(body: dict[str, Any], next: Any) -> BoltResponse | None:
        # Slack re-sends events it believes were lost; the database remembers which event ids
        # were answered, across all replicas (this host's outbox, while the database is away).
        # Only after the signature check (an earlier middleware) may a request write anything.
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not dedup.claim_event_without_waiting(settings.database_url, event_id):
            log.info("event %s already handled; ignoring the retry", event_id)
            return BoltResponse(status=200, body="")
        return next()

    register_all(app, settings)
    _register_domain_handlers(app)
    return app


def request_teams(body: dict[str, Any]) -> set[str]:
    """Every workspace id a request names at its top level: `team_id` (commands, events) and
    `team.id` (actions, views)."""
    team = body.get("team")
    found = {body.get("team_id"), team.get("id") if isinstance(team, dict) else team}
    return {str(value) for value in found if value}


def _register_domain_handlers(app: App) -> None:
    # Importing these registers their sub-commands (logs, digest) in bot.slack.subcommands.
    from bot.digest import slack_handlers as digest_handlers
    from bot.logs import slack_handlers as logs_handlers

    logs_handlers.register(app)
    digest_handlers.register(app)
