"""Parameterisation: replace the variable parts of an error with named placeholders.

One table of named patterns, combined into one regular expression (the approach of Sentry's
`src/sentry/grouping/parameterization.py`): `2026-11-25T10:00:01Z pod scorer-7d9f8b6c5-x2kqz
failed, request 3f0c...` and the same error a minute later on another pod mask to the same text.

What carries meaning survives: HTTP status codes next to a status word (`HTTP 502`,
`statuscode: 502`, `503 Service Unavailable`), exit codes (`exit code 137`), signal numbers
(`SIGKILL: 9`), and words such as `CrashLoopBackOff` or `nvidia.com/gpu`, which no pattern
touches. Counts such as `0/3 nodes are available: 3 Insufficient` become `<num>/<num> ...`: the
shape survives, the numbers do not.

Two strengths share the table. `mask()` replaces everything (fingerprints and the fuzzy
comparison), `mask(..., keep_words=True)` leaves quoted values, paths and URLs alone,
because the words inside them (`'/var/azureml-app/azureml-models/...'`,
`No module named 'sklearn'`, the `aka.ms/debugimage#service-launch-fails` of an Azure error)
are evidence for the token scorer even though their exact values differ between pastes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Words that make a nearby 3-digit 4xx/5xx number a status code rather than a count or a line.
# `(server|client) error` after it is requests' own message (raise_for_status: "502 Server
# Error: Bad Gateway for url: ..."), pasted without the `HTTPError:` in front as often as with it.
_STATUS_CONTEXT = re.compile(
    r"(?i)(status|http|code|response|returned|error|bad\s+gateway|service\s+unavailable|"
    r"gateway\s+time-?out|conflict|internal\s+server|too\s+many|forbidden|unauthori[sz]ed|"
    r"not\s+found|upstream|(server|client)\s+error)")
# The verb people put before a code: "returns a 503", "returning 502 or 503", "got a 504", "throws
# a 502". Only right before the code (an article at most between): "returns 500 rows" is a count,
# which the noun after it says, so a code followed by a plural noun stays masked.
_STATUS_VERB_BEFORE = re.compile(
    r"(?i)\b(returns?|returning|returned|got|gets|getting|throws?|throwing|answers?|answered|"
    r"answering|responds?|responded|responding)(\s+with)?\s+(an?\s+)?$")
_COUNTED_AFTER = re.compile(r"\s*[a-z]+s\b")
# Korean says the status word after the code and joins a particle to it: `502 에러`, `502가 떠요`,
# `504 오류가 나요`, `503을 반환`. A count takes a counter word instead (`500개`, `502건`, `503번`).
# The reason phrase said in Korean is a status word as the English one is (korean21): `409
# 충돌` (Conflict), `502 배드 게이트웨이`, `504 게이트웨이 시간 초과`, `503 서비스 불가`.
_KO_STATUS_AFTER = re.compile(
    r"(?:가|이|를|을|로|으로|은|는)?\s*(?:에러|오류|응답|떠|뜨|뜸|뜹|나요|나와|났|납니|발생|반환|리턴|"
    r"충돌|배드|잘못된\s?게이트웨이|게이트웨이|타임\s?아웃|시간\s?초과|서비스\s?불가|과부하)")
_KO_STATUS_BEFORE = re.compile(r"(?:에러|오류|응답|상태\s*코드|코드)\s*[:：]?\s*$")
# A line that is nothing but a code, as people type it to the bot: `/troubleshoot 504`.
_ONLY_A_CODE = re.compile(r"(?i)\s*(?:http\s*)?[45]\d\d\s*(?:error|에러|오류)?\s*[.!?]*\s*")


def only_a_code(text: str) -> bool:
    """The whole text is a status code as people type it to the bot (`504`, `HTTP 409`)."""
    return bool(_ONLY_A_CODE.fullmatch(text))


# kubectl describe spaces its columns: `Exit Code:    137` is an exit code like `exit code 137`.
_EXIT_OR_SIGNAL_CONTEXT = re.compile(
    r"(?i)(exit\s*(code|status)?|exitcode|exit_code|signal|sig[a-z]+|signals\.[a-z]+|"
    r"killed|terminated|returncode|return\s+code)(\W{0,4}|:[ \t]{1,24})$")
_LINE_NUMBER_CONTEXT = re.compile(r"(?i)\b(line|port|pid)\W{0,2}$")


@dataclass(frozen=True)
class MaskPattern:
    name: str  # placeholder name, `<name>`, and the group name in the combined regex
    pattern: str  # verbose-mode regex without the group
    keeps_words: bool = False  # skipped by mask(keep_words=True)
    replace: Callable[[re.Match[str]], str] | None = None  # may return the value unchanged
    # A regex that finds something every match holds ("" when not stated): a text in which it
    # finds nothing cannot match, so masking it can be skipped (most signatures have no digit,
    # dash, quote or slash). tests/test_masking.py checks it against generated matches.
    needs: str = ""
    # Groups of ASCII characters every ASCII match holds one of each of (`("@", ".")`: an `@`
    # and a dot). For an ASCII text, mask() runs only the patterns whose groups it holds
    # (_selected); a pattern that states none runs on every text. Checked like `needs`.
    holds: tuple[str, ...] = ()


def _number(match: re.Match[str]) -> str:
    """Mask a number unless it is a status, exit or signal code (those carry meaning)."""
    value = match.group()
    before = match.string[max(0, match.start() - 40): match.start()]
    after = match.string[match.end(): match.end() + 40]
    status_like = (re.fullmatch(r"[45]\d\d", value)
                   and not _LINE_NUMBER_CONTEXT.search(before[-6:]))
    if status_like and (_ONLY_A_CODE.fullmatch(match.string)
                        or _STATUS_CONTEXT.search(before[-28:])
                        or _STATUS_CONTEXT.match(after.lstrip(" :-"))
                        or (_STATUS_VERB_BEFORE.search(before[-28:])
                            and not _COUNTED_AFTER.match(after))
                        or _KO_STATUS_BEFORE.search(before[-12:])
                        or _KO_STATUS_AFTER.match(after)):
        return value
    if len(value) <= 3 and _EXIT_OR_SIGNAL_CONTEXT.search(before):
        return value
    return "<num>"


# A quoted single capitalised word is a code or a reason, not a value: `"code": "CrashLoopBackOff"`,
# `"reason": "OOMKilled"`, `'state': 'Unhealthy'`. Names, paths and messages are masked.
_QUOTED_CODE = re.compile(r"""(['"])[A-Z][A-Za-z]{2,60}\1""")


def _quoted(match: re.Match[str]) -> str:
    return match.group() if _QUOTED_CODE.fullmatch(match.group()) else "<quoted>"


_DIGITS = "0123456789"  # the only digits `\d` finds in an ASCII text
MASK_PATTERNS: tuple[MaskPattern, ...] = (
    MaskPattern("email", r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+", needs="@",
                holds=("@", ".")),
    MaskPattern("url", r"\b(?:https?|wss?|ftp|tcp)://[^\s'\"<>)\]]+", keeps_words=True,
                needs="/", holds=("/", ":")),
    MaskPattern("uuid", r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
                        r"-[0-9a-fA-F]{12}\b", needs="-", holds=("-",)),
    # Kubernetes pod and replica-set names: <deployment>-<pod-template-hash>-<5 chars>. The
    # hash and the suffix are drawn from Kubernetes' safe alphabet (no vowels), not only hex:
    # `scoring-abc12-zzzzz` is a pod name even though its suffix has no digit.
    MaskPattern("pod", r"\b[a-z0-9](?:[a-z0-9.-]{0,60}[a-z0-9])?-(?=[a-z0-9]{0,9}\d)"
                       r"[a-z0-9]{5,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b"
                       r"|\b[a-z0-9](?:[a-z0-9.-]{0,60}[a-z0-9])?-[a-f0-9]{6,10}-[a-z0-9]{5}\b"
                       r"|\b[a-z0-9](?:[a-z0-9-]{0,60}[a-z0-9])?-(?=[a-z]*\d)(?=\d*[a-z])"
                       r"[a-z0-9]{5}\b(?!-)", needs="-", holds=("-",)),
    MaskPattern("timestamp",
                r"\b\d{4}-[01]\d-[0-3]\d(?:[T\s][0-2]\d:[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?"
                r"(?:Z|[+-][0-2]\d:?[0-5]\d)?)?"
                r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}"
                r"\s+\d\d:\d\d:\d\d(?:\s+(?:GMT|UTC|[+-]\d{4}))?"
                r"|\b[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d"
                r"|\b\d{1,2}/\d{1,2}/\d{2,4}(?:\s+\d\d?:\d\d(?::\d\d)?(?:\s*[AP]M)?)?"
                r"|(?<![\d:])[0-2]?\d:[0-5]\d:[0-5]\d(?:[.,]\d+)?(?![\d:])", needs=r"\d",
                holds=(_DIGITS, "-:/")),
    MaskPattern("ip", r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b"
                      r"|\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b",
                needs=r"\d|(?:[0-9a-fA-F]{1,4}:){7}", holds=(".:",)),
    MaskPattern("hex", r"\b0[xX][0-9a-fA-F]+\b|\bsha256:[0-9a-f]{12,64}\b"
                       r"|\b(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{7,128}\b"
                       r"|\b(?=[A-F]*\d)(?=\d*[A-F])[0-9A-F]{8,128}\b", needs=r"\d",
                holds=(_DIGITS,)),
    MaskPattern("path", r"(?<![\w.:/<])(?:/[\w.@+~-]+){2,}/?|\b[A-Za-z]:\\(?:[\w.@+~ -]+\\?)+",
                keeps_words=True, needs=r"/|\\", holds=("/\\",)),
    MaskPattern("quoted", r"(?<=[=:(\s])'[^'\n]{1,200}'|(?<=[=:(\s])\"[^\"\n]{1,200}\"",
                keeps_words=True, replace=_quoted, needs="'|\"", holds=("'\"",)),
    MaskPattern("duration", r"\b\d+(?:\.\d+)?(?:ms|us|ns|s|m|h)\b", needs=r"\d",
                holds=(_DIGITS,)),
    MaskPattern("number", r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*[a-zA-Z_])", replace=_number,
                needs=r"\d", holds=(_DIGITS,)),
)


def _combined(keep_words: bool) -> re.Pattern[str]:
    parts = [f"(?P<{p.name}>{p.pattern})" for p in MASK_PATTERNS
             if not (keep_words and p.keeps_words)]
    return re.compile("|".join(parts))


_FULL = _combined(keep_words=False)
_WORDS_KEPT = _combined(keep_words=True)
_BY_NAME = {pattern.name: pattern for pattern in MASK_PATTERNS}


def _replacement(match: re.Match[str]) -> str:
    name = match.lastgroup or ""
    pattern = _BY_NAME.get(name)
    if pattern is not None and pattern.replace is not None:
        return pattern.replace(match)
    return f"<{name}>"


# One character, as an alternative of a need's regex: `@`, `-`, `\d`, `\\`.
_ONE_CHARACTER = re.compile(r"\\[dDsSwW]|\\\W|[^\\|()\[\]{}*+?.^$]")


def _alternatives(need: str) -> list[str]:
    r"""The top-level alternatives of a regex (`\d|(?:[0-9a-fA-F]{1,4}:){7}`: two)."""
    parts: list[str] = []
    depth = start = position = 0
    while position < len(need):
        character = need[position]
        if character == "\\":
            position += 2  # an escaped character, whatever it is
            continue
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif character == "|" and depth == 0:
            parts.append(need[start:position])
            start = position + 1
        position += 1
    parts.append(need[start:])
    return parts


class _Needs:
    """Whether a text holds something one of the needs finds: `combined.search(text)`, the
    needs as one alternation, answered by two searches.

    The needs' one-character alternatives make one regex that `re` scans for as a character
    class, in C; the others (the IPv6 address's `(?:[0-9a-fA-F]{1,4}:){7}`) are searched only
    in a text without any of those characters. In one alternation, that one complex branch
    made `re` try every branch at every hex letter: 4 us a signature, a tenth of indexing
    10,000 entries (docs/benchmarks.md, round 9). The same answer for every text: a search
    of an alternation finds something exactly when one of its alternatives does
    (tests/test_masking.py compares the two).
    """

    def __init__(self, needs: list[str]) -> None:
        self.combined = re.compile("|".join(f"(?:{need})" for need in needs))
        alternatives = list(dict.fromkeys(part for need in needs
                                          for part in _alternatives(need)))
        simple = [part for part in alternatives if _ONE_CHARACTER.fullmatch(part)]
        rest = [part for part in alternatives if part not in simple]
        self._simple = re.compile("|".join(simple)) if simple else None
        self._rest = re.compile("|".join(f"(?:{part})" for part in rest)) if rest else None

    def search(self, text: str) -> bool:
        if self._simple is not None and self._simple.search(text):
            return True
        return self._rest is not None and self._rest.search(text) is not None


def _needs_any(patterns: list[MaskPattern]) -> _Needs | None:
    """What finds something in every text one of `patterns` can match, or None when a
    pattern does not say what its matches need."""
    if not all(pattern.needs for pattern in patterns):
        return None
    return _Needs(list(dict.fromkeys(pattern.needs for pattern in patterns)))  # each once


_MAY_MATCH = _needs_any(list(MASK_PATTERNS))
# What a text must hold for mask() and mask(keep_words=True) to differ: something a pattern
# that keep_words skips needs.
_MAY_DIFFER = _needs_any([pattern for pattern in MASK_PATTERNS if pattern.keeps_words])


# Every character some pattern's `holds` names: the only characters of a text _selected() reads.
_HOLD_CHARACTERS = frozenset("".join(group for pattern in MASK_PATTERNS for group in pattern.holds))
_DIGIT_SET = frozenset(_DIGITS)
# (the text's hold characters, digits as one, keep_words) -> the regex of the patterns it may
# match (None: none), and whether the other strength's regex is the same one. At most 2^10 keys.
_SELECTED: dict[tuple[frozenset[str], bool, bool], tuple[re.Pattern[str] | None, bool]] = {}
_COMPILED: dict[tuple[str, ...], re.Pattern[str]] = {}
# The patterns a text with nothing but digits, dots and colons among its hold characters can
# match: at most three sets of them (_select).
_LIGHT = frozenset({"ip", "hex", "duration", "number"})


def _selected(text: str, keep_words: bool) -> tuple[re.Pattern[str] | None, bool]:
    """For an ASCII text: the combined regex of the patterns that can match somewhere in it
    (None when none can), and whether mask(text) and mask(text, keep_words=True) run the same
    patterns (then they give the same text).

    The same matches as the full regex: an alternation's leftmost match at each place is its
    first alternative that matches there, and the patterns left out match nowhere in the text
    (each holds a character the text lacks), so the first one that does is the same. Scanning
    every place of a signature with all eleven patterns, most of which cannot match it, was
    a fifth of the time to index 10,000 entries (docs/benchmarks.md, round 16)."""
    present = _HOLD_CHARACTERS.intersection(text)
    digits = not present.isdisjoint(_DIGIT_SET)
    key = (present - _DIGIT_SET if digits else present, digits, keep_words)
    found = _SELECTED.get(key)
    if found is None:
        found = _SELECTED[key] = _select(present, keep_words)
    return found


def _select(present: frozenset[str], keep_words: bool) -> tuple[re.Pattern[str] | None, bool]:
    def may_match(pattern: MaskPattern) -> bool:
        return all(not present.isdisjoint(group) for group in pattern.holds)

    names = tuple(pattern.name for pattern in MASK_PATTERNS
                  if may_match(pattern) and not (keep_words and pattern.keeps_words))
    same = not any(pattern.keeps_words and may_match(pattern) for pattern in MASK_PATTERNS)
    if not names:
        return None, same
    if not _LIGHT.issuperset(names):
        # Compiling a regex per set of patterns costs ~4 ms: only the few sets of the cheap
        # patterns get their own (a signature's `status 57`); any other text runs them all.
        return (_WORDS_KEPT if keep_words else _FULL), same
    regex = _COMPILED.get(names)
    if regex is None:
        parts = [f"(?P<{name}>{_BY_NAME[name].pattern})" for name in names]
        regex = _COMPILED[names] = re.compile("|".join(parts))
    return regex, same


def mask(text: str, *, keep_words: bool = False) -> str:
    """The text with its variable parts replaced by `<name>` placeholders."""
    if text.isascii():
        regex = _selected(text, keep_words)[0]
        return text if regex is None else regex.sub(_replacement, text)
    if _MAY_MATCH is not None and not _MAY_MATCH.search(text):
        return text  # nothing to replace: one cheap scan instead of the full one
    regex = _WORDS_KEPT if keep_words else _FULL
    return regex.sub(_replacement, text)


def mask_both(text: str) -> tuple[str, str]:
    """`(mask(text), mask(text, keep_words=True))`, in one pass when they cannot differ.

    They differ only where a pattern that keep_words skips matches; in a text where none of
    them can (most signatures: no quote, path or URL), the two passes would find the same
    matches, so the second is skipped. With mask()'s own shortcut, this is most of what made
    indexing 10,000 entries faster (docs/benchmarks.md).
    """
    if text.isascii():
        regex, same = _selected(text, True)
        kept = text if regex is None else regex.sub(_replacement, text)
    else:
        kept = mask(text, keep_words=True)
        same = _MAY_DIFFER is not None and not _MAY_DIFFER.search(text)
    return (kept, kept) if same else (mask(text), kept)
