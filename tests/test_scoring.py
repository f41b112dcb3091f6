from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge.evaluation import read_items
from bot.knowledge.loader import load_knowledge_base
from bot.matching.extraction import extract
from bot.matching.index import KnowledgeIndex
from bot.matching.literals import required_literals
from bot.matching.scoring import FUZZY_CUTOFF, _shape, prepare, score_entries
from tests.matching_support import small_kb


def ranked(text: str) -> list[tuple[str, float]]:
    index = KnowledgeIndex(small_kb())
    scored = score_entries(index, prepare(extract(text)))
    return [(index.entry_ids[s.entry], s.score) for s in scored]


def test_the_right_entry_ranks_first_despite_new_ids_and_counts() -> None:
    top, _ = ranked("Warning FailedScheduling pod/scorer-6f7d8c9b5-q2w3e 0/5 nodes are "
                    "available: 5 Insufficient nvidia.com/gpu.")[0]
    assert top == "scheduling"


def test_rare_words_outweigh_common_ones() -> None:
    # "failed" and "container" are everywhere; "back-off restarting" is the crash.
    assert ranked("Back-off restarting failed container scorer")[0][0] == "crash"


def test_a_probe_502_is_a_crash_not_a_bad_gateway() -> None:
    scores = dict(ranked("Liveness probe failed: HTTP probe failed with statuscode: 502"))
    assert scores["crash"] > scores.get("bad-gateway", 0)


def test_a_scoring_502_is_a_bad_gateway() -> None:
    assert ranked("requests.exceptions.HTTPError: 502 Bad Gateway")[0][0] == "bad-gateway"


def test_unrelated_text_scores_nothing_high() -> None:
    assert all(score < 50 for _, score in ranked("ImagePullBackOff: unauthorized: "
                                                 "authentication required"))


def test_pattern_alone_can_find_its_entry() -> None:
    assert ranked("12/40 nodes are available")[0][0] == "scheduling"


def test_required_literals_guard_patterns() -> None:
    assert required_literals(r"(?i)(liveness|readiness) probe failed") == [" probe failed"]
    assert required_literals(r"a|b") == []


def test_the_shape_check_of_one_pair_is_the_cdist_matrix_cell() -> None:
    """_shape scores the one or two lines each candidate was found on; the cdist matrix it
    replaced scored every pair. Same scorer, strings and float32: the same value, bit for bit,
    on every shipped signature against every key line of the labelled pastes' first 200."""
    index = KnowledgeIndex(load_knowledge_base(extra=""))
    signatures = [choice.fuzzy_text for choice in index.signatures]
    items = read_items(Path(__file__).parent / "eval" / "dev.jsonl")[:200]
    lines = sorted({line for item in items for line in prepare(extract(item.text)).fuzzy_lines})
    matrix = process.cdist(lines, signatures, scorer=fuzz.partial_ratio,
                           score_cutoff=FUZZY_CUTOFF, dtype=np.float32)
    assert len(lines) > 300 and len(signatures) > 50
    assert [[_shape(line, signature) for signature in signatures] for line in lines] \
        == matrix.tolist()


def test_the_lines_holding_a_patterns_strings_are_those_a_line_by_line_search_finds() -> None:
    """PreparedPaste.lines_holding, which decides the lines a pattern runs on, against each
    line lower-cased on its own: every shipped pattern's strings, the dev pastes' key lines."""
    index = KnowledgeIndex(load_knowledge_base(extra=""))
    needs = [choice.needs for choice in index.patterns if choice.needs]
    items = read_items(Path(__file__).parent / "eval" / "dev.jsonl")[:300]
    pastes = [prepare(extract(item.text)) for item in items] + [
        prepare(extract("İstanbul ERROR x\nΣ OOMKilled\n\nerror error error"))]
    for paste in pastes:
        for strings in needs:
            assert paste.lines_holding(strings) == {
                number for number, line in enumerate(paste.lines)
                if any(string in line.lower() for string in strings)}
