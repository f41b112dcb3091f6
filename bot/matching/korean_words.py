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

korean21: a line is read in order with its grammar (read): the endings and short words that
English says in words of its own ("-자마자" right after, "후에" after, "-인지" if), a word split
by a space or two typed without one, and pairs of words that say one thing ("메모리 부족" out of
memory). The learned parts read these English words too (precedents, the context model), and
the prose search and the entry overlap count a Korean word and its English once.
"""

from __future__ import annotations

# Korean stem -> the English word it names. A Korean word counts when it starts with the stem:
# the particle or verb ending after it ("파드가", "재시작돼요", "배포했는데") does not change what
# it names. The longest stem a word starts with decides ("웹서비스" before "웹").
SETTING_STEMS: dict[str, str] = {  # the setting of a failure (korean.py reads these too)
    "파드": "pod",
    "포드": "pod",
    "컨테이너": "container",
    "콘테이너": "container",  # a common spelling of the loanword
    "배포": "deployment",  # also the verb: 배포했는데, 배포한, 배포된, 배포하자마자
    "디플로이": "deployment",  # the loanword, as 배포 (디플로이먼트, 디플로이했는데)
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
    "리스타트": "restart",  # the loanword, as 재시작
    "재기동": "restart",
    "시작": "starts",
    "계속": "keeps",  # 계속 재시작돼요: "keeps restarting"
    "자꾸": "keeps",
    "반복": "keeps",
    "재배포": "redeploy",
    "죽": "crash",  # 죽어요, 죽었어요, 죽는: "dies" in chat, the entries' "crashes"
    "크래시": "crash",
    "크래쉬": "crash",
    "충돌": "conflict",
    "종료": "terminated",
    "멈": "hang",  # 멈춰요, 멈췄어요
    "실패": "failed",
    "에러": "error",
    "오류": "error",
    "타임아웃": "timeout",
    "늦": "slow",  # 늦어요, 늦게: "slow to answer"
    "불가": "unavailable",  # 서비스 불가, 사용 불가: 503's "Service Unavailable"
    "과부하": "overloaded",
    "몰리": "under load",  # 요청이 몰리면: "requests under load"
    "몰려": "under load",
    "부하": "load",
    "없": "no",  # 응답이 없어요, 로그가 없다가: "no response", "no logs"
    "않": "not",  # 뜨지 않아요, 되지 않고: "does not come up"
    "원인": "cause",
    "시간": "time",
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
    "배드": "bad",  # 배드 게이트웨이: 502's "Bad Gateway" said aloud
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
    "모르": "don't know",  # 모르겠어요: "I don't know"
    "잘못": "wrong",
}
# Words read only whole (after their particle): as a stem each begins unrelated words
# (안녕하세요 is "hello", 못하다 "to be poor at").
WHOLE: dict[str, str] = {
    "못": "cannot",
    "안": "not",
    "어디": "where",
    "어떻게": "how",
    "왜": "why",
    # When and how often: English says these in words of their own ("after the deployment",
    # "every time", "while loading"), Korean in a noun after the verb.
    "후": "after", "후에": "after", "뒤에": "after", "다음에": "after", "이후": "after",
    "이후에": "after", "직후": "right after", "직후에": "right after",
    "전에": "before", "이전에": "before",
    "때": "when", "때마다": "every time", "매번": "every time", "항상": "always",
    "중": "while", "중에": "while", "도중": "while", "도중에": "while", "동안": "while",
    "가끔": "sometimes", "갑자기": "suddenly", "다시": "again", "너무": "too",
    "혹시": "maybe", "아마": "maybe",
    "뭐": "what", "뭘": "what", "뭔가요": "what", "뭘까요": "what", "뭔지": "what",
    "무엇": "what",
}
# Grammar a Korean word ends in that its English twin says in words of its own, read after
# the word's stem ("시작하자마자" -> "starts right after", "문제인지" -> "problem if"): the
# longest ending decides. Endings only, not meanings: a word without a listed stem gets its
# ending's English alone ("몰리면" -> "load when" is the stem's and the ending's).
ENDINGS: dict[str, str] = {
    "자마자": "right after",  # 시작하자마자: "right after it starts"
    "인지": "if", "는지": "if", "은지": "if", "한지": "if", "된지": "if", "건지": "if",
    "하면": "when", "되면": "when", "으면": "when", "리면": "when", "내면": "when",
    "르면": "when", "하니까": "when", "하니": "when",
    "해서": "because", "돼서": "because", "되어서": "because", "라서": "because",
    "이라서": "because", "해서요": "because", "때문에": "because", "때문인지": "because if",
    "하다가": "while", "되다가": "while", "다가": "while",
    "마다": "every",  # 요청마다, 배포할 때마다
}
_ENDINGS_BY_LENGTH = sorted(ENDINGS, key=len, reverse=True)
# Two words that say one thing their English twin says in other words ("메모리 부족" is "out
# of memory", not a lack of something; "시간 초과" is a timeout): the pair's stems -> English.
# Not "리소스 부족": a person's "the nodes lack resources" is not the scheduler's printed
# "Insufficient resources" (its pattern makes a paste sure), in Korean as in English.
PAIRS: dict[tuple[str, str], str] = {
    ("메모리", "부족"): "out of memory",
    ("램", "부족"): "out of memory",
    ("메모리", "초과"): "memory limit exceeded",
    ("시간", "초과"): "timeout",
    ("잘못", "게이트웨이"): "bad gateway",  # 잘못된 게이트웨이: a browser's Korean 502
    ("서비스", "불가"): "service unavailable",
}
# Words that start with a stem and name something else.
NOT_GLOSSED = ("배포판",  # a Linux distribution
               "죽이",  # 죽이다: to kill (a process someone kills is not a crash)
               "대기업", "로드맵", "큐레이", "램프", "충돌없",
               "없애", "없앴",  # 없애다: to remove, not "no"
               "후보", "후속", "후기",  # a candidate, a follow-up, a review: not "after"
               "중요", "중단", "중복", "중간")  # important, stop, duplicate, middle: not "while"
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


def _ending(word: str, stem: str | None) -> str | None:
    """The English of the grammar `word` ends in after its stem, or None."""
    # The ending may take the stem's last letter ("몰리면": 몰리 + 면, read by "리면").
    return next((ENDINGS[ending] for ending in _ENDINGS_BY_LENGTH
                 if word.endswith(ending) and len(word) > len(ending)
                 and len(word) - len(ending) >= len(stem or "") - 1), None)


def _stems(word: str) -> list[str]:
    """The listed stems `word` is made of: its own, then one more when the rest of it starts
    with a listed stem of two letters or more, for the compounds people type without a space
    ("메모리부족으로", "시간초과", "모델서버가")."""
    stem = korean_stem(word)
    if stem is None or stem in WHOLE:
        return [stem] if stem else []
    rest = word[len(stem):]
    second = next((other for other, _ in _BY_LENGTH if len(other) >= 2 and rest.startswith(other)
                   and not rest.startswith(NOT_GLOSSED)), None)
    return [stem, second] if second else [stem]


def compound_parts(word: str) -> tuple[str, str] | None:
    """(first, rest) of a Korean word typed as two listed words without the space between them
    ("메모리부족", "시간초과", "모델서버"), or None: the word as the two words a spaced
    wording gives, so "메모리부족으로" meets the signatures and patterns that say "메모리 부족"
    (tokens.words gives the parts besides the whole, as it does for `CrashLoopBackOff`)."""
    stems = _stems(word)
    if len(stems) < 2 or len(stems[0]) < 2:
        return None
    return stems[0], word[len(stems[0]):]


def read(words: list[str]) -> list[str]:
    """The English reading of consecutive Korean words (one string per word, "" for a word
    with nothing listed): each word's stems and ending ("시작하자마자" -> "starts right
    after"), a word split by a space joined again when the two make a listed stem ("재 시작",
    "엔드 포인트", "타임 아웃"), and two words that say one thing (PAIRS: "메모리 부족" ->
    "out of memory") read as one."""
    joined = list(words)
    for number in range(len(joined) - 1):
        both = joined[number] + joined[number + 1]
        stem = korean_stem(both)
        if stem and len(stem) > len(joined[number]) and korean_stem(joined[number]) != stem:
            joined[number], joined[number + 1] = "", both
    out: list[str] = []
    last: str | None = None  # the last stem of the word before
    for word in joined:
        stems = _stems(word) if word else []
        parts = [english_of(stem) or "" for stem in stems]
        if last and stems and (last, stems[0]) in PAIRS:
            out[-1] = ""
            parts[0] = PAIRS[last, stems[0]]
        if len(stems) == 2 and (stems[0], stems[1]) in PAIRS:
            parts = [PAIRS[stems[0], stems[1]]]
        ending = _ending(word, stems[-1] if stems and stems[-1] not in WHOLE else None) \
            if word and not (stems and stems[-1] in WHOLE) else None
        out.append(" ".join(part for part in [*parts, ending or ""] if part))
        last = stems[-1] if stems else None
    return out


def is_hangul(word: str) -> bool:
    return "\uac00" <= word[:1] <= "\ud7a3"
