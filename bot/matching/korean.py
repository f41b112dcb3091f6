"""The setting a Korean paste names, in the English words the setting checks read.

The checks that tell a deployment's failure from any program's (confidence.serving_context,
serving_around_a_death, deployment_context; scope.no_model_served, web_app_only) look for
English words: pod, container, deployment, endpoint, model. A Korean paste says them in
Korean ("파드가 OOMKilled 됐어요", "컨테이너가 exit code 137로 종료됐어요", "엔드포인트를 호출하면
502가 떠요"), so before round 16 it showed no setting at all: its kill read as a bare kill of
some process and was never sure, while its English twin ("The pod is OOMKilled") was. Each
Korean word below is the everyday word Korean engineers use for the English one (loanwords
and Sino-Korean terms); gloss() gives the English word form of each Korean word of a paste
that starts with one, so the same checks read both languages.

Only the setting's words, not the error's: the error lines a Korean paste quotes are English
already (OOMKilled, CrashLoopBackOff, 502), and the entries' signatures match them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.matching.korean_words import SETTING_STEMS, is_hangul, korean_stem, read
from bot.matching.tokens import stem, words

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
MAX_CHARS = 20_000  # as context.MAX_CHARS: the setting shows early


def _english(korean: str) -> str | None:
    """The English word of the setting (korean_words.SETTING_STEMS: 파드, 배포, 엔드포인트...)
    a Korean word names, or None: the same stem lookup as korean_words.english_of (its
    particle or verb ending does not matter, 배포판 is not 배포), kept to the setting, which is
    all the deployment checks read."""
    stem = korean_stem(korean)
    return None if stem is None else SETTING_STEMS.get(stem)


def glossed_terms(text: str) -> frozenset[str]:
    """The English words (lower case, as context.paste_terms gives them) that the Korean
    words of `text` name."""
    if not _HANGUL_WORD.search(text[:MAX_CHARS]):
        return frozenset()
    found = (_english(word) for word in _HANGUL_WORD.findall(text[:MAX_CHARS]))
    return frozenset(english for english in found if english)


def gloss(paste_words: Iterable[str]) -> frozenset[str]:
    """The English word forms (tokens.words: stemmed, as a paste's all_words holds them) that
    the Korean words among `paste_words` name."""
    found = (_english(word) for word in paste_words if is_hangul(word))
    return frozenset(form for english in found if english for form in words(english))


def english_words(found: Iterable[str]) -> frozenset[str]:
    """The English word forms (tokens.words, stemmed) of the listed Korean words among `found`
    (a paste's words, each read alone): what its English twin would hold ("재시작돼요" ->
    "restart"), so the paste meets the English signatures too, besides the Korean ones."""
    return _inflected([form for word in found if is_hangul(word)
                       for form in words(read([word])[0])])


def _readings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, English) of each Korean word of `text`, read with its neighbours
    (korean_words.read: a word split by a space, two words that say one thing) where only
    spaces part them."""
    found = list(_HANGUL_WORD.finditer(text))
    readings: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []
    for number, word in enumerate(found):
        run.append(word)
        following = found[number + 1] if number + 1 < len(found) else None
        if following is None or not text[word.end():following.start()].isspace():
            readings += [(part.start(), part.end(), english)
                         for part, english in zip(run, read([part.group() for part in run]),
                                                  strict=True)]
            run = []
    return readings


def english_words_in(text: str) -> frozenset[str]:
    """The English word forms (tokens.words, stemmed) the Korean words of `text` say, read in
    order (_readings): "메모리 부족으로" holds "out" and "memory" as "out of memory" does,
    "시작하자마자" "start", "right" and "after". What scoring.prepare adds to a Korean line's
    own words."""
    if not _HANGUL_WORD.search(text):
        return frozenset()
    return _inflected(words(" ".join(english for _, _, english in _readings(text))))


def _inflected(forms: list[str]) -> frozenset[str]:
    """`forms` and, for a word ending in "e", the stem its inflections share (tokens.stem:
    "deleting", "deleted" and "deletes" are "delet", "updating" is "updat", "images" is
    "imag", while "delete" stays itself): a Korean verb is read as the bare English verb
    ("삭제했더니" -> "delete"), and its English twin says it inflected."""
    return frozenset([*forms, *(stem(form + "d") for form in forms
                                if form.endswith("e") and len(form) >= 5 and form.isalpha())])


def in_english(text: str) -> str:
    """`text` with each Korean word read in English and the other Korean words left out
    ("파드가 자꾸 재시작돼요" -> "pod keeps restart"): the line a Korean paste's shape is
    compared in against the English signatures (scoring._signature_evidence), where Korean
    letters share no characters with them and a Korean line is half as long as its English
    twin."""
    if not _HANGUL_WORD.search(text):
        return text
    parts, at = [], 0
    for start, end, english in _readings(text):
        parts += [text[at:start], english]
        at = end
    return "".join([*parts, text[at:]])


def english_reading(text: str) -> str:
    """The English reading (in_english) of the head of `text` that the setting shows in (as
    context.MAX_CHARS), "" when it holds no Hangul: what the context model reads of a Korean
    paste besides its own English words."""
    head = text[:MAX_CHARS]
    return in_english(head) if _HANGUL_WORD.search(head) else ""
