"""The English word a Korean chat word says, so a Korean paste also meets the English signatures.

Korean words meet the entries through the knowledge base's few Korean signatures, weighed there
as rare words by how few signatures use them (index.py), so a Korean signature matches itself
surely (kb check, and the teaching service's same self-match). A Korean description met nothing
else: its English twin meets every entry that says "restart" where "재시작돼요" met only the
Korean signature that says "재시작되고". So a Korean paste also holds the English words its
listed Korean words name (korean.english_words, scoring.prepare), its lines are also read in
English for the shape check (korean.in_english), and the prose search also reads the English
words (prose.py): ADDED to its Korean words, never in their place (korean20). korean19 put
them in their place, weighing a Korean stem as its English word and other Korean words as
function words, and 21 of the knowledge base's own Korean signatures then failed kb check.

Only content words with one everyday meaning in a deployment chat (loanwords and Sino-Korean
terms, plus a few verbs). A Korean word counts when it starts with a listed stem, so its
particle or verb ending does not matter. No imports: korean.py reads this module.
"""

from __future__ import annotations

# Korean stem -> the English word it names. A Korean word counts when it starts with the stem:
# the particle or verb ending after it ("파드가", "재시작돼요", "배포했는데") does not change what
# it names. The longest stem a word starts with decides ("웹서비스" before "웹").
SETTING_STEMS: dict[str, str] = {  # the setting of a failure (korean.py reads these too)
    "파드": "pod",
    "포드": "pod",
    "컨테이너": "container",
    "배포": "deployment",  # also the verb: 배포했는데, 배포한, 배포된, 배포하자마자
    "엔드포인트": "endpoint",
    "모델": "model",
    "추론": "inference",
    "서빙": "serving",
    "쿠버네티스": "kubernetes",
    "레플리카": "replica",
    "스코어링": "scoring",
    "웹앱": "webapp",
    "웹사이트": "website",
}
STEMS: dict[str, str] = {
    **SETTING_STEMS,
    # what happens to it
    "재시작": "restart",
    "시작": "starts",
    "계속": "keeps",  # 계속 재시작돼요: "keeps restarting"
    "자꾸": "keeps",
    "반복": "keeps",
    "재배포": "redeploy",
    "죽": "crash",  # 죽어요, 죽었어요, 죽는: "dies" in chat, the entries' "crashes"
    "크래시": "crash",
    "충돌": "conflict",
    "종료": "terminated",
    "멈": "hang",  # 멈춰요, 멈췄어요
    "실패": "failed",
    "에러": "error",
    "오류": "error",
    "타임아웃": "timeout",
    "느려": "slow",  # 느려요, 느려졌어요
    "느린": "slow",
    "초과": "exceeded",
    "응답": "response",
    "부족": "lack",  # 메모리 부족: "out of memory", not the scheduler's "Insufficient"
    "스케줄": "scheduled",
    "대기": "pending",
    "불러오": "load",
    "로드": "load",
    "로딩": "loading",
    "찾": "find",  # 찾을 수 없어요, 못 찾아요
    "빌드": "build",
    "설치": "install",
    "초기화": "init",
    "업데이트": "update",
    "삭제": "delete",
    "연결": "connect",
    "접속": "connect",
    "호출": "call",
    "요청": "request",
    "거부": "refused",
    # what it happens to
    "메모리": "memory",
    "램": "memory",
    "노드": "node",
    "클러스터": "cluster",
    "리소스": "resource",
    "자원": "resource",
    "할당량": "quota",
    "쿼터": "quota",
    "이미지": "image",
    "레지스트리": "registry",
    "환경": "environment",
    "패키지": "package",
    "모듈": "module",
    "라이브러리": "library",
    "파일": "file",
    "경로": "path",
    "스크립트": "script",
    "함수": "function",
    "입력": "input",
    "출력": "output",
    "가중치": "weights",
    "로그": "log",
    "로그인": "login",
    "서버": "server",
    "서비스": "service",
    "웹서비스": "webservice",
    "게이트웨이": "gateway",
    "워커": "worker",
    "프로세스": "process",
    "프로브": "probe",
    "라이브니스": "liveness",
    "레디니스": "readiness",
    "인스턴스": "instance",
    "디스크": "disk",
    "네트워크": "network",
    "포트": "port",
    "권한": "permission",
    "인증": "authentication",
    "버전": "version",
    "설정": "configuration",
    "명령": "command",
    "트래픽": "traffic",
    "대기열": "queue",
    "큐": "queue",
    "학습": "training",
    "훈련": "training",
    # how it is looked at
    "작은": "small",  # 노드가 너무 작은 걸까요: "is the node too small?"
    "작아": "small",
    "로컬": "local",
    "테스트": "test",
    "디버거": "debugger",
    "디버그": "debug",
    "디버깅": "debug",
    "브레이크포인트": "breakpoint",
    "확인": "check",
    "문제": "problem",
    "이유": "reason",
    "메시지": "message",
    "모르": "know",  # 모르겠어요: "I don't know"
}
# Words read only whole (after their particle): as a stem each begins unrelated words
# (안녕하세요 is "hello", 못하다 "to be poor at").
WHOLE: dict[str, str] = {
    "못": "cannot",
    "안": "not",
    "어디": "where",
    "어떻게": "how",
    "왜": "why",
}
# Words that start with a stem and name something else.
NOT_GLOSSED = ("배포판",  # a Linux distribution
               "죽이",  # 죽이다: to kill (a process someone kills is not a crash)
               "대기업", "로드맵", "큐레이", "램프", "충돌없")
_BY_LENGTH = sorted(STEMS.items(), key=lambda item: len(item[0]), reverse=True)


def korean_stem(word: str) -> str | None:
    """The listed stem (or whole word) a Korean word starts with, or None: `재시작돼요`,
    `재시작되고` and `재시작했는데` all give `재시작`, so a paste meets the entries' Korean
    signatures whatever its verb ending."""
    if word in WHOLE:
        return word
    if word.startswith(NOT_GLOSSED):
        return None
    return next((stem for stem, _ in _BY_LENGTH if word.startswith(stem)), None)


def english_of(word: str) -> str | None:
    """The English word a Korean word (with or without its particle) names, or None."""
    stem = korean_stem(word)
    if stem is None:
        return None
    return WHOLE.get(stem) or STEMS[stem]


def is_hangul(word: str) -> bool:
    return "\uac00" <= word[:1] <= "\ud7a3"
