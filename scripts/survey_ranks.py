#!/usr/bin/env python
"""Where the pure-code ranking puts each labelled paste's entry, and what a change moves.

    .venv/bin/python -m scripts.survey_ranks dump OUT.json FILE.jsonl ...   (cwd: the checkout)
    .venv/bin/python -m scripts.survey_ranks diff BEFORE.json AFTER.json

`dump` runs the matcher's survey (extraction, scoring, the ranking rules, the entries' own text;
no decision model, no precedents) on every paste and keeps its first five entries: about 20 s
for the whole pool, where `kb eval --cv` or `--time-split` takes minutes. `diff` lists the
known pastes that entered or left the first place and the first three, and the unrelated
pastes whose first entry changed, apart for the time split's files (TIME_SPLIT_FILES) and the
rest of the pool: a rule that moves only pool pastes it was built from is fitted to them.

A screen, not a measurement: the precedents and the refitted decision model (what the two
evals report) can add, pull or hide an entry. A change that moves nothing here moves a paste
only through them; one that looks good here still needs both evals (tests/eval/README.md).
Run it as a module from the checkout under test: a script run by path imports the `bot`
installed in the venv, which may be another tree's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.training import SPENT_FINAL_HOLDOUTS
from bot.matching.matcher import Matcher

KEPT = 5
# The files `kb eval --time-split 3` holds out: the three latest spent holdouts, which move on
# with every round's spend.
TIME_SPLIT_FILES = SPENT_FINAL_HOLDOUTS[-3:]
NONE = "none"

Ranks = dict[str, tuple[str, str, list[str]]]  # id -> (expected, file name, first entries)


def dump(out: Path, files: list[Path]) -> None:
    kb = cached_knowledge_base()
    matcher = Matcher(kb, model=None, precedents=None, context=None)
    ranks: Ranks = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            ranked = matcher.survey(item["text"]).ranked[:KEPT]
            ranks[item["id"]] = (item["expected"], path.name,
                                 [kb.entries[scored.entry].id for scored in ranked])
    out.write_text(json.dumps(ranks), encoding="utf-8")


def rank(expected: str, entries: list[str]) -> int:
    """1-based place of the expected entry, 0 when it is not among the kept entries."""
    return entries.index(expected) + 1 if expected in entries else 0


def moves(before: Ranks, after: Ranks) -> dict[str, list[str]]:
    """Group ('split' or 'pool', what moved) -> 'id (place before -> after)'."""
    found: dict[str, list[str]] = {}
    for paste, (expected, name, entries) in sorted(before.items()):
        if paste not in after:
            continue
        group = "split" if name in TIME_SPLIT_FILES else "pool"
        new = after[paste][2]
        if expected == NONE:
            if entries[:1] != new[:1]:
                found.setdefault(f"{group}: unrelated, first entry changed", []).append(paste)
            continue
        old_place, new_place = rank(expected, entries), rank(expected, new)
        label = f"{paste} ({old_place} -> {new_place})"
        for name_of, inside in (("first", lambda place: place == 1),
                                ("first three", lambda place: 0 < place <= 3)):
            if inside(old_place) != inside(new_place):
                way = "entered" if inside(new_place) else "left"
                found.setdefault(f"{group}: {way} the {name_of}", []).append(label)
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("files", type=Path, nargs="+")
    diffing = commands.add_parser("diff")
    diffing.add_argument("before", type=Path)
    diffing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.out, args.files)
        return 0
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    for group, pastes in sorted(moves(before, after).items()):
        print(f"{group}: {len(pastes)}")
        for paste in pastes:
            print(f"  {paste}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
