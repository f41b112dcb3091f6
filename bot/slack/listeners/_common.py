"""Small helpers the listener modules share: language look-up that cannot fail, the guard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from bot.slack import preferences
from bot.slack.config import Settings
from bot.slack.errors import apologize_on_error
from bot.slack.lanes import Lanes, destination_of
from bot.storage import is_outage, within_deadline

log = logging.getLogger(__name__)

LOOKUP_DEADLINE_S = 3.0  # a preference read; past this the default will do


def workspace_of(body: dict[str, Any]) -> str:
    """The team id, wherever this kind of request keeps it."""
    team = body.get("team_id") or body.get("team") or (body.get("user") or {}).get("team_id")
    if isinstance(team, dict):
        team = team.get("id")
    return str(team or "")


def user_of(body: dict[str, Any]) -> str | None:
    if body.get("user_id"):
        return str(body["user_id"])
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    event = body.get("event") or {}
    return event.get("user")


def language(settings: Settings, body: dict[str, Any]) -> str:
    """The person's language; the workspace default while the database is unavailable."""
    try:
        return within_deadline(settings.database_url, preferences.user_language,
                               settings.database_url, workspace=workspace_of(body),
                               user=user_of(body), default=settings.language,
                               deadline_s=LOOKUP_DEADLINE_S, trip=False)
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("language preference unavailable (%s); using %s", type(error).__name__,
                    settings.language)
        return settings.language


def safe_language(settings: Settings) -> Callable[[dict[str, Any]], str]:
    """For apologies: the database may be the thing that is broken."""

    def lang_of(body: dict[str, Any]) -> str:
        try:
            return language(settings, body)
        except Exception:
            return settings.language

    return lang_of


# One set of lanes per process: every lazy listener shares it.
lanes = Lanes()


def guarded(settings: Settings) -> Callable[..., Any]:
    """A lazy listener that apologises on error and runs in its destination's lane."""
    apologizing = apologize_on_error(safe_language(settings))

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        guarded_function = apologizing(function)

        @functools.wraps(function)  # Bolt reads the parameters of the original function
        def in_lane(**kwargs: Any) -> None:
            lanes.run(destination_of(kwargs.get("body") or {}),
                      lambda: guarded_function(**kwargs))

        return in_lane

    return decorate
