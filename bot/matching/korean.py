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

from bot.matching.tokens import words

# Korean stem -> the English word it says. A Korean word counts when it starts with the stem:
# the particle or verb ending after it ("파드가", "파드에서도", "배포했는데", "배포된") does not
# change what it names. Every stem is a noun that begins no other common word.
GLOSSARY: dict[str, str] = {
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
# Words that start with a stem and name something else: a Linux distribution (배포판).
_NOT_GLOSSED = ("배포판",)
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
MAX_CHARS = 20_000  # as context.MAX_CHARS: the setting shows early


def _english(korean: str) -> str | None:
    if korean.startswith(_NOT_GLOSSED):
        return None
    return next((english for stem, english in GLOSSARY.items() if korean.startswith(stem)),
                None)


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
    found = (_english(word) for word in paste_words if "\uac00" <= word[:1] <= "\ud7a3")
    return frozenset(form for english in found if english for form in words(english))
