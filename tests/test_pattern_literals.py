"""The literal text a KB pattern requires, read without Python's regex parser for plain sequences.

The index files each pattern under a word its matches must hold, and runs it only on lines with
that word: a wrong run would silently stop a pattern from ever matching. So the plain reader
must say exactly what the parser says, for every pattern it accepts.
"""

from __future__ import annotations

import json
import re
import re._parser as sre_parse
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.training import default_training_files
from bot.matching.index import KnowledgeIndex
from bot.matching.literals import (
    _plain_sequence_runs,
    literal_runs,
    required_any,
    required_literals,
)

# Pieces of regular expressions, valid and not, plain and not.
PIECES = ["a", "Z", "0", "é", "한", " ", "\t", "-", ":", "'", '"', "#", "_", "=", ",", "/", "\\b",
          "\\B", "\\s", "\\S", "\\w", "\\W", "\\d", "\\D", "\\A", "\\Z", "\\.", "\\(", "\\-",
          "\\\\", "\\_", "\\é", "\\n", "\\1", "\\q", "\\x41", ".", "*", "+", "?", "??", "+?", "*+",
          "{2}", "{", "}", "(", ")", "|", "[", "]", "^", "$", "\\", "(?i)", "(?x)", "(?:"]


def parsed_runs(pattern: str) -> list[str]:
    return literal_runs(sre_parse.parse(pattern))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_plain_reading_is_the_parsers(pattern: str) -> None:
    plain = _plain_sequence_runs(pattern)
    if plain is not None:  # accepted: it must parse, to the same required text
        assert plain == parsed_runs(pattern), pattern


def test_plain_team_patterns_skip_the_parser() -> None:
    for pattern in [r"zqa \w+ while zqb", r"(?i)\bFailedScheduling\b", r"get_model_path\(",
                    r"(?i)Kubernetes unschedulable", r"a+b?c\s+d\s*e\s?f"]:
        assert _plain_sequence_runs(pattern) == parsed_runs(pattern), pattern
    assert required_literals(r"(?i)\bFailedScheduling\b") == [" FailedScheduling "]
    assert required_literals(r"a+b?c\s+d\s*e\s?f") == ["c d", "e", "f"]
    assert required_literals("unbalanced (") == []


def test_every_shipped_pattern_reads_the_same_either_way() -> None:
    patterns = [p for entry in load_knowledge_base(extra="") for p in entry.patterns]
    assert patterns
    for pattern in patterns:
        plain = _plain_sequence_runs(pattern)
        assert plain is None or plain == parsed_runs(pattern), pattern
        assert literal_runs(pattern) == parsed_runs(pattern), pattern


# required_any(): the strings a pattern needs (PatternChoice.needs). The matcher skips a key
# line holding none of them, so a string that some match lacks would silently stop the pattern
# from ever matching such a line.
TEXT = st.text(alphabet="aAzZ0 -_'\t.é한Kk", max_size=16)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join), TEXT)
def test_a_text_a_pattern_matches_holds_one_of_its_strings(pattern: str, text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": `[[`
            regex = re.compile(pattern, re.ASCII)  # as PatternChoice.regex compiles it
    except (re.error, OverflowError, RecursionError):
        return
    needs = required_any(pattern)
    if needs is not None and regex.search(text):
        assert any(need in text.lower() for need in needs), (pattern, text, needs)


def test_alternations_and_groups_say_what_they_need() -> None:
    assert required_any(r"(?i)\b(debugpy|ptvsd)\b") == ("debugpy", "ptvsd")
    # The parser moves the alternatives' common start out of the alternation.
    assert required_any(r"(?i)\bShardCannotStart\b|\bShard \d+ failed to start\b") == \
        ("cannotstart", " failed to start")
    assert required_any(r"(?i)\bOOM ?Kill(ed)?\b") == ("kill",)  # an optional part: no need
    assert required_any(r"(a|\d+)x") == ("x",)  # an alternative that needs nothing
    assert required_any(r"a|\d+") is None
    assert required_any(r"(?i)(로그|log).{0,20}(어떻게|보는 ?법)") is None  # only ASCII letters
    assert required_any("unbalanced (") is None


def test_every_eval_line_a_shipped_pattern_matches_holds_one_of_its_strings() -> None:
    index = KnowledgeIndex(load_knowledge_base(extra=""))
    needing = [choice for choice in index.patterns if choice.needs is not None]
    assert len(needing) >= 0.8 * len(index.patterns)  # most shipped patterns need some
    lines = [line for path in default_training_files()
             for row in path.read_text(encoding="utf-8").splitlines() if row.strip()
             for line in json.loads(row)["text"].splitlines()]
    matched = 0
    for choice in needing:
        regex, needs = choice.regex, choice.needs
        for line in lines:
            if regex.search(line):
                matched += 1
                assert any(need in line.lower() for need in needs), (regex.pattern, line[:80])
    assert matched >= 200  # the check above had something to check
