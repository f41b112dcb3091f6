"""Round 18 (order20): the right entry first when the paste says which stage failed.

Of the wrong "probably" answers, about a quarter named the wrong entry while the right one was
listed below it. The ones fixed here have a general reason: the paste says its server never
came up, and the entry first stands on a few shared words only (a procedure's "docker" and
"run"). The pastes are written for these tests; no evaluation paste is copied.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher
from bot.matching.ranking import by_stated_start_failure
from bot.matching.scoring import EntryScore, Evidence
from bot.matching.stages import StatedStart

START = "service-launch-fails"


def _ids(paste: str) -> list[str]:
    return [m.entry_id for m in default_matcher().match(paste).matches]


def _scored(entry: int, score: float, *, pattern: bool = False,
            specific: float = 0.0) -> EntryScore:
    return EntryScore(entry, score, Evidence(score, 1.0, 0, 0, None, "sig"), 1, score,
                      specific, pattern_found=pattern)


# entries: 0 a serve-stage cause, 1 a build-stage cause, 2 a procedure, 3 the start symptom
KINDS = ["cause", "cause", "procedure", "symptom"]
STAGES = ["serve", "build", "", "start"]


def test_a_named_start_goes_above_a_procedure_on_shared_words() -> None:
    ranked = [_scored(2, 45.0), _scored(1, 30.0), _scored(3, 10.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=True))
    assert [item.entry for item in order] == [3, 2, 1]
    assert order[1].explained  # how to investigate is not a rival answer


def test_a_procedure_with_its_own_rare_words_keeps_its_place() -> None:
    ranked = [_scored(2, 45.0, specific=4.0), _scored(1, 30.0), _scored(3, 10.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=True))
    assert order[0].entry == 2


def test_a_crash_alone_only_lists_the_start_entry_below_a_procedure() -> None:
    ranked = [_scored(2, 45.0), _scored(1, 30.0), _scored(0, 20.0)]
    order = by_stated_start_failure(ranked, KINDS, STAGES, StatedStart(0, named=False))
    assert [item.entry for item in order] == [2, 1, 3, 0]


@pytest.mark.parametrize("paste", [
    "Sentiment model docker image fails to run on the VM\n\nI built the image on my laptop "
    "and docker run works there. On the VM the same docker run exits right away.",
    "감정 분석 모델 도커 컨테이너가 VM에서 시작되지 않아요\n\n노트북에서는 docker run 이 잘 "
    "되는데 VM에서는 바로 종료돼요.",
])
def test_a_container_that_does_not_start_is_not_a_question_of_running_docker(
        paste: str) -> None:
    # "docker" and "run" are the local-debugging entry's words ("Is Docker running?"); the
    # person says the container never came up
    assert _ids(paste)[0] == START


@pytest.mark.parametrize(("paste", "first"), [
    # the procedure's own error, its pattern found: the local Docker is not running
    ("My local deployment fails to start: Failed to create Docker client. Is Docker "
     "running/installed?", "debug-locally"),
    # the inference server's own port error, its rare words in the paste
    ("The scoring server fails to start when I run it on my machine, connection to "
     "('127.0.0.1', 5001) failed: [Errno 98] Address already in use",
     "azure-machine-learning-inference-http-server"),
])
def test_a_procedure_the_paste_states_keeps_its_place(paste: str, first: str) -> None:
    assert _ids(paste)[0] == first
