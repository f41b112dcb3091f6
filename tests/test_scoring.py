from bot.matching.extraction import extract
from bot.matching.index import KnowledgeIndex
from bot.matching.literals import required_literals
from bot.matching.scoring import prepare, score_entries
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
