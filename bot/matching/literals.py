"""The literal text every match of a pattern must contain: what a KB pattern is filed under.

`required_literals(r"(?i)\\bFailedScheduling\\b")` is `[" FailedScheduling "]`: a pattern can
only match a line holding `FailedScheduling`, so the matcher runs it only on such lines
(index.py). Python's own parser (`re._parser`) says what is required; it is pure Python, and
parsing 10,000 team patterns was a fifth of the time to index them. Most of those patterns are
a plain sequence (`zqa \\w+ while zqb`, `(?i)no ready replicas for service`), so such a
sequence is read here directly, with the same result (tests/test_pattern_literals.py compares
the two on generated patterns); anything else goes to the parser.
"""

from __future__ import annotations

import re._constants as sre_constants  # the parser `re` itself uses (sre_parse is deprecated)
import re._parser as sre_parse

_SPECIAL = frozenset("\\^$*+?{}[]|()")  # `.` is read as "any character"
_QUANTIFIERS = frozenset("*+?")
_CASE_FLAG = "(?i)"
# What the parser makes of each atom, as far as the required text goes: a literal character, a
# word edge (`\b`, or `\s` unless it may be absent), an anchor that is no word edge, or
# anything else, which ends a run.
_LITERAL, _BOUNDARY, _SPACE, _ANCHOR, _OTHER = range(5)
_ESCAPES = {"s": _SPACE, "S": _OTHER, "w": _OTHER, "W": _OTHER, "d": _OTHER, "D": _OTHER,
            "b": _BOUNDARY, "B": _ANCHOR, "A": _ANCHOR, "Z": _ANCHOR}


def required_literals(pattern: str | sre_parse.SubPattern) -> list[str]:
    """The runs of literal characters every match of `pattern` (text or parsed) must contain,
    or [] when the text does not parse.

    Only the top level of the pattern counts (inside a group or an alternation nothing is
    required); words are compared lower-cased, so case-insensitive patterns need no care.
    """
    try:
        return literal_runs(pattern)
    except (sre_constants.error, OverflowError, RecursionError):
        return []


def literal_runs(pattern: str | sre_parse.SubPattern) -> list[str]:
    """As required_literals(), raising the parser's error for a pattern that does not parse."""
    if isinstance(pattern, str):
        plain = _plain_sequence_runs(pattern)
        if plain is not None:
            return plain
        pattern = sre_parse.parse(pattern)
    runs: list[str] = []
    current: list[str] = []
    for op, value in pattern:
        if op is sre_constants.LITERAL:
            current.append(chr(value))
            continue
        if _is_word_edge(op, value):
            # `\b`, `\s`, `\s+` end a word without ending what is required: `\bFPGA\b`
            # requires the whole word `FPGA`, so the run goes on with a space.
            current.append(" ")
            continue
        if current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    # A literal followed by `?` or `*` is optional: sre_parse puts it in a MAX_REPEAT, not
    # LITERAL, so the runs above hold only characters every match contains.
    return runs


def _is_word_edge(op: object, value: object) -> bool:
    if op is sre_constants.AT:
        return value is sre_constants.AT_BOUNDARY
    if op is sre_constants.IN:
        return value == [(sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE)]
    if op is sre_constants.MAX_REPEAT or op is sre_constants.MIN_REPEAT:
        low, _high, item = value  # type: ignore[misc]
        return bool(low) and len(item) == 1 and _is_word_edge(*item[0])
    return False


def _plain_sequence_runs(pattern: str) -> list[str] | None:
    """literal_runs() of a pattern that is a plain sequence (literal characters, escaped
    punctuation, `\\s \\w \\d \\b` and their kin, `.`, each optionally followed by `*`, `+` or `?`
    and a lazy `?`, after an optional leading `(?i)`), read without the parser; None for
    anything else (groups, alternations, classes, braces, anchors `^ $`, other flags), which
    the parser reads. A sequence read here always parses."""
    text = pattern.removeprefix(_CASE_FLAG)
    runs: list[str] = []
    current: list[str] = []
    position, length = 0, len(text)
    while position < length:
        character = text[position]
        position += 1
        if character == "\\":
            if position >= length:
                return None
            character = text[position]
            position += 1
            if character.isascii() and character.isalnum():
                kind = _ESCAPES.get(character)
                if kind is None:
                    return None  # \n, \x41, back-references, bad escapes: the parser's job
            else:
                kind = _LITERAL  # escaped punctuation: the character itself
        elif character in _SPECIAL:
            return None
        else:
            kind = _OTHER if character == "." else _LITERAL
        repeated_from = None  # the repeat's minimum, when the atom is repeated
        if position < length and text[position] in _QUANTIFIERS:
            repeated_from = 1 if text[position] == "+" else 0
            position += 1
            if position < length and text[position] == "?":
                position += 1  # lazy: the same minimum
            if position < length and text[position] in "*+?{":
                return None  # possessive or doubled repeats
            if kind in (_BOUNDARY, _ANCHOR):
                return None  # the parser refuses to repeat an anchor
        if kind == _LITERAL and repeated_from is None:
            current.append(character)
        elif kind == _BOUNDARY or (kind == _SPACE and repeated_from != 0):
            current.append(" ")  # a word edge, as _is_word_edge()
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def required_any(pattern: str) -> tuple[str, ...] | None:
    """Lower-cased ASCII strings at least one of which every match of `pattern` (compiled with
    re.ASCII, as the index compiles KB patterns) holds, in any letter case; None when none can
    be read (a pattern of classes and wildcards only) or the pattern does not parse.

    For the patterns no word anchors (literal_runs() finds none inside a group or an
    alternation: `(?i)\\b(debugpy|ptvsd)\\b`): a paste whose lower-cased text holds none of the
    strings cannot match, so the pattern is not run on each of its lines. Letters compare
    lower-cased, which is exact under re.ASCII (only ASCII letters fold); other characters end
    a string, as str.lower() of some of them depends on their neighbours (a final sigma).
    """
    try:
        return _required_any(sre_parse.parse(pattern))
    except (sre_constants.error, OverflowError, RecursionError):
        return None


def _required_any(pattern: sre_parse.SubPattern | list) -> tuple[str, ...] | None:  # type: ignore[type-arg]
    """required_any() of a parsed sequence: the most selective requirement among its items
    (a run of literal characters, or what a group, an alternation or a repeat requires)."""
    options: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, value in pattern:
        if op is sre_constants.LITERAL and chr(value).isascii():  # type: ignore[arg-type]
            run.append(chr(value).lower())  # type: ignore[arg-type]
            continue
        if run:
            options.append(("".join(run),))
            run = []
        inner = _item_requires(op, value)
        if inner:
            options.append(inner)
    if run:
        options.append(("".join(run),))
    if not options:
        return None
    # The longest shortest string: what the fewest pastes hold.
    return max(options, key=lambda strings: min(map(len, strings)))


def _item_requires(op: object, value: object) -> tuple[str, ...] | None:
    if op is sre_constants.SUBPATTERN:
        return _required_any(value[-1])  # type: ignore[index]
    if op is sre_constants.ATOMIC_GROUP:
        return _required_any(value)  # type: ignore[arg-type]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
              sre_constants.POSSESSIVE_REPEAT):
        low, _high, item = value  # type: ignore[misc]
        return _required_any(item) if low >= 1 else None
    if op is sre_constants.BRANCH:
        found: dict[str, None] = {}
        for alternative in value[1]:  # type: ignore[index]
            strings = _required_any(alternative)
            if strings is None:
                return None  # an alternative that requires nothing: nor does the whole
            found.update(dict.fromkeys(strings))
        return tuple(found)
    return None
