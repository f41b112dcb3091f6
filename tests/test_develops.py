"""Round 16 (likely18): development work on the software is never "probably" a diagnosis.

A commit's or pull request's title of a kind other than a fix (`feat:`, `chore:`), an issue
tracker's feature-request tag ("[Feature]:", "[RFC]:"), a pull request's description section,
a diff hunk, or a fix the writer proposes for the program's own code ("Suggested fix is ...",
"we should return a 504"): the writer is developing the framework, and nothing of theirs
failed to deploy. Its first candidate is listed, never "probably" (asking.develops,
decision.may_be_likely); the sure tier is not touched. A fix PR (`fix:`) and a user's report
filed with a bug template keep their answers."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from bot.matching import asking
from bot.matching.asking import develops
from bot.matching.decision import (
    TIER_CONFIDENT,
    TIER_LIKELY,
)
from bot.matching.matcher import default_matcher

# Both were "probably a 504" before the change (the model shipped with round 16's likely17).
CHORE = ("chore(serving): raise the predictor's request timeout to 120 s\n\nBecause\n\n"
         "- the api gateway gives up after 120 s and the model server after 60 s, long "
         "inference requests time out\n\nThis commit\n\n- sets the inference timeout to 120 s")
GATEWAY = ("[Inference API] Return 504 when an upstream model request times out\n\n"
           "The inference API is a gateway in front of the hosted model services. When a "
           "request to the model times out we should return a 504 Gateway Timeout instead of "
           "a 408.")


@pytest.mark.parametrize("text", [
    CHORE,
    GATEWAY,
    "feat: optional annotation to skip the model-ready node selector\n\nPods stay Pending.",
    "feat(llmisvc): add startupProbe to vLLM containers",
    "[RFC]: Controlling the maximum length of the waiting queue",
    "[Feature Request] Make the inference timeout configurable",
    "Say which model has no free worker\n\n## Description of changes:\n1. Better 503 text.",
    "Router hangs when a backend stops answering\n\nSuggested fix is a per-request timeout.",
    "Update the docs table\n\n@@ -303,7 +303,7 @@ When you access online endpoints",
])
def test_development_work(text: str) -> None:
    assert develops(text)


@pytest.mark.parametrize("text", [
    # a fix PR shows the failure it fixes; the pool labels those by it
    "fix: jina-embed OOM-killed under a production-sized batch\n\nReason: OOMKilled",
    "bug: vLLM router CrashLoopBackOff on deployment",
    "[Bug]: pod OOMKilled after loading the model",
    # a user's report: a guess at the cause is not a proposal for the framework's code
    "my endpoint returns 504 after 60 s, maybe we should increase the timeout?",
    "Possible Solution\n\nI think the model is too big for the node.",
    "Describe the bug\nThe scoring pod restarts.\nExpected behavior\nIt should serve requests.",
])
def test_not_development_work(text: str) -> None:
    assert not develops(text)


@pytest.mark.parametrize("text", [CHORE, GATEWAY])
def test_a_change_to_the_framework_is_listed_not_probably_answered(text: str) -> None:
    result = default_matcher().match(text)
    assert result.matches, "still lists its candidates"
    assert result.matches[0].entry_id == "http-status-code-504"
    assert result.matches[0].tier != TIER_LIKELY


def test_a_users_timeout_in_the_same_words_is_still_answered() -> None:
    text = ("Our model endpoint returns 504 Gateway Timeout for long inference requests: the "
            "api gateway gives up after 60 s while the model server is still scoring.")
    first = default_matcher().match(text).matches[0]
    assert first.entry_id == "http-status-code-504"
    assert first.tier in (TIER_CONFIDENT, TIER_LIKELY)


EVAL = Path(__file__).parent / "eval"

# develops() skips _DEV_BODY on a head holding none of DEV_BODY_STRINGS: it must find what the
# regex alone finds, whatever the letter case.
_BODY_CASES = ["## Description of changes\nx", "CHANGES MADE:", "What does this PR change?",
               "@@ -12,7 +12,9 @@ def run", "We Should return a 504 here",
               "suggested FIX: retry", "The right fix would be to retry", "the fix is to pin it",
               "I can open a PR", "i would be happy to submit a Pull Request",
               "I AM HAPPY TO SEND A PATCH", "Server error: 504 Gateway Timeout"]


def _regex_alone(text: str) -> bool:
    return bool(asking._DEV_TITLE.search(asking._first_line(text))) or bool(
        asking._DEV_BODY.search(text[:asking.HEAD_CHARS]))


@pytest.mark.parametrize("text", _BODY_CASES)
def test_the_body_strings_skip_no_head_the_regex_finds(text: str) -> None:
    assert develops(text) == _regex_alone(text)
    assert develops(text.upper()) == _regex_alone(text.upper())


def test_the_body_strings_are_spelled_one_way_whatever_the_case() -> None:
    """Each letter of the strings matches, under re.IGNORECASE, only characters that
    lower-case to itself (not so for i, s and k: ı, ſ, the Kelvin sign)."""
    cased = [chr(code) for code in range(sys.maxunicode + 1)
             if chr(code).lower() != chr(code) or chr(code).upper() != chr(code)]
    for char in set("".join(asking.DEV_BODY_STRINGS)):
        spellings = {other for other in [*cased, char]
                     if re.fullmatch(re.escape(char), other, re.IGNORECASE)}
        assert {spelling.lower() for spelling in spellings} == {char}


def test_the_body_strings_skip_no_labelled_paste_the_regex_finds() -> None:
    texts = [json.loads(line)["text"] for path in sorted(EVAL.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 1000
    assert [develops(text) for text in texts] == [_regex_alone(text) for text in texts]
