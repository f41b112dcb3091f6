"""Precedents (bot/matching/precedents.py): the labelled pastes most like a new one vote for
their labels; an entry only they find becomes a modest candidate, and their vote is a feature
of the decision model. Real KB, real matcher; indexes built from pastes written in the tests."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.knowledge.check import precedent_problems
from bot.knowledge.crossval import assess_all, teach_precedents
from bot.knowledge.evaluation import EvalItem
from bot.knowledge.loader import load_knowledge_base
from bot.matching.features import FEATURE_NAMES
from bot.matching.matcher import Matcher
from bot.matching.precedents import (
    MIN_GROUPS,
    PrecedentIndex,
    paste_words,
    read_index,
    shipped_precedents,
    write_index,
)
from tests.test_kb_check import GOOD

KB = load_knowledge_base(extra="")
PLAIN = Matcher(KB, model=None, precedents=None)

# How people report a scoring request without the field the scoring script reads (the
# run(input_data) failure of the guide), in three trackers' wordings; and three pastes of
# other problems (`none`), one of which shares the words `missing` and `failed`.
LABELLED = [
    ("predict failed: missing key 'data' in the request body", "function-fails-runinput_data",
     "https://github.com/one/tracker"),
    ("400 Bad Request: request body has no key 'data', the model expects a list of rows",
     "function-fails-runinput_data", "https://github.com/two/tracker"),
    ("the model rejected the request: key 'data' missing from the JSON body",
     "function-fails-runinput_data", "https://github.com/three/tracker"),
    ("conda solve failed: package libgcc is missing from the channel", "none",
     "https://github.com/four/tracker"),
    ("ResolvePackageNotFound: missing package for python 3.12", "none",
     "https://github.com/five/tracker"),
    ("pip install failed: no matching distribution for torch", "none",
     "https://github.com/six/tracker"),
]
# A wording no signature of the KB knows (Cortex's), under a person's question.
PASTE = ("hi, any idea?\n"
         "error: missing key 'data' for model 'churn-scorer' in the request body")


def labelled_index(rows: list[tuple[str, str, str]] = LABELLED) -> PrecedentIndex:
    return PrecedentIndex.build([paste_words(PLAIN.survey(text).paste) for text, _, _ in rows],
                                [label for _, label, _ in rows],
                                [source for _, _, source in rows])


def test_precedents_list_an_entry_the_signatures_missed_with_a_line_of_the_paste() -> None:
    assert PLAIN.match(PASTE, top=10).matches == ()  # the signatures know nothing of it
    found = Matcher(KB, model=None, precedents=labelled_index()).match(PASTE, top=10)
    assert [match.entry_id for match in found.matches] == ["function-fails-runinput_data"]
    match = found.matches[0]
    assert match.signature == "(like 3 earlier reports of this problem)"
    # Its evidence is the error line that carries the precedents' words, not the chat line.
    assert match.evidence_line == PASTE.splitlines()[1]
    assert match.tier == "unknown" and match.score < 60  # a candidate, not an answer


def test_an_entry_only_the_precedents_found_is_listed_never_probably() -> None:
    # The shipped decision model rates the precedents' candidate above its likely threshold
    # (three earlier reports and nothing against them), but nothing in the paste itself names
    # the entry: the person sees it as a candidate under "no known fix", not as "probably".
    matcher = Matcher(KB, precedents=labelled_index())
    assert matcher.model is not None
    [match] = matcher.match(PASTE, top=10).matches
    assert match.signature == "(like 3 earlier reports of this problem)"
    assert match.probability is not None and match.probability >= matcher.model.likely
    assert match.tier == "unknown"
    # The same wording with the entry's own words in it is found in the paste, and may be.
    found = matcher.match(PASTE + "\nrun(input_data) failed: KeyError: 'data'", top=10)
    assert found.matches[0].entry_id == "function-fails-runinput_data"
    assert found.matches[0].signature != match.signature
    assert found.matches[0].tier in ("likely", "confident")


def test_precedents_list_a_teams_replacement_of_the_entry_they_name(tmp_path: Path) -> None:
    # Precedents name entries by id. A team's entry that replaces a shipped one (same id, from
    # KNOWLEDGE_PATH) sits elsewhere in the KB, behind team entries of its own: the candidate
    # is the team's text, found through the index's id -> entry numbers.
    for number in range(3):
        (tmp_path / f"team-{number}.md").write_text(GOOD.format(id=f"team-{number}"),
                                                    encoding="utf-8")
    (tmp_path / "mine.md").write_text(GOOD.format(id="function-fails-runinput_data"),
                                      encoding="utf-8")
    kb = load_knowledge_base(extra=str(tmp_path))
    assert len(kb) == len(KB) + 3
    found = Matcher(kb, model=None, precedents=labelled_index()).match(PASTE, top=10)
    assert [(match.entry_id, match.title) for match in found.matches
            if match.signature == "(like 3 earlier reports of this problem)"] == \
        [("function-fails-runinput_data", "GPU driver mismatch")]


def test_the_vote_names_none_when_the_nearest_pastes_are_no_problem_of_ours() -> None:
    index = labelled_index()
    paste = "conda solve failed: package libstdcxx is missing from the channel"
    verdict = index.query(PLAIN.survey(paste).words)
    assert verdict.shares["none"] > 0.5
    assert verdict.share("function-fails-runinput_data") < 0.5
    row = Matcher(KB, model=None, precedents=index).assess(PASTE).rows[0]
    assert row[FEATURE_NAMES.index("precedent_entry")] > 0.5
    assert row[FEATURE_NAMES.index("precedent_none")] < 0.5


def test_a_word_fewer_than_min_groups_repositories_use_never_counts() -> None:
    # "churnscorer" is in three pastes of ONE repository: a project's own name, not a word
    # people use for the problem; a precedent index never learns it.
    rows = [(f"churnscorer pod restarted {n} times", "service-launch-fails",
             "https://github.com/acme/churnscorer") for n in range(3)] + LABELLED
    index = labelled_index(rows)
    assert MIN_GROUPS >= 2
    assert "churnscorer" not in index.vocabulary
    assert not index.query(PLAIN.survey("churnscorer").words).shares


def test_a_training_paste_is_judged_by_other_repositories_only() -> None:
    # Three variants of one report (one source) and one other report: asked about one of the
    # variants, the precedents of its own repository stay silent (crossval.with_precedents).
    # (Its words `missing`, `failed` and `package` are used in three repositories: enough known
    # words for the neighbours to say anything, precedents.MIN_KNOWN_WORDS.)
    variant = ("the model rejected the request: key 'data' missing from the JSON body; "
               "scoring failed (package churn 1.2)")
    items = [EvalItem(f"v{n}", variant + " " * n, "function-fails-runinput_data",
                      "https://github.com/one/tracker") for n in range(3)]
    items += [EvalItem(f"o{n}", text, label, source)
              for n, (text, label, source) in enumerate(LABELLED[3:])]
    data = assess_all(items, PLAIN)
    index = teach_precedents(data)
    assert index is not None
    words = PLAIN.survey(variant).words
    assert index.query(words).share("function-fails-runinput_data") > 0.5
    alone = index.query(words, exclude_group="one/tracker")
    assert not alone.shares.get("function-fails-runinput_data")
    first = data[0]  # as the decision model learns from it: no vote for its own label
    assert first.candidates[0] == "function-fails-runinput_data"
    assert first.rows[0][FEATURE_NAMES.index("precedent_entry")] == 0.0


TEAM_ENTRY = GOOD.format(id="gpu-driver-mismatch")  # a team's own runbook entry


def test_a_team_entry_the_precedents_never_saw_is_still_answered(tmp_path: Path) -> None:
    # No labelled paste names a team's own entry: its precedent features are 'no evidence'
    # (NaN, read as the training mean), not 'the precedents vote for something else'.
    (tmp_path / "gpu.md").write_text(TEAM_ENTRY, encoding="utf-8")
    matcher = Matcher(load_knowledge_base(extra=str(tmp_path)))
    assert matcher.precedents is not None and matcher.model is not None
    paste = ("RuntimeError: CUDA driver version is insufficient for CUDA runtime version\n"
             "the scoring container of my online deployment exits at start")
    row = matcher.assess(paste).rows[0]
    assert math.isnan(row[FEATURE_NAMES.index("precedent_entry")])
    assert math.isnan(row[FEATURE_NAMES.index("precedent_none")])
    answer = matcher.match(paste).answer
    assert answer is not None and answer.entry_id == "gpu-driver-mismatch"
    # As sure as without any precedents: that the nearest labelled pastes vote for shipped
    # entries and `none` (they cannot know the team's) costs it nothing. Read as a 0 share,
    # that vote took its probability from 0.78 to 0.66, a step from "probably".
    alone = Matcher(matcher.kb, precedents=None).match(paste).matches[0]
    assert alone.entry_id == answer.entry_id
    assert answer.probability == pytest.approx(alone.probability)


def test_the_shipped_precedents_are_valid_and_name_only_entries() -> None:
    index = shipped_precedents()
    assert index is not None and len(index) > 100 and "none" in index.labels
    assert precedent_problems([entry.id for entry in KB]) == []
    assert len(str(index.info["training_data_sha256"])) == 64


@pytest.mark.parametrize(("change", "message"), [
    ({"format_version": 99}, "format_version 99"),
    ({"labels": ["none", "no-such-entry"]}, "'no-such-entry' is not an entry"),
    ({"idf": []}, "one finite number per vocabulary word"),
])
def test_kb_check_says_what_is_wrong_with_a_precedents_file(
        tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = tmp_path / "precedents.json"
    write_index(labelled_index(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(change)
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = precedent_problems([entry.id for entry in KB], path)
    assert problems and message in problems[0].message


def test_a_written_index_reads_back_the_same(tmp_path: Path) -> None:
    index = labelled_index()
    written = tmp_path / "p.json"
    write_index(index, written)
    again = read_index(written)
    assert again.labels == index.labels and again.vocabulary == index.vocabulary
    assert again.query(PLAIN.survey(PASTE).words).shares == pytest.approx(
        index.query(PLAIN.survey(PASTE).words).shares, abs=1e-3)
