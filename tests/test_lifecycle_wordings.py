"""Deployment life-cycle wordings (round 6): the right entry is ranked first.

Each paste is written here, in the format the software prints (its source is named beside the
case), after a wording family the spent holdouts showed the KB did not know; none is copied from
an evaluation file. Only the ranking is asserted: the tier belongs to the learned model, which is
retrained after a ranking change.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher

RANKED_FIRST = [
    # The pod state typed by hand in lower case is one word to the tokenizer (no CamelCase
    # parts), so the CrashLoopBackOff signature found a fifth of its words and was no candidate.
    ("pods stuck in crashloopbackoff\n"
     "$ kubectl describe pod llm-predictor-5d9f -n serving\n"
     "Name:         llm-predictor-5d9f\n"
     "Namespace:    serving\n"
     "Node:         aks-gpu-1/10.224.0.5\n"
     "Status:       Running\n", "service-launch-fails"),
    ("the KServe predictor is in Crashloopbackoff after I changed the storage uri to my own model",
     "service-launch-fails"),
]


@pytest.mark.parametrize(("paste", "expected"), RANKED_FIRST)
def test_lifecycle_wordings_rank_their_entry_first(paste: str, expected: str) -> None:
    result = default_matcher().match(paste)
    assert [m.entry_id for m in result.matches][:1] == [expected]


def test_the_exact_crashloopbackoff_form_scores_as_before() -> None:
    """The lower-case pattern leaves the CamelCase form to its signature: no second piece of
    evidence (and support bonus) for the pastes the KB already answered."""
    first = default_matcher().match("Warning  BackOff  pod/churn-7c9  CrashLoopBackOff").matches[0]
    assert (first.entry_id, first.signature) == ("service-launch-fails", "CrashLoopBackOff")
