"""A status code on the line of the scoring call it answers is that status code's entry,
whatever client printed it (issue 10: "Error: 502 Bad Gateway from https://.../score" was left
unanswered while the bare "502 Bad Gateway" was shown as probably the 502 entry)."""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher


@pytest.mark.parametrize(("text", "expected"), [
    ("Error: 502 Bad Gateway from https://churn-ep.eastus.inference.ml.azure.com/score",
     "http-status-code-502"),
    ("POST https://fraud-ep.westeurope.inference.ml.azure.com/score -> 502 Bad Gateway",
     "http-status-code-502"),
    ("504 Gateway Timeout calling https://sales-ep.eastus.inference.ml.azure.com/score",
     "http-status-code-504"),
    ("scoring_uri 에 요청하면 502 Bad Gateway 가 나와요", "http-status-code-502"),
])
def test_a_status_code_from_the_scoring_uri_is_shown_as_its_entry(text: str,
                                                                   expected: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert (first.entry_id, first.tier in ("confident", "likely")) == (expected, True), first


def test_the_code_with_the_uri_is_at_least_as_sure_as_the_bare_code() -> None:
    matcher = default_matcher()
    bare = matcher.match("502 Bad Gateway").matches[0]
    with_uri = matcher.match(
        "Error: 502 Bad Gateway from https://churn-ep.eastus.inference.ml.azure.com/score"
    ).matches[0]
    assert with_uri.entry_id == bare.entry_id == "http-status-code-502"
    assert (with_uri.probability or 0.0) >= (bare.probability or 0.0)


def test_a_code_elsewhere_than_the_scoring_call_gains_nothing() -> None:
    # A 502 from a health probe is the container crashing, not the scoring call's gateway.
    first = default_matcher().match(
        "Liveness probe failed: HTTP probe failed with statuscode: 502").matches[0]
    assert first.entry_id != "http-status-code-502"
