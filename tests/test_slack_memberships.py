"""The Home tab's memory of Slack's membership answers (bot/slack/memberships.py): an answer
lasts its TTL and no longer, and the table never grows past its bound."""

from __future__ import annotations

from bot.slack.memberships import Memberships


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_kept_for_its_ttl_and_then_asked_again() -> None:
    clock = Clock()
    kept = Memberships(clock=clock)
    key = ("https://slack.com/api/", "T1", "U1")
    assert kept.get(key) is None
    kept.put(key, True, ttl_s=300)
    clock.now += 299
    assert kept.get(key) is True
    clock.now += 1
    assert kept.get(key) is None and len(kept) == 0  # expired answers are dropped
    kept.put(key, False, ttl_s=300)
    assert kept.get(key) is False  # "not a member" is an answer too


def test_past_its_bound_the_oldest_answers_go_first() -> None:
    kept = Memberships(max_entries=3, clock=Clock())
    for number in range(5):
        kept.put(("api", "T1", f"U{number}"), True, ttl_s=300)
    assert len(kept) == 3
    assert [kept.get(("api", "T1", f"U{number}")) for number in range(5)] == [
        None, None, True, True, True]
    kept.put(("api", "T1", "U2"), False, ttl_s=300)  # a newer answer for U2 replaces the old
    kept.put(("api", "T1", "U5"), True, ttl_s=300)
    assert kept.get(("api", "T1", "U3")) is None and kept.get(("api", "T1", "U2")) is False
