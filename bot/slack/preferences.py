"""Per-user language and per-channel watch mode, stored in user_settings / channel_settings."""

from __future__ import annotations

from bot.db import session_scope
from bot.incidents.models import ChannelSetting, UserSetting, utcnow
from bot.slack.i18n import normalize_language


def user_language(database_url: str, *, workspace: str, user: str | None, default: str) -> str:
    """The user's own choice (`/troubleshoot lang`), else the workspace default."""
    if not user:
        return default
    with session_scope(database_url) as session:
        setting = session.get(UserSetting, (workspace, user))
        return normalize_language(setting.language if setting else None, default)


def set_user_language(database_url: str, *, workspace: str, user: str, language: str) -> None:
    _save(database_url, UserSetting(workspace=workspace, user=user, language=language))


def channel_watched(database_url: str, *, workspace: str, channel: str) -> bool:
    with session_scope(database_url) as session:
        setting = session.get(ChannelSetting, (workspace, channel))
        return bool(setting and setting.watch)


def set_channel_watch(database_url: str, *, workspace: str, channel: str, watch: bool,
                      user: str) -> None:
    """Turn watch mode on or off, recording who did it and when."""
    _save(database_url, ChannelSetting(workspace=workspace, channel=channel, watch=watch,
                                       updated_by=user, updated_at=utcnow()))


def _save(database_url: str, setting: UserSetting | ChannelSetting) -> None:
    """Insert the setting, or update the row with its primary key (merge: get, then add or set)."""
    with session_scope(database_url) as session:
        session.merge(setting)
