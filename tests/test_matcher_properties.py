"""Any input returns, in bounded time, without raising (the wall-clock guard is a hang detector).

`Matcher.match` does not catch its own exceptions (each surface handles them at its edge), so a
crash on some input fails these tests instead of hiding as an empty answer.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge_base
from bot.matching.matcher import Matcher

MATCHER = Matcher(load_knowledge_base(extra=""))
HANG = 5.0


def check(text: str) -> None:
    started = time.monotonic()
    result = MATCHER.match(text, top=3)
    assert time.monotonic() - started < HANG
    assert len(result.fingerprint) == 32
    assert sum(match.confident for match in result.matches) <= 1
    assert all(0 <= match.score <= 100 for match in result.matches)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text(text: str) -> None:
    check(text)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=5000))
def test_binary_junk(data: bytes) -> None:
    check(data.decode("utf-8", errors="replace"))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["CrashLoopBackOff", "🔥🔥", "مرحبا بالعالم", "שלום",
                                 "0/3 nodes are available", "\u202e\u202d", "\x00", "((((",
                                 "Traceback (most recent call last):", "'", '"', "\\n"]),
                max_size=200))
def test_emoji_rtl_and_error_fragments(parts: list[str]) -> None:
    check(" ".join(parts))


def test_one_megabyte() -> None:
    check("x" * 1_000_000)
    check(("2026-11-25 INFO ok\n" * 60_000) + "CrashLoopBackOff")
    check("(" * 500_000 + "a" * 500_000)


class _FailingDecision:
    """A confidence model with a bug: what a crash inside the matcher looks like."""

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        raise ZeroDivisionError("a bug in the decision")

    def tier(self, probability: float, score: float = 100.0) -> str:
        raise ZeroDivisionError("a bug in the decision")


def test_a_crash_inside_the_matcher_is_seen_by_these_checks() -> None:
    broken = Matcher(MATCHER.kb, model=_FailingDecision())  # type: ignore[arg-type]
    with pytest.raises(ZeroDivisionError):
        broken.match("Back-off restarting failed container", top=3)
