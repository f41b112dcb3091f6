"""Who the app is in this workspace, as the chat client says (Slack's auth.test), asked once per
process and client.

The workspace's URL makes message permalinks (bot.chat.permalinks); the bot user's id names the
app in "invite me" hints as Slack shows it (`<@U…>` renders as the app's current display name),
never a name written into the code. Domains that post through a client they are handed (the
digest, the deployments watch) use it as the Slack layer does.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

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
# After a failed look-up, answers go without links for this long instead of each one asking
# (and, while Slack is slow, waiting) again.
RETRY_AFTER_FAILURE_S = 60.0

_lock = threading.Lock()
_known: dict[tuple[str, str], AppIdentity] = {}
_failed_at: dict[tuple[str, str], float] = {}


def app_identity(client: Any) -> AppIdentity:
    """auth.test's answer for this client's token, cached for the process; UNKNOWN when Slack
    cannot say right now (asked again a minute later): callers then show plain `#id`s and a
    generic hint."""
    key = (str(getattr(client, "base_url", "")), str(getattr(client, "token", "")))
    with _lock:
        if key in _known:
            return _known[key]
        failed = _failed_at.get(key)
        if failed is not None and time.monotonic() - failed < RETRY_AFTER_FAILURE_S:
            return UNKNOWN
    try:
        answer = client.auth_test()
    except Exception as error:  # links and names are a convenience: never fail a reply
        log.warning("auth.test failed (%s); no permalinks for now", type(error).__name__)
        with _lock:
            _failed_at[key] = time.monotonic()
        return UNKNOWN
    url = str(answer.get("url") or "") or None
    if url and not url.endswith("/"):
        url += "/"
    identity = AppIdentity(url, str(answer.get("user_id") or "") or None)
    with _lock:
        _known[key] = identity
        _failed_at.pop(key, None)
    return identity
