"""Round 16 (korean18): a Korean paste that states a failure is answered as surely as its
English twin, and vague Korean prose is not made sure.

"파드가 OOMKilled 됐어요. 배치 크기 때문일까요?" came out "probably" while "The pod is OOMKilled,
is it because of the batch size?" was sure: the deployment checks looked for English words
(pod, container, deployment), so the Korean kill read as a bare kill of some process
(features.death_outside_serving); korean.py now reads the Korean setting words as their
English twins. The decision model no longer reads whether a paste is Korean (the pool's
Korean pastes made that feature a sure-maker), and Korean particles end an English word where
error lines are recognised ("OOMKilled로", "CrashLoopBackOff에").

Each pair is a Korean paste and its English twin, both written for these tests (no evaluation
paste is copied), with the same evidence words: labelled by construction, they get the same
first entry and the same tier.
"""

from __future__ import annotations

import pytest

from bot.matching.confidence import serving_around_a_death
from bot.matching.error_lines import failure_line, line_signal
from bot.matching.extraction import extract
from bot.matching.korean import glossed_terms
from bot.matching.matcher import default_matcher
from bot.matching.result import Match
from bot.matching.scoring import prepare
from bot.matching.text_output import render_answer_text

_LAST_STATE = ("    Last State:     Terminated\n      Reason:       OOMKilled\n"
               "      Exit Code:    137")
_MISSING_MODULE = ("Traceback (most recent call last):\n"
                   "  File \"/var/azureml-app/score.py\", line 3, in <module>\n"
                   "    import torch\n"
                   "ModuleNotFoundError: No module named 'torch'")
_CANNOT_IMPORT = ("Traceback (most recent call last):\n"
                  "  File \"/app/main.py\", line 5, in <module>\n"
                  "    from transformers import pipeline\n"
                  "ImportError: cannot import name 'pipeline' from 'transformers'")
_WORKER_BOOT = ("[2024-05-02 10:00:01 +0000] [1] [INFO] Shutting down: Master\n"
                "[2024-05-02 10:00:01 +0000] [1] [INFO] Reason: Worker failed to boot.\n"
                "gunicorn/finish 3 0\nExit code 3 is not normal. Killing image.")

# (Korean, English twin, the entry both answer, the tier both get)
TWINS = [
    # the reported paste: was "probably" (p 0.93) in Korean, sure in English
    ("파드가 OOMKilled 됐어요. 배치 크기 때문일까요?",
     "The pod is OOMKilled, is it because of the batch size?", "vm-out-of-memory", "confident"),
    ("파드가 OOMKilled 됐어요.", "The pod got OOMKilled.", "vm-out-of-memory", "confident"),
    ("컨테이너가 OOMKilled로 죽었어요", "The container died with OOMKilled",
     "vm-out-of-memory", "confident"),
    ("온라인 엔드포인트 배포가 실패했어요. 파드가 OOMKilled 상태입니다.",
     "The online endpoint deployment failed. The pod is OOMKilled.",
     "vm-out-of-memory", "confident"),
    ("kubectl describe pod 결과입니다:\n" + _LAST_STATE,
     "Output of kubectl describe pod:\n" + _LAST_STATE, "vm-out-of-memory", "confident"),
    # (Round 17: the refit with round 16's holdout raised the sure threshold, 0.855 -> 0.890,
    # above this pair's own-evidence 0.85-0.86, and nothing served is in sight, so neither is
    # "probably": both say what they match and ask for the deployment,
    # tests/test_setting_unseen.py.)
    ("컨테이너가 exit code 137로 종료됐어요.", "The container exited with exit code 137.",
     "vm-out-of-memory", "unknown"),
    ("배포한 파드가 CrashLoopBackOff 상태예요.", "The pod I deployed is in CrashLoopBackOff.",
     "service-launch-fails", "confident"),
    ("파드가 계속 CrashLoopBackOff에 빠져요. 왜 그럴까요?",
     "The pod keeps going into CrashLoopBackOff. Why?", "service-launch-fails", "confident"),
    ("파드 상태가 CrashLoopBackOff 이고 로그에 ModuleNotFoundError: No module named 'azureml' "
     "이 있어요",
     "The pod status is CrashLoopBackOff and the log has ModuleNotFoundError: No module named "
     "'azureml'", "service-launch-fails", "confident"),
    ("파드가 Pending에서 안 넘어가요. 이벤트: FailedScheduling 0/3 nodes are available: "
     "3 Insufficient nvidia.com/gpu.",
     "The pod is stuck in Pending. Event: FailedScheduling 0/3 nodes are available: "
     "3 Insufficient nvidia.com/gpu.", "container-cannot-be-scheduled", "confident"),
    ("파드가 FailedScheduling 이벤트로 스케줄링이 안 돼요.",
     "The pod cannot be scheduled, FailedScheduling event.",
     "container-cannot-be-scheduled", "confident"),
    ("scoring_uri로 요청을 보내면 502 Bad Gateway가 와요",
     "Sending a request to the scoring_uri returns 502 Bad Gateway",
     "http-status-code-502", "shown"),
    ("service.run() 호출하면 504 Gateway Timeout이 나요",
     "Calling service.run() gives 504 Gateway Timeout", "http-status-code-504", "shown"),
    ("HTTP/1.1 503 Service Unavailable\n트래픽이 몰리면 엔드포인트가 이렇게 응답해요",
     "HTTP/1.1 503 Service Unavailable\nThe endpoint answers like this when traffic spikes",
     "http-status-code-503", "shown"),
    ("배포 로그에 이런 에러가 나와요:\n" + _MISSING_MODULE,
     "The deployment log shows this error:\n" + _MISSING_MODULE,
     "service-launch-fails", "likely"),
    ("컨테이너 로그입니다:\n" + _CANNOT_IMPORT, "Container log:\n" + _CANNOT_IMPORT,
     "service-launch-fails", "likely"),
    ("컨테이너 로그 마지막 부분이에요:\n" + _WORKER_BOOT,
     "The end of the container log:\n" + _WORKER_BOOT, "service-launch-fails", "unknown"),
]


def _first(paste: str) -> Match:
    return default_matcher().match(paste).matches[0]


# "shown": sure or "probably", whichever each gets. Round 17: these request twins' own-evidence
# probabilities (0.86-0.91) sit at the refit's sure threshold (0.855 -> 0.890), so a refit
# moves either twin across it; what the person sees (the entry as the answer) is the same.
SHOWN = ("confident", "likely")


@pytest.mark.parametrize(("korean", "english", "entry", "tier"), TWINS)
def test_a_korean_paste_is_answered_as_its_english_twin(korean: str, english: str, entry: str,
                                                       tier: str) -> None:
    answers = [_first(korean), _first(english)]
    assert [answer.entry_id for answer in answers] == [entry] * 2
    if tier == "shown":
        assert all(answer.tier in SHOWN for answer in answers), answers
    else:
        assert [answer.tier for answer in answers] == [tier] * 2


# Vague Korean prose: a guess, a question about a word, a description with no error line.
# Listed at most, never "probably" nor sure.
VAGUE = [
    "엔드포인트가 이상해요. 왜 그런지 모르겠어요.",
    "메모리 문제인지 모르겠어요.",
    "배포가 잘 안 되는 것 같아요. 도와주세요.",
    "OOM 때문인가요?",
    # (korean21: "파드가 자꾸 죽는데 메모리 문제일까요?" left this list: it states a crash
    # ("죽는데") and hedges only the memory, and its English twin "the pod keeps crashing,
    # could it be a memory problem?" is "probably" the crash at start-up; the two agree now,
    # tests/test_korean_parity.py. The hedged memory is still never the answer.)
    "배포가 느려요. 원인이 뭘까요?",
    "엔드포인트 응답이 가끔 늦어요.",
    "OOMKilled가 뭔가요?",
    "배치 크기를 줄이면 OOMKilled가 안 날까요?",
]


@pytest.mark.parametrize("paste", VAGUE)
def test_vague_korean_prose_is_not_an_answer(paste: str) -> None:
    matches = default_matcher().match(paste).matches
    assert all(match.tier == "unknown" for match in matches)


def test_the_korean_reply_reads_as_a_sure_answer_in_korean() -> None:
    matcher = default_matcher()
    result = matcher.match("파드가 OOMKilled 됐어요. 배치 크기 때문일까요?", lang="ko")
    text = render_answer_text(result, matcher.kb, "ko")
    first_line = text.splitlines()[0]
    assert first_line.startswith("메모리 부족") and "[vm-out-of-memory]" in first_line
    assert "아마:" not in text  # not the tentative "probably" answer
    assert "조치 방법:" in text and "원인:" in text
    # the paste states the failure: the reply shows what matched, not "guessed from prose"
    assert "일치한 부분: 파드가 OOMKilled" in text and "설명만 보고 추정한" not in text


@pytest.mark.parametrize(("korean", "english"), [
    ("파드가", "pod"), ("파드에서도", "pod"), ("컨테이너가", "container"),
    ("배포했는데", "deployment"), ("엔드포인트를", "endpoint"), ("모델을", "model"),
])
def test_korean_setting_words_read_as_english(korean: str, english: str) -> None:
    assert glossed_terms(f"어제 {korean} 문제") == {english}


def test_a_korean_distribution_is_no_deployment() -> None:
    assert glossed_terms("리눅스 배포판에서 Killed 가 떠요") == frozenset()


@pytest.mark.parametrize(("paste", "serving"), [
    ("파드가 OOMKilled 됐어요.", True),
    ("컨테이너가 exit code 137로 종료됐어요.", True),
    ("스크립트가 exit code 137로 종료됐어요.", False),  # some program, no deployment in sight
])
def test_a_kill_in_a_korean_deployment_is_a_deployments(paste: str, serving: bool) -> None:
    assert serving_around_a_death(prepare(extract(paste))) is serving


@pytest.mark.parametrize("line", [
    "컨테이너가 OOMKilled로 죽었어요", "파드가 계속 CrashLoopBackOff에 빠져요",
    "컨테이너가 exit code 137로 종료됐어요",
])
def test_a_particle_after_an_event_keeps_it_a_failure_line(line: str) -> None:
    assert failure_line(line) and line_signal(line) >= 2.0
