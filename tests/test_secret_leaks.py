"""No secret of any known format survives, wherever it sits in a paste (issue 9, item 4).

Fast properties over the one pass and everything derived from it without a network: the
sanitized text, the matcher's evidence and key lines, the incident summary, the `match` and
`ask` output. The end-to-end version (real server, Slack stand-in, both databases, log lines)
is tests/e2e/test_secret_leaks_e2e.py.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.incidents.service import incident_summary
from bot.knowledge.loader import load_knowledge_base
from bot.matching.matcher import Matcher
from bot.redaction import sanitize
from tests.support.secret_formats import (
    FORMATS,
    PLACEMENTS,
    Planted,
    leaked,
    place,
    planted_anywhere,
)

MATCHER = Matcher(load_knowledge_base(extra=""))
GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


def _assert_no_piece(planted: Planted, shown: str, where: str) -> None:
    piece = leaked(planted.secret, shown)
    assert piece is None, f"{planted.name} placed {where}: {piece!r} shows in {shown!r}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_anywhere)
def test_no_piece_of_a_secret_survives_the_one_pass(drawn: tuple[Planted, str]) -> None:
    planted, where = drawn
    _assert_no_piece(planted, sanitize(place(planted, where)), where)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_anywhere)
def test_what_the_matcher_hands_back_holds_no_piece_of_a_secret(
        drawn: tuple[Planted, str]) -> None:
    """Evidence, key lines and the incident summary: the parts that reach Slack and lists."""
    planted, where = drawn
    paste = f"{GPU_ERROR}\n{place(planted, where)}\nERROR {place(planted, 'middle')}"
    result = MATCHER.match(paste, top=3)
    shown = json.dumps([result.to_json(), list(result.key_lines),
                        incident_summary(paste, result)], ensure_ascii=False)
    _assert_no_piece(planted, shown, where)


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_each_format_is_recognised_at_every_placement(name: str, data: st.DataObject) -> None:
    """Each format at every placement, one test per format, so a gap names its format."""
    planted = data.draw(FORMATS[name])
    for where in PLACEMENTS:
        _assert_no_piece(planted, sanitize(place(planted, where)), where)


@pytest.mark.parametrize("text", [
    "Pulling image mlacr.azurecr.io/azureml/azureml_4b8e3a9c2f1d0e7b6a5c4d3e2f1a0b9c:latest",
    "request 0f8fad5b-d9cb-469f-a165-70867728950e failed: 502 Bad Gateway",
    "pod scoring-7f9c6d5b8-x2k4q in namespace azureml-prod: CrashLoopBackOff",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 not found",
    "docker run -p 8080:5001 mlacr.azurecr.io/model:3 exited with code 137",
    "kubectl logs scoring-7f9c6d5b8-x2k4q -p --tail 100",
    "Error: token_expiry=3600 is shorter than the 5400 s warm-up",
    "AADSTS700016: Application with identifier 'abc' was not found. Failed to get token",
    # Korean words that hold 키 or 토큰, and Basic authentication named, not sent.
    "패키지 azureml-inference-server-http1 설치 실패: azureml-defaults==1.48.0 not found",
    "토큰이 만료되었습니다 (AADSTS700082), 키보드 입력 없이 재시도",
    "HTTP 401: Basic authentication failed for user scorer (realm AzureML)",
    "password 'is required' for user scorer",
])
def test_ordinary_error_text_is_left_alone(text: str) -> None:
    """GUIDs, image hashes, pod names, port flags: what the matcher needs stays as it was."""
    assert sanitize(text) == text
