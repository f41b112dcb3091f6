"""Round 17 (likely19): a request failing at a gateway with no model named is not "probably" ours.

ingress-nginx's 504 in front of "one of our applications", a Selenium Grid behind an ingress, a
chart that raises its proxy timeouts: a pod or an ingress is in sight, so likely17's rule
(scope.no_model_served) did not hold them back, but nothing shows a model being served. The
non-model pod rule (tests/eval/LABELS.md) makes a pod's own fate ours (killed, crash-looping,
unschedulable), not the requests of whatever web app runs in it. So a request-stage entry
(502, 503, 504, the scoring function failing on its input) is never "probably" the answer
when the paste names no model (features.request_without_model, decision.may_be_likely); it
stays listed, the sure tier is not touched, and a model's endpoint timing out in the same
words is answered as before, in English and in Korean."""

from __future__ import annotations

import pytest

from bot.matching.context import paste_terms
from bot.matching.decision import (
    TIER_CONFIDENT,
    TIER_LIKELY,
    TIER_UNKNOWN,
)
from bot.matching.features import FEATURE_NAMES
from bot.matching.korean import glossed_terms
from bot.matching.matcher import default_matcher
from bot.matching.scope import no_model_named, no_model_served

# Each was "probably a 504" (or 502) with round 16's shipped model.
WEB_APP_504 = ("We run our web application behind ingress-nginx on Kubernetes. Requests that "
               "take longer than 60 seconds get 504 Gateway Time-out from the ingress, even "
               "after setting the proxy-read-timeout annotation to 300.")
WEB_APP_504_KO = ("쿠버네티스에서 ingress-nginx 뒤에 있는 웹 애플리케이션이 60초가 지나면 504 "
                  "Gateway Time-out을 돌려줘요. proxy-read-timeout 어노테이션을 300으로 올려도 "
                  "똑같아요.")
WEB_APP_502 = ("Our pod behind the nginx ingress answers 502 Bad Gateway for every request "
               "after the upgrade: upstream prematurely closed connection while reading "
               "response header from upstream.")
# A model's endpoint in the same words: still answered.
MODEL_504 = ("Our model endpoint on Kubernetes returns 504 Gateway Timeout from ingress-nginx "
             "for long inference requests; the model server is still scoring when the gateway "
             "gives up after 60 s.")
MODEL_504_KO = ("쿠버네티스에 배포한 모델 엔드포인트에 추론 요청을 보내면 60초 후에 504 Gateway "
                "Timeout이 나요. 모델 서버는 아직 점수를 계산하고 있어요.")
ENDPOINT_504_KO = ("엔드포인트 호출하면 504 Gateway Timeout이 나요. "
                   "요청이 60초를 넘으면 항상 그래요.")


def _terms(text: str) -> frozenset[str]:
    return paste_terms(text) | glossed_terms(text)


@pytest.mark.parametrize("text", [WEB_APP_504, WEB_APP_504_KO, WEB_APP_502])
def test_a_pod_or_an_ingress_is_not_a_model(text: str) -> None:
    assert no_model_named(_terms(text), text)
    assert not no_model_served(_terms(text), text), "a pod or an ingress is in sight"


@pytest.mark.parametrize("text", [MODEL_504, MODEL_504_KO, ENDPOINT_504_KO,
                                  "POST /v1/models/iris:predict answered 504 from the ingress",
                                  "tritonclient.utils.InferenceServerException: timed out"])
def test_a_model_named_in_english_or_korean(text: str) -> None:
    assert not no_model_named(_terms(text), text)


def _column(text: str) -> list[tuple[str, float]]:
    matcher = default_matcher()
    assessment = matcher.assess(text)
    column = FEATURE_NAMES.index("request_without_model")
    return [(matcher.index.entry_ids[scored.entry], row[column])
            for scored, row in zip(assessment.ranked, assessment.rows, strict=False)]


def test_only_request_stage_candidates_carry_it() -> None:
    """A web app's pod killed or crash-looping stays the pod-fate entries' (the non-model pod
    rule): only the request-stage candidates of a paste with no model named carry it."""
    text = WEB_APP_504 + "\nThe pod was OOMKilled and restarted twice (exit code 137)."
    values = dict(_column(text))
    assert values.get("http-status-code-504") == 1.0
    assert values.get("vm-out-of-memory", 0.0) == 0.0
    assert all(value == 0.0 for _, value in _column(MODEL_504))


@pytest.mark.parametrize("text", [WEB_APP_504, WEB_APP_504_KO, WEB_APP_502])
def test_a_web_apps_gateway_error_is_listed_not_probably_answered(text: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id in ("http-status-code-504", "http-status-code-502")
    assert first.tier == TIER_UNKNOWN


@pytest.mark.parametrize("text", [MODEL_504, MODEL_504_KO, ENDPOINT_504_KO])
def test_a_models_endpoint_timing_out_is_still_answered(text: str) -> None:
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "http-status-code-504"
    assert first.tier in (TIER_CONFIDENT, TIER_LIKELY)
