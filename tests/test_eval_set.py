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


CONSTRUCTED = EVAL / "constructed.jsonl"


def test_constructed_cases_are_apart_and_labelled_by_construction() -> None:
    # Scoring scripts broken on purpose and run through the real inference server
    # (make_constructed.py): their own file, their own kind, never mixed into dev or holdout.
    items = load(CONSTRUCTED.name)
    assert len(items) >= 10
    public_ids = {item["id"] for name in FILES for item in load(name)}
    for item in items:
        assert set(item) == FIELDS, item.get("id")
        assert item["kind"] == "constructed" and item["id"].startswith("constructed-")
        assert item["source"].startswith("constructed: azmlinfsrv "), item["id"]
        assert item["expected"] in KB_IDS, item["id"]
        assert item["id"] not in public_ids
        assert "azmlinfsrv" in item["text"] or "azureml_inference_server_http" in item["text"]
