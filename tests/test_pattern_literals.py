"""The literal text a KB pattern requires, read without Python's regex parser for plain sequences.

The index files each pattern under a word its matches must hold, and runs it only on lines with
that word: a wrong run would silently stop a pattern from ever matching. So the plain reader
must say exactly what the parser says, for every pattern it accepts.
"""

from __future__ import annotations

import re._parser as sre_parse

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge_base
from bot.matching.literals import _plain_sequence_runs, literal_runs, required_literals

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
