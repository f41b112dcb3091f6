"""Repeated nested grouped cross-validation, fold by fold: how often a fresh set of
repositories lands under a target, with the threshold rule of crossval.py and with the point
rule it replaced (docs/eval.md, "Thresholds with a margin").

Each outer fold is about the size of a final holdout (~110 pastes from repositories the model
and its thresholds never saw), so the spread of its figures is what one fresh holdout can do.
For every fold it prints what the threshold rule believed (the training part's own inner
out-of-fold predictions at the thresholds it picked) and what the held-out repositories got.

    .venv/bin/python scripts/cv_folds.py --repeats 10    # 50 folds per rule, a few minutes

The pastes are what `kb train` learns from (training.default_training_files: dev, holdout,
constructed and the spent final holdouts). Only the public pastes count (constructed cases
train, never judge: evaluation.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from bot.knowledge import crossval
from bot.knowledge.crossval import Assessed, assess_all, nested_folds
from bot.knowledge.evaluation import CONSTRUCTED, Decided, EvalReport, read_all, summarise
from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.training import default_training_files
from bot.matching.matcher import Matcher


@contextmanager
def point_rule() -> Iterator[None]:
    """Round 4's rule: the point estimate must clear the targets, half the unrelated budget."""
    saved = crossval.BOOTSTRAP_REPLICATES, crossval.CONFIDENT_ON_NONE_MAX
    crossval.BOOTSTRAP_REPLICATES, crossval.CONFIDENT_ON_NONE_MAX = 0, 0.015
    try:
        yield
    finally:
        crossval.BOOTSTRAP_REPLICATES, crossval.CONFIDENT_ON_NONE_MAX = saved


def public(decided: Sequence[Decided]) -> list[Decided]:
    return [one for one in decided if one.kind != CONSTRUCTED]


def figures(data: Sequence[Assessed], repeats: int) -> tuple[EvalReport, EvalReport,
                                                               list[EvalReport]]:
    believed: list[Decided] = []
    held_out: list[Decided] = []
    folds = []
    for seed in range(1, repeats + 1):
        for fold in nested_folds(data, crossval.DEFAULT_FOLDS, seed):
            believed += public(fold.believed)
            held_out += public(fold.held_out)
            folds.append(summarise(public(fold.held_out)))
    return summarise(believed), summarise(held_out), folds


def show(name: str, believed: EvalReport, held_out: EvalReport,
         folds: list[EvalReport]) -> None:
    likely = [fold.likely_precision for fold in folds]
    on_none = [fold.confident_on_none for fold in folds]
    print(f"{name} ({len(folds)} held-out folds)")
    print(f"  likely right      believed {believed.likely_precision:.3f}  held out "
          f"{held_out.likely_precision:.3f} ({held_out.likely})  folds under 0.70: "
          f"{sum(value < 0.70 for value in likely)}  10th percentile "
          f"{np.percentile(likely, 10):.3f}")
    print(f"  confident right   believed {believed.confident_precision:.3f}  held out "
          f"{held_out.confident_precision:.3f} ({held_out.confident})  folds under 0.85: "
          f"{sum(fold.confident_precision < 0.85 for fold in folds)}")
    print(f"  on unrelated      believed {believed.confident_on_none:.3f}  held out "
          f"{held_out.confident_on_none:.3f}  folds over 0.03: "
          f"{sum(value > 0.03 for value in on_none)}  90th percentile "
          f"{np.percentile(on_none, 90):.3f}")
    print(f"  known pastes: answered confidently and right {held_out.answered:.3f}, shown "
          f"and right {held_out.answered_or_likely:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=10,
                        help="partitions of the repositories into 5 folds (default 10)")
    args = parser.parse_args()
    data = assess_all(read_all(default_training_files()),
                      Matcher(load_knowledge_base(extra=""), model=None))
    with point_rule():
        show("point rule (round 4)", *figures(data, args.repeats))
    show(f"bound rule (one-sided {crossval.BOUND_LEVEL:.0%}, grouped bootstrap)",
         *figures(data, args.repeats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
