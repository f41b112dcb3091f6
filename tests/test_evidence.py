"""Evidence is the error line that decided, never the chat around it; the incident summary and
an unknown answer's "matched" line use the same line."""

from __future__ import annotations

import pytest

from bot.incidents.service import incident_summary, summary_key
from bot.matching.masking import mask
from bot.matching.matcher import default_matcher

CHAT_AROUND_ERRORS = [
    ("배포 실패했습니다 ㅠ 도와주세요\nBack-off restarting failed container",
     "Back-off restarting failed container"),
    ("Back-off restarting failed container\n배포 실패했습니다 ㅠ 도와주세요",
     "Back-off restarting failed container"),
    ("Hi all, my deployment failed again, any idea?\n"
     "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
     "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."),
    ("Worker (pid:42) was sent SIGKILL! Perhaps out of memory?\n"
     "I'm stuck, can someone help? 엔드포인트가 계속 죽어요",
     "Worker (pid:42) was sent SIGKILL! Perhaps out of memory?"),
]


@pytest.mark.parametrize(("paste", "error_line"), CHAT_AROUND_ERRORS)
def test_evidence_and_summary_are_the_error_line_not_the_chat(paste: str,
                                                              error_line: str) -> None:
    result = default_matcher().match(paste)
    assert result.matches
    best = result.matches[0]
    assert best.evidence == error_line
    assert best.evidence_line == error_line
    summary = incident_summary(paste, result)
    assert "도와주세요" not in summary and "any idea" not in summary and "help" not in summary
    assert summary == " ".join(error_line.split())  # the same line, as pasted (people read it)
    assert summary_key(summary) == " ".join(mask(error_line).split())  # compared masked


def test_an_unmatched_paste_is_named_by_its_error_line_not_its_greeting() -> None:
    paste = ("안녕하세요, 배포가 안 돼요 도와주세요\n"
             "FluxCapacitorError: discombobulated while warming the teapot")
    result = default_matcher().match(paste)
    assert result.summary_line == "FluxCapacitorError: discombobulated while warming the teapot"
    assert "안녕하세요" not in incident_summary(paste, result)


def test_a_question_is_its_own_evidence() -> None:
    # No error line at all: the text itself decided, and it is what the summary shows.
    question = "how do I see the logs of my endpoint now that App Insights isn't linked?"
    result = default_matcher().match(question)
    assert result.summary_line == question
