"""Shortcuts the index takes while it is built must decide exactly as the full computation:
a signature that names the scoring call, and a signature's share of another entry's words."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.matching.index import (
    INFO_FLOOR,
    SCORING_CALL,
    KnowledgeIndex,
    _information,
    _names_scoring_call,
)
from tests.matching_support import entry

# Pieces that make SCORING_CALL match, or nearly (other case, other letters, non-ASCII look-alikes).
_PIECES = ["service.run(", "Service.Run(", "scoring_uri", "SCORING URI", "scoringuri", "/score",
           "/scores", "score.py", "SCORE.PY", "scoring script", "Scoring Request",
           "webservice object", "WebService Object", "\u017fcore.py", "\u017fcoring_uri",
           "servi\u017fe.run(", "webservi\u0441e object", "scor", "service", "run(", "uri",
           " ", "\n", "Error: ", "502", "when calling", "로그", "the"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join))
def test_the_scoring_call_shortcut_agrees_with_the_regex(text: str) -> None:
    assert _names_scoring_call(text) == bool(SCORING_CALL.search(text))


@pytest.mark.parametrize("text", [
    "Response Code: 504 when calling service.run()", "requests.post(scoring_uri) timed out",
    "POST /score HTTP/1.1 502", "File \"/var/azureml-app/score.py\", line 3",
    "the scoring script failed", "Received bad response from the webservice object",
    "scoring_uri로 요청하면 502",  # a Korean particle ends the word (SCORING_CALL is ASCII)
])
def test_signatures_that_name_the_scoring_call_are_found(text: str) -> None:
    assert _names_scoring_call(text)


def _index() -> KnowledgeIndex:
    return KnowledgeIndex(KnowledgeBase((
        entry("a", "zqalpha zqcommon zqonly", "zqalpha zqsecond"),
        entry("b", "zqbeta zqcommon zqonly"),
        entry("c", "zqgamma zqnone"),
        entry("d", "HTTPError: 502 zqproxy zqdelta", "HTTPError: 504 zqproxy zqdelta"),
        entry("e", "HTTPError: 502 zqproxy zqepsilon"),
    )))


def _shares(index: KnowledgeIndex) -> dict[str, float]:
    return {choice.text: index.shared_share(position)
            for position, choice in enumerate(index.signatures)}


def test_shared_words_are_counted_only_between_entries() -> None:
    index = _index()
    shares = _shares(index)
    assert shares["zqgamma zqnone"] == 0.0  # no word of another entry
    assert shares["zqalpha zqsecond"] == 0.0  # `zqalpha` is only its own entry's
    weight = index.weight
    both = weight["zqcommon"] + weight["zqonly"]
    assert shares["zqalpha zqcommon zqonly"] == pytest.approx(both / (both + weight["zqalpha"]))
    assert shares["zqbeta zqcommon zqonly"] == pytest.approx(both / (both + weight["zqbeta"]))
    # A signature with a code shares only with signatures of the same code.
    assert shares["HTTPError: 502 zqproxy zqdelta"] > 0.3
    assert shares["HTTPError: 504 zqproxy zqdelta"] == 0.0


def test_shares_are_the_same_whenever_and_wherever_they_are_computed() -> None:
    """Computed when a paste first needs them: the order of the questions, and a copy read
    back from the disk cache (a pickle), must not change a value."""
    expected = _shares(_index())
    backwards = _index()
    for position in reversed(range(len(backwards.signatures))):
        backwards.shared_share(position)
    assert _shares(backwards) == expected
    fresh = _index()
    fresh.shared_share(0)  # one computed before pickling, the others after
    assert _shares(pickle.loads(pickle.dumps(fresh))) == expected


def _information_as_summed(weights: list[float]) -> float:
    """An entry's information as the index summed it before round 9: max() of every word."""
    return sum(max(0.0, weight - INFO_FLOOR) for weight in weights)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.3, 1.0, 1.2, 1.2000000000000002, 1.5, 2.1, 3.4339872,
                                 INFO_FLOOR, 0.1 + 0.2, 4.0]), max_size=12))
def test_an_entrys_information_is_the_same_float_as_the_sum_of_maxima(
        weights: list[float]) -> None:
    expected = _information_as_summed(weights)
    assert _information(weights) == expected
    assert type(_information(weights)) is type(expected)  # the int 0 of an empty sum too


def test_the_shipped_and_a_team_kbs_information_is_the_sum_of_maxima() -> None:
    team = [entry(f"team-{n}", f"Zq{n}xError: zqa{n} failed while zqb{n}",
                  f"zqc{n} timeout: could not zqa{n}", f"zqd{n}_zqe returned status {n % 97}")
            for n in range(300)]
    index = KnowledgeIndex(KnowledgeBase((*load_knowledge_base(extra="").entries, *team)))
    assert len(index.entry_information) == len(index.entry_ids) > 300
    for information, weights in zip(index.entry_information, index.entry_words, strict=True):
        assert repr(information) == repr(_information_as_summed(list(weights.values())))


def test_each_words_postings_are_the_signatures_holding_it_also_after_a_pickle() -> None:
    """The postings are views made when a word is asked for: each word gives exactly the
    signatures whose words hold it, ascending, before and after the disk cache's pickle."""
    kb = load_knowledge_base(extra="")
    index = KnowledgeIndex(kb)
    expected: dict[str, list[int]] = {}
    for position, choice in enumerate(index.signatures):
        for word in choice.weights:
            expected.setdefault(word, []).append(position)
    for built in (index, pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))):
        assert len(built.postings) == len(expected)
        assert set(built.postings) == set(expected)
        for word, positions in expected.items():
            assert word in built.postings
            assert built.postings[word].tolist() == positions
        assert "zqnowhere" not in built.postings
        assert built.postings.get("zqnowhere") is None
