"""A status code typed alone (`/troubleshoot 504`, `503 error`, `HTTP 409`) is shown as probably
that code's entry. It was answered "no known fix": a number with no status word beside it is
masked as a count, so the entry's patterns never ran."""

from __future__ import annotations

import pytest

from bot.matching.index import word_form
from bot.matching.matcher import default_matcher


@pytest.mark.parametrize(("text", "expected"), [
    ("502", "http-status-code-502"), ("504", "http-status-code-504"),
    ("503 error", "http-status-code-503"), ("HTTP 409", "http-status-code-409"),
    ("502 오류", "http-status-code-502"),
])
def test_a_code_typed_alone_is_probably_its_entry(text: str, expected: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == expected
    assert first.tier in ("confident", "likely")


@pytest.mark.parametrize("text", ["line 502", "502 items processed", "took 504 ms"])
def test_a_number_with_other_words_stays_a_number(text: str) -> None:
    assert not {"502", "504"} & word_form(text)
