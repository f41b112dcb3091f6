"""The Slack Web API client, built one way for the app, the worker and the digest command."""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.settings import settings

RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2  # with backoff (0.5 s, 1 s, plus jitter): a blip, not an outage


class TransientServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack_sdk's handler retries 500 and 503; a 502 from Slack's edge is as transient.

    Not 504: the gateway gave up waiting, so Slack may have done the work; callers settle that
    outcome themselves (bot.slack.delivery) instead of posting blindly again.
    """

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return response is not None and response.status_code in (500, 502, 503)


def slack_api_url() -> str | None:
    """SLACK_API_URL (a local stand-in in tests), or None for Slack's own."""
    return settings().slack_api_url


def make_web_client(token: str, api_url: str | None) -> WebClient:
    """A client that waits out 429s (after Retry-After), retries transient 5xx answers with
    backoff, retries once a request that could not be sent, and bounds every call
    (SLACK_API_TIMEOUT_S). A call that timed out is not retried: it may have worked."""
    return WebClient(
        token=token,
        base_url=api_url or WebClient.BASE_URL,
        timeout=settings().slack_api_timeout_s,
        # Only URLError: urllib raises it when the request could not be sent (refused, reset
        # while sending), so Slack never saw it. A connection dropped while waiting for the
        # answer (RemoteDisconnected, a reset then) may follow a post that worked.
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1, error_types=[URLError]),
                        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
                        TransientServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES)])


class SlackNotConfigured(ValueError):
    """No bot token: nothing can be posted."""


def client_from_environment(token: str | None = None) -> WebClient:
    """A WebClient for SLACK_API_URL (Slack's own by default) with SLACK_BOT_TOKEN, for the
    processes that post without a Bolt app: the digest command and the worker."""
    token = token or settings().slack_bot_token
    if not token:
        raise SlackNotConfigured(
            "SLACK_BOT_TOKEN is not set: posting to Slack needs the bot's token (xoxb-...)")
    return make_web_client(token, settings().slack_api_url)
