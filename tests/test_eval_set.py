"""Data hygiene of the labelled evaluation set (tests/eval/).  Independent of the matcher."""

from __future__ import annotations

import json
import runpy
from collections import Counter
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent / "eval"
FILES = ("dev.jsonl", "holdout.jsonl")
KB_IDS = {
    "get-deployment-logs",
    "debug-locally",
    "azure-machine-learning-inference-http-server",
    "container-cannot-be-scheduled",
    "service-launch-fails",
    "function-fails-get_model_path",
    "function-fails-runinput_data",
    "http-status-code-502",
    "http-status-code-503",
    "http-status-code-504",
    "advanced-debugging",
    "http-status-code-409",
    "image-build-fails",
    "vm-out-of-memory",
    "fpga-quota",
}
FIELDS = {"id", "text", "expected", "source", "kind", "note"}


def load(name: str) -> list[dict]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [item for name in FILES for item in load(name)]


def test_every_line_is_an_object_with_the_documented_fields(items: list[dict]) -> None:
    for item in items:
        assert set(item) == FIELDS, item.get("id")
        assert all(isinstance(item[k], str) for k in FIELDS), item["id"]
        assert item["text"].strip(), item["id"]


def test_ids_are_unique_across_both_files(items: list[dict]) -> None:
    counts = Counter(item["id"] for item in items)
    assert [i for i, n in counts.items() if n > 1] == []


def test_labels_are_kb_ids_or_none(items: list[dict]) -> None:
    assert {item["expected"] for item in items} <= KB_IDS | {"none"}


def test_every_item_has_a_public_source_and_a_kind(items: list[dict]) -> None:
    for item in items:
        assert item["kind"] in {"real", "variant"}, item["id"]
        assert item["source"].startswith(("http://", "https://")), item["id"]


def test_size_and_mix_are_what_the_issue_asks_for(items: list[dict]) -> None:
    labels = Counter(item["expected"] for item in items)
    assert len(items) >= 150
    assert labels["none"] >= 50
    variants = sum(item["kind"] == "variant" for item in items)
    assert variants <= 0.4 * len(items)


def test_variants_stay_in_the_split_of_their_real_paste() -> None:
    split_of = {}
    for name in FILES:
        for item in load(name):
            split_of.setdefault(item["id"].split("~", 1)[0], set()).add(name)
    assert {k: v for k, v in split_of.items() if len(v) > 1} == {}


def test_files_are_what_make_variants_generates() -> None:
    module = runpy.run_path(str(EVAL / "make_variants.py"))
    assert module["main"](["--check"]) == 0


def test_every_group_has_a_frozen_side_and_the_split_is_about_seventy_thirty() -> None:
    split = json.loads((EVAL / "split.json").read_text(encoding="utf-8"))
    real_ids = {item["id"] for item in load("real.jsonl")}
    assert real_ids == set(split)
    assert set(split.values()) == {"dev", "holdout"}
    share = sum(side == "holdout" for side in split.values()) / len(split)
    assert 0.2 <= share <= 0.4


def test_every_label_appears_in_both_parts_when_it_has_three_real_pastes() -> None:
    real = load("real.jsonl")
    per_label = Counter(item["expected"] for item in real)
    for name in FILES:
        present = {item["expected"] for item in load(name)}
        missing = {label for label, n in per_label.items() if n >= 3} - present
        assert missing == set(), (name, missing)


# --- final_holdout.jsonl: the last, never-tuned-on measurement set (see tests/eval/README.md) ---

FINAL = "final_holdout.jsonl"
USED_FILES = ("real.jsonl", "variants_manual.jsonl", "dev.jsonl", "holdout.jsonl", "holdout2.jsonl")
NEW_PREFIX = "fh-"  # items collected for final_holdout itself; the rest are holdout2's items


def _threads_and_repos() -> tuple[dict[str, str], set[str], set[str]]:
    """Normalised thread URL -> where used; repos used by the labelled sets; repos the KB cites."""
    checker = runpy.run_path(str(EVAL / "check_holdout2.py"))
    # real, variants_manual, dev, holdout and every URL written in knowledge/*.md
    used = checker["used_sources"]()
    set_repos = {
        _repo(checker["normalise"](item.get("source", "")))
        for name in USED_FILES
        for item in load(name)
    }
    kb_repos = {_repo(url) for url, where in used.items() if where.startswith("knowledge/")}
    return used, set_repos - {None}, kb_repos - {None}


def _repo(url: str) -> str | None:
    parts = url.split("/")
    if len(parts) > 4 and parts[2] == "github.com":
        return f"{parts[3]}/{parts[4]}"
    return None


@pytest.fixture(scope="module")
def final() -> list[dict]:
    return load(FINAL)


def test_final_holdout_has_the_documented_shape(final: list[dict]) -> None:
    for item in final:
        assert set(item) == FIELDS, item.get("id")
        assert all(isinstance(item[k], str) for k in FIELDS), item["id"]
        assert item["text"].strip(), item["id"]
        assert item["kind"] == "real", item["id"]
        assert item["source"].startswith(("http://", "https://")), item["id"]
    assert {item["expected"] for item in final} <= KB_IDS | {"none"}
    counts = Counter(item["id"] for item in final)
    assert [i for i, n in counts.items() if n > 1] == []


def test_final_holdout_is_holdout2_plus_at_least_forty_new_reports(final: list[dict]) -> None:
    holdout2 = {item["id"]: item for item in load("holdout2.jsonl")}
    old = [item for item in final if not item["id"].startswith(NEW_PREFIX)]
    new = [item for item in final if item["id"].startswith(NEW_PREFIX)]
    assert {item["id"] for item in old} == set(holdout2)
    for item in old:  # same reports; only the label may change (issue 10 relabels, noted in `note`)
        before = holdout2[item["id"]]
        assert (item["text"], item["source"]) == (before["text"], before["source"])
        if item["expected"] != before["expected"]:
            assert "relabelled" in item["note"], item["id"]
    assert len(new) >= 40
    assert len(final) >= len(holdout2) + 40
    assert sum(item["expected"] == "none" for item in new) >= 10
    assert sum(item["expected"] == "none" for item in final) >= 40


def test_final_holdout_shares_no_thread_with_anything_built_or_tuned(final: list[dict]) -> None:
    checker = runpy.run_path(str(EVAL / "check_holdout2.py"))
    used, _, _ = _threads_and_repos()
    normalise = checker["normalise"]
    clashes = {item["id"]: used[u] for item in final if (u := normalise(item["source"])) in used}
    assert clashes == {}
    threads = Counter(checker["normalise"](item["source"]) for item in final)
    assert [t for t, n in threads.items() if n > 1] == []


def test_new_final_holdout_reports_come_from_unused_repositories(final: list[dict]) -> None:
    checker = runpy.run_path(str(EVAL / "check_holdout2.py"))
    _, set_repos, kb_repos = _threads_and_repos()
    for item in final:
        if item["id"].startswith(NEW_PREFIX):
            repo = _repo(checker["normalise"](item["source"]))
            assert repo is not None, item["id"]
            assert repo not in set_repos, (item["id"], repo)
            assert repo not in kb_repos, (item["id"], repo)


def test_final_holdout_is_not_part_of_the_split(final: list[dict]) -> None:
    split = json.loads((EVAL / "split.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in final} & set(split) == set()


# The constructed cases' own hygiene (ids, labels, agreement with make_constructed.py) is in
# tests/test_constructed_set.py; here they only count among the files a holdout shares nothing with.
CONSTRUCTED = EVAL / "constructed.jsonl"


# --- the fresh final holdouts of rounds 3 and 4, each collected before its round's changes ---

FINAL3 = "final_holdout3.jsonl"
FINAL4 = "final_holdout4.jsonl"
FINAL5 = "final_holdout5.jsonl"
FINAL6 = "final_holdout6.jsonl"
FINAL7 = "final_holdout7.jsonl"
FINAL8 = "final_holdout8.jsonl"
FINAL9 = "final_holdout9.jsonl"
FINAL10 = "final_holdout10.jsonl"
FINAL11 = "final_holdout11.jsonl"
FINAL12 = "final_holdout12.jsonl"
FINAL13 = "final_holdout13.jsonl"
FINAL14 = "final_holdout14.jsonl"
FINAL15 = "final_holdout15.jsonl"
FINAL16 = "final_holdout16.jsonl"
FINAL17 = "final_holdout17.jsonl"
FINAL18 = "final_holdout18.jsonl"
ALL_OTHER_SETS = (*USED_FILES, FINAL, CONSTRUCTED.name)
# file -> (id prefix, the files it must share nothing with, its size and share-of-none bounds)
FRESH_FINALS = {
    FINAL3: ("fh3-", ALL_OTHER_SETS, 60, (20 / 60, 1.0)),
    # Issue 10 asks for >= 100 pastes; 40-50 % look-alikes keeps both failure modes measured.
    FINAL4: ("fh4-", (*ALL_OTHER_SETS, FINAL3), 100, (0.35, 0.55)),
    # Round 5 found only 64 unused threads on its side of the hash (tests/eval/README.md says
    # why); the floor is what was collected, so losing an item fails here.
    FINAL5: ("fh5-", (*ALL_OTHER_SETS, FINAL3, FINAL4), 64, (0.35, 0.55)),
    # Round 6 has no tuning collector, so no thread hash side is checked (any unused thread may
    # go here); the floor is what was collected, so losing an item fails here.
    FINAL6: ("fh6-", (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5), 102, (0.35, 0.55)),
    # Round 7, collected like round 6 (no thread hash side); the floor is what was collected.
    FINAL7: ("fh7-", (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6), 113, (0.35, 0.55)),
    # Round 8, collected like rounds 6 and 7 (no thread hash side), Azure ML searched hardest;
    # the floor is what was collected, so losing an item fails here.
    FINAL8: ("fh8-", (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6, FINAL7), 113, (0.35, 0.55)),
    # Round 9, collected like round 8 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL9: (
        "fh9-",
        (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8),
        126,
        (0.35, 0.55),
    ),
    # Round 10, collected like round 9 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL10: (
        "fh10-",
        (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9),
        117,
        (0.35, 0.55),
    ),
    # Round 11, collected like round 10 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL11: (
        "fh11-",
        (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10),
        124,
        (0.35, 0.55),
    ),
    # Round 12, collected like round 11 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL12: (
        "fh12-",
        (*ALL_OTHER_SETS, FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11),
        125,
        (0.35, 0.55),
    ),
    # Round 13, collected like round 12 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL13: (
        "fh13-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
        ),
        108,
        (0.35, 0.55),
    ),
    # Round 14, collected like round 13 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL14: (
        "fh14-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
            FINAL13,
        ),
        112,
        (0.35, 0.55),
    ),
    # Round 15, collected like round 14 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL15: (
        "fh15-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
            FINAL13,
            FINAL14,
        ),
        122,
        (0.35, 0.55),
    ),
    # Round 16, collected like round 15 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL16: (
        "fh16-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
            FINAL13,
            FINAL14,
            FINAL15,
        ),
        113,
        (0.35, 0.55),
    ),
    # Round 17, collected like round 16 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL17: (
        "fh17-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
            FINAL13,
            FINAL14,
            FINAL15,
            FINAL16,
        ),
        119,
        (0.35, 0.55),
    ),
    # Round 18, collected like round 17 (no thread hash side) while the matcher was being changed,
    # by a collector who never ran it; the floor is what was collected.
    FINAL18: (
        "fh18-",
        (
            *ALL_OTHER_SETS,
            *(FINAL3, FINAL4, FINAL5, FINAL6, FINAL7, FINAL8, FINAL9, FINAL10, FINAL11, FINAL12),
            FINAL13,
            FINAL14,
            FINAL15,
            FINAL16,
            FINAL17,
        ),
        117,
        (0.35, 0.55),
    ),
}


@pytest.mark.parametrize("name", FRESH_FINALS)
def test_fresh_final_holdout_has_the_documented_shape_and_size(name: str) -> None:
    prefix, _, size, (least_none, most_none) = FRESH_FINALS[name]
    final = load(name)
    for item in final:
        assert set(item) == FIELDS, item.get("id")
        assert all(isinstance(item[k], str) for k in FIELDS), item["id"]
        assert item["text"].strip(), item["id"]
        assert item["kind"] == "real" and item["id"].startswith(prefix), item["id"]
        assert item["source"].startswith(("http://", "https://")), item["id"]
        assert item["note"].strip(), item["id"]
    assert {item["expected"] for item in final} <= KB_IDS | {"none"}
    assert [i for i, n in Counter(item["id"] for item in final).items() if n > 1] == []
    assert len(final) >= size
    share_of_none = sum(item["expected"] == "none" for item in final) / len(final)
    assert least_none <= share_of_none <= most_none


@pytest.mark.parametrize("name", FRESH_FINALS)
def test_fresh_final_holdout_shares_no_thread_and_no_text_with_any_other_eval_file(
    name: str,
) -> None:
    _, others, _, _ = FRESH_FINALS[name]
    final = load(name)
    checker = runpy.run_path(str(EVAL / "check_holdout2.py"))
    normalise = checker["normalise"]
    used = checker["used_sources"]()  # real, variants, dev, holdout and every knowledge/*.md URL
    for other in others:
        for item in load(other):
            used.setdefault(normalise(item.get("source", "")), f"tests/eval/{other}")
    clashes = {item["id"]: used[u] for item in final if (u := normalise(item["source"])) in used}
    assert clashes == {}
    threads = Counter(normalise(item["source"]) for item in final)
    assert [t for t, n in threads.items() if n > 1] == []

    def squash(text: str) -> str:
        return " ".join(text.split())

    other_texts = {squash(item["text"]) for other in others for item in load(other)}
    texts = Counter(squash(item["text"]) for item in final)
    assert [item["id"] for item in final if squash(item["text"]) in other_texts] == []
    assert [t[:60] for t, n in texts.items() if n > 1] == []


@pytest.mark.parametrize("name", FRESH_FINALS)
def test_fresh_final_holdout_is_not_part_of_the_split(name: str) -> None:
    split = json.loads((EVAL / "split.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in load(name)} & set(split) == set()


@pytest.mark.parametrize("name", [FINAL4, FINAL5])
def test_every_fresh_final_holdout_thread_is_on_the_final_side_of_the_hash(name: str) -> None:
    # The tuning collector of a round takes only threads the hash gives to "tune"; a thread on
    # the wrong side here could have been tuned on.
    side = runpy.run_path(str(EVAL / "thread_split.py"))["side"]
    assert [item["id"] for item in load(name) if side(item["source"]) != "final"] == []


@pytest.mark.parametrize("prefix", ["r4-", "r5-"])
def test_every_round_tuning_paste_is_on_the_tune_side_of_the_hash(prefix: str) -> None:
    # The other half of the same rounds: a tuning paste on the "final" side would be a thread
    # the final holdout's collector was meant to own.
    side = runpy.run_path(str(EVAL / "thread_split.py"))["side"]
    tuning = [item for item in load("real.jsonl") if item["id"].startswith(prefix)]
    assert tuning
    assert [item["id"] for item in tuning if side(item["source"]) != "tune"] == []
