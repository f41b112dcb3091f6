"""The Slack Web API client, built one way for the app, the worker and the digest command."""

from __future__ import annotations

import os

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

RATE_LIMIT_RETRIES = 3


def slack_api_url() -> str | None:
    """SLACK_API_URL (a local stand-in in tests), or None for Slack's own."""
    api_url = os.environ.get("SLACK_API_URL", "").strip() or None
    if api_url and not api_url.endswith("/"):
        api_url += "/"  # WebClient joins method names onto it
    return api_url


def make_web_client(token: str, api_url: str | None) -> WebClient:
    """A client that waits out 429s (after Retry-After) and retries a dropped connection once."""
    return WebClient(
        token=token,
        base_url=api_url or WebClient.BASE_URL,
        timeout=30,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1),
                        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)])
