"""Korean words weighed like their English twins without breaking kb check (korean20,
porting korean19).

Before, Korean words met the entries only through the few Korean signatures and the entries'
Korean text, each in its own inflected form: "재시작돼요" met nothing ("재시작되고" is the
signature's form) while "restarting" met every entry that says "restart", so "배포한 컨테이너가
계속 재시작돼요. 로그를 보니 init에서 실패하네요" was unknown where its English twin was
"probably" the crash at start-up. korean19 weighed Korean words as their English twins in place
of their own weights, and 21 of the knowledge base's own Korean signatures then failed to match
themselves surely (kb check; the teaching service runs the same check). Now a Korean paste
keeps its Korean words with their own weights AND holds the English words its listed Korean
words name (scoring.prepare), its lines are also read in English for the shape check, and the
prose search also reads the English words (korean_words.py).

korean21: the learned parts and the prose search read a Korean paste in English too (the
context model its English reading, the precedents a listed Korean word as its English word,
the prose search each listed word once, in English where the entries say it), and the reading
follows Korean grammar (korean_words.read: endings, time words, words split by a space, pairs
that say one thing, compounds typed without their space, spelling variants of loanwords), and
the entries' English patterns read a Korean line's English reading. The three pairs where the
Korean was less sure agree, and NEW_TWINS covers the entries the first pairs did not.

Each pair is a Korean paste and its English twin, both written for these tests (no evaluation
paste is copied): same first entry, same tier.
"""

from __future__ import annotations

import pytest

from bot.matching.extraction import extract
from bot.matching.korean import english_words, english_words_in, in_english
from bot.matching.korean_words import is_hangul
from bot.matching.matcher import default_matcher
from bot.matching.precedents import paste_words
from bot.matching.prose import ProseIndex
from bot.matching.scoring import _pattern_evidence as pattern_evidence
from bot.matching.scoring import prepare
from bot.matching.tokens import words

# (Korean, English twin, the entry both list first, the tier both get)
TWINS = [
    ("배포한 컨테이너가 계속 재시작돼요. 로그를 보니 init에서 실패하네요",
     "the container keeps restarting after deploy, the log shows init failing",
     "service-launch-fails", "likely"),
    ("파드가 Pending 상태에서 스케줄링이 안 돼요", "the pod stays Pending and is not scheduled",
     "container-cannot-be-scheduled", "likely"),
    ("노드 리소스가 부족해서 파드가 대기 중이에요",
     "the pod is pending because the nodes lack resources", "container-cannot-be-scheduled",
     "likely"),
    ("init에서 모델 파일을 못 찾아요", "init cannot find the model file",
     "function-fails-get_model_path", "likely"),
    ("컨테이너가 계속 죽어요", "the container keeps crashing", "service-launch-fails", "unknown"),
    ("엔드포인트가 느려요", "the endpoint is slow", "http-status-code-504", "unknown"),
    ("요청이 몰리면 503이 떠요", "requests get 503 under load", "http-status-code-503", "unknown"),
    ("배포 후에 엔드포인트가 계속 재시작돼요. 메모리 문제인지 모르겠어요",
     "After deploying, the endpoint keeps restarting. I don't know if it's a memory problem",
     "service-launch-fails", "unknown"),
    # korean21: round 17's STILL_APART, the Korean less sure. Its grammar is read in English
    # too ("후에" after, "-자마자" right after), the precedents and the context model read its
    # listed words as their English, and the prose search counts each word once.
    ("컨테이너가 배포 후에 계속 재시작돼요", "the container keeps restarting after the deployment",
     "service-launch-fails", "likely"),
    ("모델 서버가 시작하자마자 죽어요", "the model server crashes right after it starts",
     "service-launch-fails", "likely"),
    ("파드가 자꾸 죽는데 메모리 문제일까요?",
     "the pod keeps crashing, could it be a memory problem?", "service-launch-fails", "likely"),
    # korean21: round 17's Korean-only wording, the Korean surer: "메모리 부족" now reads as
    # "out of memory", which its English twin says.
    ("파드가 메모리 부족으로 죽어요", "the pod crashes because it runs out of memory",
     "vm-out-of-memory", "likely"),
    # korean21: the Korean was sure, its twin "probably"; a Korean word and its English
    # reading now count once in the entry's words found (features._word_overlap). The Korean
    # is at p .90 by the full model, near the sure threshold (.89): the own-evidence rule
    # keeps it "probably" today.
    ("배포할 때 이미지 빌드가 실패해요", "the image build fails when I deploy",
     "image-build-fails", "likely"),
]


# korean21: the entries the pairs above do not cover, written as people write in the channel:
# short, casual, the status code or reason phrase in Korean words, a pasted error line, a
# loanword spelled another way, a word split by a space or two typed without one.
NEW_TWINS = [
    ("엔드포인트 업데이트하는데 409 Conflict 떠요. 다른 작업이 진행 중이래요",
     "updating the endpoint gives 409 Conflict, it says another operation is in progress",
     "http-status-code-409", "unknown"),
    ("웹서비스 업데이트 중에 삭제했더니 409 충돌 에러가 나요",  # 충돌: the reason phrase
     "deleting the webservice while it was updating gives a 409 conflict error",
     "http-status-code-409", "likely"),
    ("엔드포인트 호출하면 잘못된 게이트웨이 에러가 나요",  # a browser's Korean 502
     "calling the endpoint returns a bad gateway error", "http-status-code-502", "unknown"),
    ("트래픽 몰릴 때 서비스 불가 에러가 나요",
     "we get service unavailable errors under heavy traffic", "http-status-code-503", "unknown"),
    ("요청이 몰리면 서비스 불가 에러가 떠요",
     "under load the requests get service unavailable errors", "http-status-code-503",
     "unknown"),
    ("추론 요청이 오래 걸리면 게이트웨이 타임아웃이 나요",
     "a long inference request ends in a gateway timeout", "http-status-code-504", "likely"),
    ("요청이 1분 넘게 걸리다가 게이트웨이 시간 초과가 떠요",
     "the request takes over a minute and then a gateway timeout", "http-status-code-504",
     "unknown"),
    ("FPGA로 배포하려는데 할당량이 없다고 실패해요",
     "deploying to FPGA fails because there is no quota", "fpga-quota", "likely"),
    ("배포 전에 로컬에서 도커로 먼저 테스트해 보고 싶어요",
     "I want to test it locally in docker before deploying", "debug-locally", "likely"),
    ("배포하는데 이미지 빌드 단계에서 pip install이 실패해요",
     "the deployment fails at the image build step, pip install fails", "image-build-fails",
     "likely"),
    ("VS Code로 배포 컨테이너에 디버거 붙이는 방법 있나요?",
     "is there a way to attach a VS Code debugger to the deployment container?",
     "advanced-debugging", "likely"),
    ("요청 보낼 때마다 이렇게 떠요\n"
     "TypeError: run() missing 1 required positional argument: 'raw_data'",
     "every request I send gives this\n"
     "TypeError: run() missing 1 required positional argument: 'raw_data'",
     "function-fails-runinput_data", "unknown"),
    ("init에서 Model.get_model_path 호출할 때 모델을 못 찾는다고 에러나요",
     "init fails when calling Model.get_model_path, it says it cannot find the model",
     "function-fails-get_model_path", "likely"),
    ("파드가 Pending이고 0/3 nodes are available: 3 Insufficient cpu 라고 나와요",
     "the pod is Pending and it says 0/3 nodes are available: 3 Insufficient cpu",
     "container-cannot-be-scheduled", "confident"),
    ("엔드 포인트가 배포 후에 계속 재 시작 돼요",  # words split by a space
     "the endpoint keeps restarting after the deployment", "service-launch-fails", "likely"),
    ("디플로이 하자마자 콘테이너가 크래쉬 나요",  # loanwords as some people spell them
     "the container crashes right after I deploy", "service-launch-fails", "likely"),
    ("메모리부족으로 컨테이너가 계속 죽어요",  # two words typed without their space
     "the container keeps dying because it runs out of memory", "vm-out-of-memory", "unknown"),
]


def _first(paste: str) -> tuple[str, str] | None:
    matches = default_matcher().match(paste).matches
    return (matches[0].entry_id, matches[0].tier) if matches else None


@pytest.mark.parametrize(("korean", "english", "entry", "tier"), TWINS)
def test_a_korean_description_ranks_and_tiers_as_its_english_twin(
        korean: str, english: str, entry: str, tier: str) -> None:
    assert [_first(korean), _first(english)] == [(entry, tier)] * 2


@pytest.mark.parametrize(("korean", "english", "entry", "tier"), NEW_TWINS)
def test_more_korean_descriptions_rank_and_tier_as_their_english_twins(
        korean: str, english: str, entry: str, tier: str) -> None:
    assert [_first(korean), _first(english)] == [(entry, tier)] * 2


# korean21: pairs still apart where neither the reading nor the entries' Korean wording is at
# fault alone. "배드 게이트웨이" reads "bad gateway", but "요청 보내면 ... 에러가 떠요" meets the
# Korean signature "채점 요청을 보내면 500 에러" nearly word for word, so the run() failure
# comes first where its English twin lists the 502 first. Strict: the day they agree, move up.
STILL_APART = [
    ("스코어링 요청 보내면 배드 게이트웨이 에러가 떠요",
     "sending a scoring request gives a bad gateway error"),
]


@pytest.mark.xfail(strict=True, reason="a Korean description still apart from its English twin")
@pytest.mark.parametrize(("korean", "english"), STILL_APART)
def test_a_korean_description_still_apart_from_its_twin(korean: str, english: str) -> None:
    assert _first(korean) == _first(english)


# Where the knowledge base itself holds a Korean wording with no English twin, the Korean
# paste is still surer: an authored Korean pattern (요청 ... 503) or a
# Korean signature that says the paste nearly word for word. That is the entries' text, not
# how words weigh; strict, so the day the twins agree this table moves up to TWINS.
KB_WORDED_IN_KOREAN_ONLY = [
    ("엔드포인트에 요청을 보내면 503 에러가 나요",
     "sending a request to the endpoint returns a 503 error"),
    ("추론 요청이 오래 걸리다가 504가 떠요",
     "the inference request takes long and then returns 504"),
    ("배포된 컨테이너에 디버거를 연결하려면 어떻게 하나요?",
     "how do I connect a debugger to the deployed container?"),
    ("배포 전에 로컬에서 score.py를 테스트하고 싶어요",
     "I want to test score.py locally before deploying"),
    # korean20: "엔드포인트 호출이 1분쯤 지나면 타임아웃이 나요" makes it "probably" (korean21:
    # both unknown before the refit, the Korean at p .30 and the English at .12; the refit put
    # the Korean at .40), "온라인 엔드포인트 배포 로그는 어디서 보나요" answers the question.
    ("엔드포인트를 호출하면 응답이 없다가 타임아웃이 나요",
     "calling the endpoint gets no response and then a timeout"),
    ("배포 로그는 어디서 볼 수 있나요?", "where can I see the deployment logs?"),
    # korean21: Korean signatures said nearly word for word ("엔드포인트 컨테이너 로그 보는
    # 방법", "배포 전에 내 PC에서 azmlinfsrv로 score.py를 실행해 보는 방법", "배포는 성공했는데
    # 점수 요청마다 run()에서 예외가 나요"); the English questions find less (the first none).
    ("엔드포인트 컨테이너 로그는 어떻게 봐요?", "how do I see the endpoint container logs?"),
    ("azmlinfsrv로 로컬에서 score.py 돌려보려는데 어떻게 해요?",
     "how do I run score.py locally with azmlinfsrv?"),
    ("배포는 성공했는데 요청 보내면 run()에서 에러가 나요",
     "the deployment succeeded but sending a request fails in run()"),
]


@pytest.mark.xfail(strict=True, reason="a Korean-only wording in the knowledge base")
@pytest.mark.parametrize(("korean", "english"), KB_WORDED_IN_KOREAN_ONLY)
def test_a_korean_only_wording_of_the_kb_is_still_surer(korean: str, english: str) -> None:
    assert _first(korean) == _first(english)


def test_a_korean_restart_lists_the_crash_at_start_up() -> None:
    # The brief's example: "재시작" (restart) had no weight, so the crash at start-up was not
    # among the candidates of a hedged memory guess; its English twin puts it first.
    paste = "파드가 자꾸 재시작되는데 메모리 문제인지 모르겠어요"
    listed = [match.entry_id for match in default_matcher().match(paste).matches]
    assert listed[0] == "service-launch-fails"


# Vague texts, a guess or a complaint: never "probably" nor sure, in either language.
VAGUE = [
    ("배포가 안 돼요. 도와주세요", "the deployment doesn't work, please help"),
    ("모델이 이상해요", "the model is acting weird"),
    ("메모리 문제일까요?", "could it be a memory problem?"),
    ("엔드포인트가 가끔 느려지는데 왜 그럴까요?", "why does the endpoint get slow sometimes?"),
]


@pytest.mark.parametrize(("korean", "english"), VAGUE)
def test_a_vague_text_is_not_probably_in_either_language(korean: str, english: str) -> None:
    for paste in (korean, english):
        assert all(match.tier == "unknown" for match in default_matcher().match(paste).matches)


def _korean_signatures() -> list[tuple[str, str]]:
    return [(entry.id, signature) for entry in default_matcher().kb
            for signature in entry.signatures if is_hangul(signature[:1])
            or any(is_hangul(word) for word in words(signature))]


def test_every_korean_signature_of_the_knowledge_base_answers_itself() -> None:
    # What kb check and the teaching service ask of a signature: pasted alone, its own entry
    # comes first. korean19 failed this for 21 of them ("로컬에서 디버그하는 방법" scored 0).
    matcher = default_matcher()
    signatures = _korean_signatures()
    assert len(signatures) >= 20
    firsts = {(entry, signature): [match.entry_id for match in matcher.match(signature).matches][:1]
              for entry, signature in signatures}
    assert all(first == [entry] for (entry, _), first in firsts.items()), firsts


@pytest.mark.parametrize(("signature", "entry"), [
    ("로컬에서 디버그하는 방법", "debug-locally"),
    ("배포 로그를 어떻게 확인하나요", "get-deployment-logs"),
    ("채점 URI를 호출하면 502 Bad Gateway", "http-status-code-502"),
])
def test_a_korean_signature_answers_itself_surely(signature: str, entry: str) -> None:
    # Three of korean19's 21 kb check failures: scored 0, or matched but not surely.
    assert _first(signature) == (entry, "confident")


def test_a_korean_paste_keeps_its_korean_words_and_holds_their_english() -> None:
    found = words("파드가 자꾸 재시작돼요")
    assert {"파드", "재시작돼요"} <= set(found)  # the Korean signatures' own words
    assert english_words(found) >= {"pod", "keep", "restart"}  # its English twin's


def test_korean_text_is_read_in_english_for_the_shape_check() -> None:
    assert in_english("파드가 자꾸 재시작돼요").split() == ["pod", "keeps", "restart"]
    assert in_english("the pod restarts") == "the pod restarts"


def test_the_prose_search_reads_a_korean_question_in_english_too() -> None:
    # Its English words meet every entry its English twin meets, its Korean words the
    # entries' Korean text besides.
    prose = ProseIndex(default_matcher().kb)
    korean = prose.search("로컬에서 테스트하는 방법")
    english = prose.search("local test")
    assert english and set(english) <= set(korean)


# korean21: how the reading works, on words written for these tests.
@pytest.mark.parametrize(("korean", "english"), [
    ("서버가 시작하자마자 죽어요", "server starts right after crash"),  # -자마자
    ("배포 후에 파드가 재시작돼요", "deployment after pod restart"),  # a time word
    ("노드 문제인지 모르겠어요", "node problem if don't know"),  # -인지, 모르
    ("엔드포인트 호출하면 응답이 없어요", "endpoint call when response no"),  # -면, 없
    ("엔드 포인트가 재 시작 돼요", "endpoint restart"),  # words split by a space
    ("파드가 메모리 부족으로 죽어요", "pod out of memory crash"),  # a pair that says one thing
    ("메모리부족으로 파드가 죽어요", "out of memory pod crash"),  # the pair typed as one word
    ("게이트웨이 시간 초과가 떠요", "gateway timeout"),
    ("콘테이너가 리스타트돼요", "container restart"),  # loanwords as some spell them
])
def test_a_korean_line_is_read_in_english_with_its_grammar(korean: str, english: str) -> None:
    assert in_english(korean).split() == english.split()


def test_a_compound_typed_without_its_space_gives_its_parts() -> None:
    assert {"메모리", "부족"} <= set(words("메모리부족으로 죽어요"))
    assert {"시간", "초과"} <= set(words("시간초과가 나요"))
    assert words("리눅스 배포판에서") == ["리눅스", "배포판"]  # not a deployment


def test_an_english_verb_meets_its_inflections() -> None:
    # "삭제했더니" reads "delete"; its English twin says "deleting" (tokens.stem: "delet")
    assert {"delete", "delet"} <= english_words_in("업데이트 중에 삭제했더니")


def test_the_precedents_read_a_listed_korean_word_as_its_english_word() -> None:
    # The labelled pastes hold Korean only in a few openings around English logs: "배포" and
    # "계속" found those, whatever their label, instead of the English twin's neighbours.
    found = paste_words(prepare(extract("어제 배포한 컨테이너가 계속 재시작돼요")))
    assert {"deployment", "container", "keep", "restart", "어제"} <= set(found)
    assert not {"배포한", "컨테이너", "계속", "재시작돼요"} & set(found)


def test_the_context_model_reads_a_korean_paste_in_english_too() -> None:
    terms = default_matcher().survey("파드가 자꾸 재시작돼요").terms
    assert {"pod", "keeps", "restart", "pod keeps"} <= terms


def test_the_prose_search_counts_a_korean_word_once() -> None:
    # "파드" is a rare Korean word of the few entries whose translation says it (the English
    # texts say "pod" everywhere): read as both, it pulled those entries ahead of the one the
    # English twin finds.
    prose = ProseIndex(default_matcher().kb)
    korean = prose.search("파드가 자꾸 죽어요")
    english = prose.search("the pod keeps crashing")
    assert max(korean, key=korean.__getitem__) == max(english, key=english.__getitem__)


def test_an_english_pattern_reads_a_korean_line_in_english() -> None:
    # http-status-code-503's pattern for "under load ... unavailable": "몰리면" reads "under
    # load when", "서비스 불가" "service unavailable". Shown as the whole Korean line.
    matcher = default_matcher()
    line = "요청이 몰리면 서비스 불가 에러가 떠요"
    found = [(matcher.index.entry_ids[entry], evidence.span)
             for entry, evidence in pattern_evidence(matcher.index, prepare(extract(line)))
             if not is_hangul(evidence.source[4:5])]
    assert ("http-status-code-503", (0, len(line))) in found
