"""What a subscription asks for (`digest subscribe 월요일 9시 워크스페이스`), and what a digest
with a scope covers on seeded history: the workspace's public channels and its own, never another
channel's private incidents."""

from __future__ import annotations

import pytest

from bot.digest.posting import ChannelDigestSettings, digest_for
from bot.digest.schedule import Schedule, TimeError, parse_time_of_day, split_schedule_words
from bot.digest.scope import LISTED, THIS_CHANNEL, WORKSPACE, DigestScope, channel_of
from bot.digest.subscriptions import SubscribeError, parse_subscription
from bot.storage import engine_for
from tests.test_digest_figures import HTTP503, W47, seed_history


@pytest.mark.parametrize(("typed", "clock"), [
    ("09:00", "09:00"), ("9:05", "09:05"), ("9시", "09:00"), ("21시", "21:00"),
    ("오전 9시", "09:00"), ("오후 9시", "21:00"), ("오후 12시", "12:00"), ("오전 12시", "00:00"),
    ("9시 30분", "09:30"), ("오후 6시 반", "18:30"), ("저녁 7시", "19:00"), ("9am", "09:00"),
    ("9:30pm", "21:30"), ("12am", "00:00"),
])
def test_times_of_day_as_people_type_them(typed: str, clock: str) -> None:
    assert parse_time_of_day(typed) == clock


@pytest.mark.parametrize("typed", ["25시", "오후 13시", "24:00", "13pm", "9시 61분"])
def test_times_that_do_not_exist_are_refused(typed: str) -> None:
    with pytest.raises(TimeError):
        parse_time_of_day(typed)


def test_words_that_are_not_times() -> None:
    assert parse_time_of_day("월요일") is None and parse_time_of_day("Asia/Seoul") is None
    assert split_schedule_words("월요일 오후 9시 30분 Asia/Seoul") == [
        "월요일", "오후 9시 30분", "Asia/Seoul"]


@pytest.mark.parametrize(("typed", "schedule", "scope"), [
    ("", Schedule(0, "09:00", "Asia/Seoul"), DigestScope()),
    ("월요일 9시", Schedule(0, "09:00", "Asia/Seoul"), DigestScope()),
    ("매주 금요일 오후 5시 반에", Schedule(4, "17:30", "Asia/Seoul"), DigestScope()),
    ("화 21시 워크스페이스", Schedule(1, "21:00", "Asia/Seoul"), DigestScope(WORKSPACE)),
    ("fri 17:30 UTC workspace", Schedule(4, "17:30", "UTC"), DigestScope(WORKSPACE)),
    ("sun 9 pm", Schedule(6, "21:00", "Asia/Seoul"), DigestScope()),
    ("목요일에 <#C0AAAAAAA1|ml-serving> <#C0AAAAAAA2|ml-batch> 10:00",
     Schedule(3, "10:00", "Asia/Seoul"), DigestScope(LISTED, ("C0AAAAAAA1", "C0AAAAAAA2"))),
    ("여기 mon", Schedule(0, "09:00", "Asia/Seoul"), DigestScope(THIS_CHANNEL)),
])
def test_subscription_words_in_any_order(typed: str, schedule: Schedule,
                                          scope: DigestScope) -> None:
    assert parse_subscription(typed) == (schedule, scope)


@pytest.mark.parametrize(("typed", "key"), [
    ("월요일 화요일", "twice"),
    ("9시 10:00", "twice"),
    ("25시", "bad_time"),
    ("오후 13시", "bad_time"),
    ("workspace <#C0AAAAAAA1|x>", "twice"),
    ("Mars/Olympus", "bad_word"),
])
def test_bad_subscriptions_name_what_is_wrong(typed: str, key: str) -> None:
    with pytest.raises(SubscribeError) as raised:
        parse_subscription(typed)
    assert raised.value.key == key


def test_channel_mentions_and_ids() -> None:
    assert channel_of("<#C0123ABCD|ml>") == "C0123ABCD"
    assert channel_of("<#G0123ABCD>") == "G0123ABCD"
    assert channel_of("C0123ABCD9") == "C0123ABCD9" and channel_of("#ml") is None
    assert DigestScope.from_row("channels", "C1 C2") == DigestScope(LISTED, ("C1", "C2"))
    assert DigestScope.from_row("channels", "") == DigestScope()  # nothing listed: its own
    assert DigestScope.from_row(None, None) == DigestScope()
    assert DigestScope(LISTED, ("C1",)).columns() == {"scope": "channels",
                                                       "scope_channels": "C1"}


# C2 is private in this workspace; C1 is public; C9 is a weekly channel with no incidents.
def public_except_c2(channels: set[str]) -> set[str]:
    return channels - {"C2"}


def settings(scope: DigestScope) -> ChannelDigestSettings:
    return ChannelDigestSettings("Asia/Seoul", "en", scope, "T1")


@pytest.fixture
def seeded(migrated_database_url: str) -> str:
    seed_history(migrated_database_url)
    return migrated_database_url


def test_workspace_scope_leaves_out_private_channels(seeded: str) -> None:
    engine = engine_for(seeded)
    weekly = digest_for(engine, "C9", W47, settings(DigestScope(WORKSPACE)), public_except_c2)
    assert weekly.covers == ["C1", "C9"] and weekly.withheld == 1
    assert weekly.occurrences == 9  # the 10 of W47 minus C2's one
    assert weekly.incidents.new == 2  # of the week's 3, C2's is not shown
    assert {channel.name for channel in weekly.channels} == {"C1"}
    assert all(feedback.not_helpful == 0 for feedback in weekly.feedback)  # C2's vote is out
    text = str(weekly.to_json())
    assert "'C2'" not in text

    # The private channel's own digest keeps its incidents, and sees the public ones too.
    own = digest_for(engine, "C2", W47, settings(DigestScope(WORKSPACE)), public_except_c2)
    assert own.covers == ["C1", "C2"] and own.occurrences == 10


def test_listed_scope_shows_listed_public_channels_only(seeded: str) -> None:
    engine = engine_for(seeded)
    listed = DigestScope(LISTED, ("C1", "C2"))
    weekly = digest_for(engine, "C9", W47, settings(listed), public_except_c2)
    assert weekly.covers == ["C1"] and weekly.occurrences == 9
    from_c2 = digest_for(engine, "C2", W47, settings(listed), public_except_c2)
    assert from_c2.covers == ["C1", "C2"]
    [entry] = [e for e in from_c2.top_entries if e.id == HTTP503]
    assert entry.count == 4  # C1's three and C2's one


def test_this_channel_scope_is_the_channel_alone(seeded: str) -> None:
    engine = engine_for(seeded)
    c2 = digest_for(engine, "C2", W47, settings(DigestScope()), public_except_c2)
    assert c2.covers == ["C2"] and c2.occurrences == 1 and c2.scope == THIS_CHANNEL
    empty = digest_for(engine, "C9", W47, settings(DigestScope()), public_except_c2)
    assert empty.is_empty  # what a weekly channel got before it could choose a wider scope
