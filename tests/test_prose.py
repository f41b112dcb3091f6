"""A text without any error line (a question, a description) is also compared with what the
entries say about themselves: title, cause and fix, in both languages."""

from __future__ import annotations

import pytest

from bot.knowledge.model import Entry, KnowledgeBase, LocalizedBody
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.prose import ProseIndex


@pytest.mark.parametrize(("text", "expected"), [
    ("how do I see the logs of my endpoint now that App Insights isn't linked?",
     "get-deployment-logs"),
    ("엔드포인트 컨테이너 로그는 어떻게 확인하나요?", "get-deployment-logs"),
    ("how can I debug my scoring script locally before deploying it?", "debug-locally"),
])
def test_questions_find_the_entry_that_answers_them(text: str, expected: str) -> None:
    result = default_matcher().match(text)
    assert result.matches and result.matches[0].entry_id == expected, result.matches


def entry(entry_id: str, title: str, cause: str, signature: str) -> Entry:
    body = LocalizedBody(cause=cause, steps=("Do this.",))
    return Entry(id=entry_id, title={"en": title, "ko": title}, signatures=(signature,),
                 body={"en": body, "ko": body}, source="https://example.org/x")


def test_only_texts_without_an_error_line_use_the_entries_text() -> None:
    kb = KnowledgeBase((
        entry("tokens", "Rotating the workspace tokens", "Tokens expire every ninety days.",
              "TokenRotationError: rotation window closed"),
        entry("quota", "Regional quota", "The region has no more cores.",
              "QuotaExceeded: cores"),
    ))
    matcher = Matcher(kb)
    asked = matcher.match("when do workspace tokens expire, and how is rotation done?")
    assert asked.matches and asked.matches[0].entry_id == "tokens"
    # An error line is matched on the signatures alone: a word of the entry's prose next to
    # an unrelated error does not make it a candidate.
    failed = matcher.match("ValueError: tokens must be a list")
    assert all(match.entry_id != "tokens" or match.score < 50 for match in failed.matches)


def test_the_prose_index_weighs_rare_words_and_ignores_common_ones() -> None:
    kb = KnowledgeBase((
        entry("a", "Fetching logs", "Use the logs command.", "x1"),
        entry("b", "Scheduling on GPUs", "Not enough nvidia GPUs in the cluster.", "x2"),
    ))
    index = ProseIndex(kb)
    assert index.search("the error is please help") == {}
    found = index.search("are there enough nvidia gpus?")
    assert max(found, key=lambda number: found[number]) == 1


# A complaint that names no problem ("it is broken", "is it working?") shares a word with one
# entry's fix steps by chance ("if nothing works"); with ~15 entries that one word weighed as
# rare and the bot said "Probably: image build fails" to "my deployment is broken".
VAGUE_COMPLAINTS = [
    "my deployment is broken",
    "is the bot working?",
    "my endpoint is broken, any idea?",
    "something is wrong with my deployment",
    "what happened to my endpoint?",
    "배포가 안 돼요",
    "봇 살아있나요?",
    "봇이 작동하나요? 문제가 생겼어요",
]


@pytest.mark.parametrize("text", VAGUE_COMPLAINTS)
def test_a_vague_complaint_gets_no_tentative_answer(text: str) -> None:
    result = default_matcher().match(text)
    assert result.answer is None and result.likely is None, result.matches


def test_a_described_symptom_still_finds_its_entry_beside_complaint_words() -> None:
    # The complaint words weigh nothing; the words naming the problem still do.
    result = default_matcher().match(
        "my deployment is broken: the container keeps restarting, init seems to fail")
    assert result.matches and result.matches[0].entry_id == "service-launch-fails"
