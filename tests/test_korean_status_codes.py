"""Status codes as Korean teams write them: the word after the code, a particle joined to it.

`scoring_uri로 요청을 보내면 502 에러가 떠요` was answered *confidently* as a run() failure (a
Korean signature about a 500 matched it fuzzily), because the 502 was masked as a mere number
(no English status word near it) and `\\b502\\b` found no boundary before the particle `가`.
"""

from __future__ import annotations

import pytest

from bot.matching.index import word_form
from bot.matching.matcher import default_matcher


@pytest.mark.parametrize("text", [
    "요청을 보내면 502 에러가 나요", "scoring_uri로 요청을 보내면 502가 떠요",
    "에러 코드 502", "502 오류 발생", "엔드포인트가 502를 반환해요",
    # korean21: the reason phrase in Korean words
    "502 배드 게이트웨이가 나요", "502 잘못된 게이트웨이", "엔드포인트가 502 게이트웨이 에러",
])
def test_a_status_code_in_korean_context_is_kept(text: str) -> None:
    assert "502" in word_form(text)


@pytest.mark.parametrize(("text", "code"), [
    ("웹서비스 삭제하다가 409 충돌이 났어요", "409"),
    ("요청하면 503 서비스 불가가 떠요", "503"),
    ("호출이 오래 걸리면 504 게이트웨이 시간 초과", "504"),
    ("1분 지나면 504 타임아웃", "504"),
])
def test_a_status_code_with_its_korean_reason_phrase_is_kept(text: str, code: str) -> None:
    assert code in word_form(text)


@pytest.mark.parametrize("text", ["502개 요청을 보냈어요", "502건 처리", "502번 줄"])
def test_a_count_in_korean_stays_a_number(text: str) -> None:
    assert "502" not in word_form(text)


@pytest.mark.parametrize(("paste", "expected"), [
    ("scoring_uri로 요청을 보내면 502 에러가 떠요", "http-status-code-502"),
    ("scoring_uri로 요청을 보내면 502가 떠요", "http-status-code-502"),
    ("추론 요청 보내면 502가 나와요", "http-status-code-502"),
    ("엔드포인트에 요청이 몰리면 503이 떠요", "http-status-code-503"),
    ("엔드포인트 호출하면 504 오류가 나요", "http-status-code-504"),
])
def test_korean_status_code_reports_are_shown_as_that_code(paste: str, expected: str) -> None:
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == expected
    assert first.tier in ("confident", "likely")


@pytest.mark.parametrize("paste", ["요청이 몰리면 503이 떠요", "requests get 503 under load"])
def test_a_status_code_with_nothing_served_in_sight_is_listed_not_probably(paste: str) -> None:
    # Round 16 (likely17): with no model, endpoint or pod named, public pastes of a bare 503 are
    # mostly other products' (docs/eval.md); the code's entry is listed first, in both languages
    # alike, and naming the endpoint is enough to make it "probably" (the case above).
    first = default_matcher().match(paste).matches[0]
    assert first.entry_id == "http-status-code-503"
    assert first.tier == "unknown"
