"""The learned columns that keep a first candidate from being "probably" the answer and never
from being sure (decision.may_be_likely): nothing served in sight (scope.no_model_served, round
16), development work on the software (asking.develops, round 16), a failing request with no
model named (scope.no_model_named's request_without_model, round 17), a build-stage entry
with no deployment's image build shown failing (builds.reading's build_not_shown, round 18).
Each rule reads its
column of the candidate's feature row; what sets the column is tested beside its reader
(tests/test_no_model_served.py, tests/test_develops.py, tests/test_request_without_model.py,
tests/test_image_build_scope.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching.decision import TIER_CONFIDENT, TIER_UNKNOWN, ConfidenceModel, may_be_likely
from bot.matching.features import FEATURE_NAMES

COLUMNS = ["no_model_served", "develops", "request_without_model", "build_not_shown"]
# The columns the own-evidence model (the sure tier) is trained without.
NOT_FOR_SURE = ["develops", "request_without_model", "build_not_shown"]


def _row(column: str, value: float) -> list[float]:
    row = [0.0] * len(FEATURE_NAMES)
    row[FEATURE_NAMES.index(column)] = value
    return row


@pytest.mark.parametrize("column", COLUMNS)
def test_the_rule_reads_the_row(column: str) -> None:
    assert may_be_likely(_row(column, 0.0))
    assert not may_be_likely(_row(column, 1.0))


@pytest.mark.parametrize("column", NOT_FOR_SURE)
def test_only_the_likely_tier_reads_it(column: str) -> None:
    width = len(FEATURE_NAMES)
    model = ConfidenceModel(FEATURE_NAMES, np.zeros(width), np.ones(width), np.zeros(width),
                            0.0, confident=0.9, likely=0.4)
    held = may_be_likely(_row(column, 1.0))
    assert model.tier(0.6, 80.0, may_be_likely=held) == TIER_UNKNOWN
    assert model.tier(0.95, 80.0, may_be_likely=held) == TIER_CONFIDENT


@pytest.mark.parametrize("column", NOT_FOR_SURE)
def test_the_shipped_model_never_weighs_it_for_the_sure_tier(column: str) -> None:
    from bot.matching.decision import shipped_model

    model = shipped_model()
    assert model is not None and model.own_weights is not None
    assert model.own_weights[FEATURE_NAMES.index(column)] == 0.0
