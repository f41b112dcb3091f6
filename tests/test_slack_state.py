"""The Slack app's own rows: event de-duplication and preferences, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.chat.models import ChannelSetting
from bot.slack import preferences
from bot.slack.dedup import claim_event
from bot.storage import session_scope


def test_an_event_id_is_claimed_once_even_by_concurrent_replicas(
        migrated_database_url: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(pool.map(lambda _: claim_event(migrated_database_url, "Ev0SAME"),
                               range(8)))
    assert claims.count(True) == 1
    assert claim_event(migrated_database_url, "Ev0OTHER") is True
    assert claim_event(migrated_database_url, "Ev0OTHER") is False


def test_language_and_watch_preferences(migrated_database_url: str) -> None:
    url = migrated_database_url
    assert preferences.user_language(url, workspace="T1", user="U1", default="ko") == "ko"
    preferences.set_user_language(url, workspace="T1", user="U1", language="en")
    assert preferences.user_language(url, workspace="T1", user="U1", default="ko") == "en"
    assert preferences.user_language(url, workspace="T2", user="U1", default="ko") == "ko"
    preferences.set_user_language(url, workspace="T1", user="U1", language="ko")
    assert preferences.user_language(url, workspace="T1", user="U1", default="en") == "ko"

    assert not preferences.channel_watched(url, workspace="T1", channel="C1")
    preferences.set_channel_watch(url, workspace="T1", channel="C1", watch=True, user="UON")
    assert preferences.channel_watched(url, workspace="T1", channel="C1")
    preferences.set_channel_watch(url, workspace="T1", channel="C1", watch=False, user="UOFF")
    assert not preferences.channel_watched(url, workspace="T1", channel="C1")
    with session_scope(url) as session:  # who changed it last, and when
        setting = session.get(ChannelSetting, ("T1", "C1"))
        assert setting is not None and setting.updated_by == "UOFF"
        assert setting.updated_at is not None
