"""Crowded words (index.CROWDED): a word thousands of a team's signatures hold (`error`,
`failed`) is added only to the signatures that can still become candidates. A signature missed
that way would silently never be compared with a paste again, and a different sum would change
which 24 candidates are kept; so the candidates must be exactly those of the plain computation
(every word's weight added to every signature holding it), in the same order."""

from __future__ import annotations

import json
import pickle

import numpy as np

from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.training import default_training_files
from bot.matching.extraction import extract
from bot.matching.index import CROWDED, MIN_TEXT_COVERAGE, KnowledgeIndex
from bot.matching.scoring import (
    MAX_CANDIDATES,
    STRONG_EVIDENCE,
    PreparedPaste,
    _candidates,
    prepare,
)
from bot.redaction import sanitize
from tests.matching_support import entry

COMMON = ["error", "failed", "request", "timeout", "connection", "service", "worker"]
TEAM = 2 * CROWDED  # entries: each common word lands in more than CROWDED signatures


def team_kb() -> KnowledgeBase:
    """The shipped entries, a large team's own (made-up words around common ones), and a few
    whose signatures are only common words: crowded words alone can make those candidates."""
    team = [entry(f"team-{n}", f"Zq{n}x{COMMON[n % 7]}Error: zqa{n} {COMMON[(n + 1) % 7]} "
                               f"while zqb{n}",
                  f"zqc{n} {COMMON[(n + 3) % 7]}: could not zqa{n}",
                  f"{COMMON[(n + 2) % 7]} {COMMON[(n + 4) % 7]} {COMMON[(n + 5) % 7]} zqd{n}")
            for n in range(TEAM)]
    vague = [entry("vague-1", "Error: request failed"),
             entry("vague-2", "worker timeout", "connection error on zqrare"),
             entry("vague-3", "Service request failed: worker timeout while zqlong zqwords")]
    return KnowledgeBase((*load_knowledge_base(extra="").entries, *team, *vague))


def plain_candidates(index: KnowledgeIndex, paste: PreparedPaste) -> np.ndarray:
    """Every paste word's weight added to every signature holding it (before index.CROWDED)."""
    accumulated = np.zeros(len(index.signatures), dtype=np.float64)
    for word in sorted(paste.all_words):
        posting = index.postings.get(word)
        if posting is not None:
            accumulated[posting] += index.weight[word]
    if not accumulated.any():
        return np.empty(0, dtype=np.int64)
    coverage = accumulated / np.maximum(index.totals, 1e-9)
    eligible = np.flatnonzero(coverage >= MIN_TEXT_COVERAGE)
    if len(eligible) > MAX_CANDIDATES:
        rank = coverage[eligible] * np.minimum(accumulated[eligible], STRONG_EVIDENCE)
        eligible = eligible[np.argpartition(-rank, MAX_CANDIDATES)[:MAX_CANDIDATES]]
    return eligible


def pastes() -> list[str]:
    texts = [json.loads(row)["text"] for path in default_training_files()
             for row in path.read_text(encoding="utf-8").splitlines() if row.strip()]
    return [
        *texts[::4], "Error: request failed", "worker timeout",
        "ERROR request failed, worker timeout",
        "service request failed: connection error, worker timeout (zqlong)",
        "Zq7xerrorError: zqa7 failed while zqb7", "zqc12 timeout: could not zqa12",
        "error failed request timeout connection service worker", "", "   "]


def test_candidates_are_those_of_the_plain_sums_in_the_same_order() -> None:
    index = KnowledgeIndex(team_kb())
    assert set(COMMON) - {"failed"} <= index.crowded and "fail" in index.crowded
    vague = {position for position, choice in enumerate(index.signatures)
             if index.entry_ids[choice.entry].startswith("vague")}
    assert vague & set(index.crowded_capable.tolist())
    from_crowded_alone = 0
    for text in pastes():
        paste = prepare(extract(sanitize(text)))
        found = _candidates(index, paste)
        assert found.tolist() == plain_candidates(index, paste).tolist(), text[:80]
        from_crowded_alone += bool(vague & set(found.tolist()))
    assert from_crowded_alone >= 3  # the pastes above reach the signatures of common words


def test_the_disk_cache_copy_finds_the_same_candidates() -> None:
    index = KnowledgeIndex(team_kb())
    copy = pickle.loads(pickle.dumps(index))  # what build_index() stores for a large KB
    assert copy.crowded == index.crowded
    assert copy.crowded_capable.tolist() == index.crowded_capable.tolist()
    for text in pastes()[-9:]:
        paste = prepare(extract(sanitize(text)))
        assert _candidates(copy, paste).tolist() == _candidates(index, paste).tolist()
