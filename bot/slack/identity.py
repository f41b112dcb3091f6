"""Who the app is in this workspace, as Slack says (auth.test), asked once per process.

The workspace's URL makes message permalinks (bot.slack.permalinks); the bot user's id names the
app in "invite me" hints as Slack shows it (`<@U…>` renders as the app's current display name),
never a name written into the code.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from bot.slack.i18n import t

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppIdentity:
    workspace_url: str | None  # "https://acme.slack.com/"
    bot_user_id: str | None  # "U0BOT…"

    @property
    def mention(self) -> str | None:
        """How a message names the app: Slack renders it as the app's display name."""
        return f"<@{self.bot_user_id}>" if self.bot_user_id else None


UNKNOWN = AppIdentity(None, None)

_lock = threading.Lock()
_known: dict[tuple[str, str], AppIdentity] = {}


def app_identity(client: Any) -> AppIdentity:
    """auth.test's answer for this client's token, cached; UNKNOWN (not cached) when Slack
    cannot say right now: callers then show plain `#id`s and a generic hint."""
    key = (str(getattr(client, "base_url", "")), str(getattr(client, "token", "")))
    with _lock:
        if key in _known:
            return _known[key]
    try:
        answer = client.auth_test()
    except Exception as error:  # links and names are a convenience: never fail a reply
        log.warning("auth.test failed (%s); no permalinks for now", type(error).__name__)
        return UNKNOWN
    url = str(answer.get("url") or "") or None
    if url and not url.endswith("/"):
        url += "/"
    identity = AppIdentity(url, str(answer.get("user_id") or "") or None)
    with _lock:
        _known[key] = identity
    return identity


def app_name(client: Any, lang: str) -> str:
    """The app as a message should name it: a mention Slack renders as its current name, or
    "this app" while Slack cannot say who it is."""
    return app_identity(client).mention or t("this_app", lang)
