"""Words of an error line, as the token scorer sees them.

`CrashLoopBackOff`, `crash loop back-off` and `Back-off` should meet halfway, and so should
`ModuleNotFoundError` and `module not found`: a compound gives its whole form and its parts.
Korean words lose a trailing particle (`로그를` -> `로그`), so chat around an error still counts.
Placeholders from masking (`<num>`, `<uuid>`) are not words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from bot.matching.korean_words import compound_parts

_PLACEHOLDER = re.compile(r"<[a-z]+>")
# A word: letters/digits joined by `_ - .` (identifiers, `nvidia.com`, `back-off`), or Hangul.
_WORD = re.compile(r"[A-Za-z0-9]+(?:[_.\-][A-Za-z0-9]+)*|[\uac00-\ud7a3]+")
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SEPARATOR = re.compile(r"[_.\-]")
_KOREAN_PARTICLES = ("에서", "으로", "에게", "까지", "부터", "이", "가", "을", "를", "은", "는",
                     "에", "의", "도", "로", "와", "과", "만")

def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words every error text uses (including the HTTP reason phrases: `409 Conflict` says no more
# than `409`, and every HTTP client in the world prints them; so do the words of a proxy's HTML
# error page). Their document frequency gets a floor (a background corpus, in effect) so that in
# a small knowledge base `the` or `error` never counts as a rare word.
FUNCTION_WORDS = _listed("""
a an and are as at be been but by can could did do does for from had has have how i if in into
is it its my me no not of on or our so than that the their then there this to was we were what
when where which while will with you your yes after before again also any all only out up down
get got use used using via per just still why please help
""")
GENERIC_LOG_WORDS = _listed("""
error errors err exception exceptions failed fail failure fails failing warning warn info debug
traceback most recent call last file line raise raised return returned true false none null
message code status reason type value result request response service server client
deployment deploy deployed endpoint online model models web webservice container pod
azure azureml ml python py running start started time unable cannot can't invalid
found new name id data check see log logs occurred following please details detail
http https get post api version v1 v2 local default
kill killed terminated timeout timed memory connection refused closed retry retrying unknown
unexpected internal please try again above below instance process
such directory exist exists permission argument arguments object attribute expected got key
index list dict str int call module named
conflict bad gateway unavailable forbidden unauthorized unauthorised ok created accepted
html head title body center hr h1 nginx doctype
""")
# The wrapper text of the Azure ML SDK and CLI, printed around whatever went wrong: "Service
# deployment polling reached non-successful terminal state, current service state: Unhealthy",
# "WebserviceException: Message: Received bad response from Resource Provider", "InnerException",
# "ErrorResponse", "{'Azure-cli-ml Version': ..., 'Error': ...}", headers, correlation ids and
# "Please refer to https://aka.ms/debugimage#... for more information" (the anchor names the
# problem, the link text does not).
# It names no problem of its own: a paste matching only this text must not get an answer, so it
# weighs like a common log word however few entries happen to quote it.
AZURE_WRAPPER_WORDS = _listed("""
webserviceexception webserviceerror poll polling reached non successful nonsuccessful terminal
state current innerexception inner innererror errorresponse azurecliml cli resource
provider operation operations correlation session sdk microsoft
refer more information debugimage akams
""")

MIN_WORD_LENGTH = 2
FUNCTION_WEIGHT = 0.3
GENERIC_WEIGHT = 1.0


def words(text: str) -> list[str]:
    """Lower-case words of `text`: whole compounds, their parts, de-particled Korean."""
    if "<" in text:  # no placeholder without one: most signatures and lines are left as they are
        text = _PLACEHOLDER.sub(" ", text)
    # Chained in C: a Python loop extending a list per token was a tenth of words()' time.
    return list(chain.from_iterable(map(_token_words, _WORD.findall(text))))


@lru_cache(maxsize=1 << 12)  # ~2 MB at most: a web worker lives long
def _token_words(word: str) -> tuple[str, ...]:
    """The words one token gives. Memoised, bounded: the same tokens (`error`, `failed`,
    `nvidia.com`) recur in every signature and line, and splitting them was a fifth of the time
    to index a large knowledge base."""
    if word.islower() and word.isalpha() and word.isascii():
        # A plain lower-case word (most of them, and most of a team KB's own words, which the
        # bounded memo cannot keep) has no parts: what _split_token() gives, without its four
        # regular expressions (tests/test_tokens.py compares the two).
        return (stem(word),) if len(word) >= MIN_WORD_LENGTH else ()
    return _split_token(word)


def _split_token(word: str) -> tuple[str, ...]:
    """The words any token gives: the whole compound and its parts, or de-particled Korean."""
    if "\uac00" <= word[0] <= "\ud7a3":
        out = [_strip_particle(word)]
        parts = compound_parts(word)  # "메모리부족으로" is "메모리" and "부족" too
        if parts is not None:
            out += [parts[0], _strip_particle(parts[1])]
    else:
        lowered = word.lower()
        pieces = [piece for piece in _SEPARATOR.split(word) if piece]
        parts: list[str] = []
        for piece in pieces:
            camel = _CAMEL_PART.findall(piece)
            parts.extend(camel if len(camel) > 1 else [piece])
        out = [_SEPARATOR.sub("", lowered)]
        if len(parts) > 1:
            out.extend(part.lower() for part in parts)
    return tuple(stem(word) for word in out if len(word) >= MIN_WORD_LENGTH or word.isdigit())


_SUFFIXES = ("ing", "ure", "ed", "es", "s")


def stem(word: str) -> str:
    """A light English stemmer: `failed`, `failure`, `fails` -> `fail`; `building` -> `build`.

    Only plain lower-case words of 5+ letters, so `status`, `oomkilled` as a whole and numbers
    stay; precision matters less than `failure` meeting `failed`.
    """
    if len(word) < 5 or not word.endswith(_SUFFIXES) or not word.isalpha() or not word.isascii():
        return word  # (most words end in none of the suffixes: one test instead of five)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


def _strip_particle(word: str) -> str:
    if len(word) < 3:
        return word
    for particle in _KOREAN_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def background_weight(word: str) -> float | None:
    """The fixed weight of a word every error text uses, or None for a word the KB decides.

    Fixed, not counted: 10,000 team entries that say "error" and "timeout" must not change what
    those words are worth to the shipped entries (nor can a small KB make `the` a rare word).
    """
    if word in FUNCTION_WORDS:
        return FUNCTION_WEIGHT
    if word in _GENERIC_STEMS or word.isdigit():  # kept codes: every product prints 409, 137
        return GENERIC_WEIGHT
    return None


_GENERIC_STEMS = frozenset(stem(word) for word in GENERIC_LOG_WORDS | AZURE_WRAPPER_WORDS)
