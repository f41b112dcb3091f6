"""Per-user language and per-channel watch mode, stored in user_settings / channel_settings."""

from __future__ import annotations

from bot.chat.models import ChannelSetting, UserSetting
from bot.slack.i18n import normalize_language
from bot.storage import is_outage, session_scope, utcnow, within_deadline


def user_language(database_url: str, *, workspace: str, user: str | None, default: str) -> str:
    """The user's own choice (`/troubleshoot lang`), else the workspace default."""
    if not user:
        return default
    with session_scope(database_url) as session:
        setting = session.get(UserSetting, (workspace, user))
        return normalize_language(setting.language if setting else None, default)


def set_user_language(database_url: str, *, workspace: str, user: str, language: str) -> None:
    _save(database_url, UserSetting(workspace=workspace, user=user, language=language))


# The last watch setting this process read per channel: watch mode keeps working from it while
# the database is unavailable (an unknown channel counts as not watched).
_last_known_watch: dict[tuple[str, str], bool] = {}


def channel_watched(database_url: str, *, workspace: str, channel: str,
                    deadline_s: float = 3.0) -> bool:
    def read() -> bool:
        with session_scope(database_url) as session:
            setting = session.get(ChannelSetting, (workspace, channel))
            return bool(setting and setting.watch)

    try:
        watched = within_deadline(database_url, read, deadline_s=deadline_s, trip=False)
    except Exception as error:
        if not is_outage(error):
            raise
        return _last_known_watch.get((workspace, channel), False)
    _last_known_watch[(workspace, channel)] = watched
    return watched


def set_channel_watch(database_url: str, *, workspace: str, channel: str, watch: bool,
                      user: str) -> None:
    """Turn watch mode on or off, recording who did it and when."""
    _save(database_url, ChannelSetting(workspace=workspace, channel=channel, watch=watch,
                                       updated_by=user, updated_at=utcnow()))


def _save(database_url: str, setting: UserSetting | ChannelSetting) -> None:
    """Insert the setting, or update the row with its primary key (merge: get, then add or set)."""
    with session_scope(database_url) as session:
        session.merge(setting)
