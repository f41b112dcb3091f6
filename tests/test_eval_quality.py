"""The matcher's quality on the labelled evaluation set (tests/eval/README.md), gated by one
grouped 5-fold cross-validation by source repository on everything the model is trained on
(training.default_training_files: dev + holdout + constructed + the spent final holdouts): the
learned decision and its thresholds are fitted without the fold they judge
(bot/knowledge/crossval.py). From that one run:

- the pool's headline (the public pastes; constructed cases apart);
- dev + holdout, so that learning from the spent holdouts cannot cost the old set unnoticed;
- each spent final holdout's own out-of-fold figures. They were gated on the shipped model
  while it had never seen them; it is now trained on them (round 6), so that figure would be
  in-sample and say nothing. Out of fold, each paste is judged by a model and thresholds that
  never saw its repository, as on the day the file was scored.

The issue's targets are confident top-1 (precision) >= 0.85, top-3 >= 0.95, confident on
unrelated <= 0.03 and likely-tier precision >= 0.70. Where a target is not reached the gate is
set at what is reached, less one paste (one more miss, one more wrong answer), and
docs/eval.md says so. The figures are printed (pytest -s) for the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.crossval import cross_validated_decisions, time_split_decisions
from bot.knowledge.evaluation import (
    EvalReport,
    evaluate,
    read_all,
    read_items,
    render_by_file,
    render_report,
    summarise,
    summarise_by_file,
    summarise_by_kind,
)
from bot.knowledge.loader import load_knowledge_base
from bot.knowledge.training import SPENT_FINAL_HOLDOUTS, default_training_files
from bot.matching.matcher import Matcher

# The pool's cross-validation (five trainings of the full model, in a module fixture) takes
# about a minute on a quiet machine and over pytest-timeout's 300 s when other work loads both
# cores (seen in round 11 at load 15). The guard is for hangs, not speed: bench scripts time.
pytestmark = pytest.mark.timeout(1200)

EVAL = Path(__file__).resolve().parent / "eval"
TRAINED_ON = default_training_files()
POOL_COMPLETE = len(TRAINED_ON) == 3 + len(SPENT_FINAL_HOLDOUTS)


def gate(report: EvalReport, *, top1: float, top3: float, likely: float,
         shown_right: float, answered: float, confident: float = 0.85,
         on_none: float = 0.03) -> None:
    assert report.confident_precision >= confident, (
        f"confident precision {report.confident_precision:.3f} < {confident} (target 0.85)")
    assert report.confident_on_none <= on_none, (
        f"confident on none {report.confident_on_none:.3f} > {on_none} (target 0.03)")
    assert report.top1 >= top1, f"top-1 {report.top1:.3f} < {top1}"
    assert report.top3 >= top3, f"top-3 {report.top3:.3f} < {top3} (target 0.95)"
    assert report.likely_precision >= likely, (
        f"likely precision {report.likely_precision:.3f} < {likely} (target 0.70)")
    assert report.answered_or_likely >= shown_right, (
        f"answered or likely, right {report.answered_or_likely:.3f} < {shown_right}")
    assert report.answered >= answered, (
        f"answered confidently and right {report.answered:.3f} < {answered}")


@pytest.fixture(scope="module")
def pool() -> tuple[EvalReport, dict[str, EvalReport], EvalReport]:
    """The pool's report, each file's out-of-fold report and dev + holdout's, from one run."""
    if not POOL_COMPLETE:
        pytest.skip("eval pool incomplete")
    decided = cross_validated_decisions(
        read_all(TRAINED_ON), Matcher(load_knowledge_base(extra=""), model=None, context=None), 5)
    report = summarise_by_kind(decided)
    files = summarise_by_file(decided, [path.name for path in TRAINED_ON])
    print(render_report(report, "grouped 5-fold cross-validation, the pool", misses=False))
    print(render_by_file(files))
    old = summarise([one for one in decided if one.origin in ("dev.jsonl", "holdout.jsonl")])
    return report, files, old


def test_cross_validated_quality(pool: tuple[EvalReport, dict[str, EvalReport], EvalReport]
                                 ) -> None:
    # Round 6: the spent final holdouts joined the pool. With the four of rounds 2-5 (965
    # public pastes, 407 none, + 50 constructed), at 684e224's code: top-1 0.808, top-3 0.912,
    # confident precision 0.937 (189), likely 0.707 (290), answered 0.317, shown and right
    # 0.685, confident on none 0.020; after round 6's merges: 0.880, 0.948, 0.954 (216), 0.726
    # (318), 0.369, 0.783, 0.015. Round 6's own holdout, scored once and then spent, joined too
    # (1067 public pastes, 452 none): top-1 0.850, top-3 0.925, confident precision 0.954 (218),
    # likely 0.725 (349), answered 0.338, shown and right 0.750, confident on none 0.011 (5 of
    # 452). Real pastes alone (982, the 85 generated variants out): top-3 0.915, likely 0.714
    # (322). Gates: reached less one paste. top-3 misses its target (0.95) on the pool.
    # Round 7, precedents (bot/matching/precedents.py): top-1 0.857, top-3 0.951, confident
    # precision 0.960 (251), likely 0.717 (315), answered 0.392, shown and right 0.759,
    # confident on none 0.011; the likely band grew less precise by ~0.01 (gate 0.72 -> 0.71).
    # Round 8: round 7's holdout spent and in the pool (1180 public pastes, 503 none), before
    # any round-8 change: top-1 0.832, top-3 0.922, confident precision 0.950 (219), likely
    # 0.720 (396), answered 0.307, shown and right 0.728, confident on none 0.018 (9 of 503).
    # Its new stacks' look-alikes, rated very sure out of fold, raise every fold's confident
    # threshold to ~0.97 (219 confident answers, 250 before); gates reset to that less one paste.
    # Round 8, the confident tier on the paste's own evidence (decision.py; the precedents still
    # rank and lift to likely): top-1 0.832, top-3 0.922, confident 0.953 (235), likely 0.711
    # (367), answered 0.331, shown and right 0.716 (8 right "probably" answers fewer: the likely
    # threshold rose ~0.02), confident on none 0.014 (7 of 503).
    # Round 9: round 8's holdout spent and in the pool (1295 public pastes, 559 none), before
    # any round-9 change: top-1 0.836, top-3 0.933, confident 0.948 (229), likely 0.710 (445),
    # answered 0.295, shown and right 0.724, confident on none 0.018 (10 of 559). Its other
    # stacks' look-alikes raise the folds' confident thresholds again (answered 0.334 -> 0.295).
    # Round 9, the paste context in the full model (context.py): likely 0.709 (453), shown and
    # right 0.731, the rest unchanged (the confident tier does not read it).
    # Round 10: round 9's holdout spent and in the pool (1421 public pastes, 619 none), before
    # any round-10 change: top-1 0.835, top-3 0.928, confident 0.948 (229), likely 0.717 (495),
    # answered 0.271, shown and right 0.713, confident on none 0.016 (10 of 619). Its other
    # stacks (Replicate, xinference, Label Studio, Ollama) lower top-3 and answered again.
    # Round 10, kb10's wordings (docs/eval.md): top-1 0.837, top-3 0.929, confident 0.948
    # (230), likely 0.714 (497), answered 0.272, shown and right 0.714, confident on none 0.016.
    # Round 10, learn10 (own-evidence model on the paste's own candidates; a bare kill never
    # sure): confident 0.943 (245), likely 0.724 (464), answered 0.288, shown and right 0.707
    # (5 right answers fewer shown: the likely band's 0.70 rule on a changed confident set; gate
    # 0.71 -> 0.70), confident on none 0.016 (10 of 619), top-1 and top-3 unchanged.
    # Round 10 merged (kb10 and learn10, retrained on 1471 items): top-1 0.837, top-3 0.929,
    # confident 0.943 (245), likely 0.724 (464), answered 0.288, shown and right 0.707,
    # confident on none 0.016 (10 of 619).
    # Round 11: round 10's holdout spent and in the pool (1538 public pastes, 675 none), before
    # any round-11 change: top-1 0.817, top-3 0.925, confident 0.938 (275), likely 0.714 (468),
    # answered 0.299, shown and right 0.686, confident on none 0.019 (13 of 675). Its stacks
    # (gunicorn, TorchServe, Triton, TEI, Ollama) are the hardest so far (its own top-1 0.607).
    # Round 11, kb11's model-server wordings: top-1 0.824, top-3 0.928, confident 0.942 (275),
    # likely 0.711 (494), answered 0.300, shown and right 0.707, confident on none 0.018 (12).
    # Round 11, learn11 (the exact threshold is the confident one less 2 logits, picked
    # together): confident 0.939 (278), likely 0.712 (462), answered 0.302 (3 more right sure
    # answers; gate 0.28 -> 0.30, one paste less), shown and right 0.684, confident on none
    # 0.019 (13 of 675), top-1 and top-3 unchanged.
    # Round 11 merged (kb11, rank11's near-tie vote, learn11; retrained on 1588 items): top-1
    # 0.845, top-3 0.928, confident 0.942 (277), likely 0.706 (500), answered 0.302, shown and
    # right 0.711, confident on none 0.018 (12 of 675). With top3's start-up timeout patterns
    # (retrained): top-3 0.929, confident 0.943 (279), likely 0.705 (498), answered 0.305.
    # Round 12: round 11's holdout spent and in the pool (1612 public pastes, 734 none), before
    # any round-12 change: top-1 0.822, top-3 0.926, confident 0.937 (301), likely 0.703 (482),
    # answered 0.304, shown and right 0.669, confident on none 0.019 (14 of 734). Its own
    # likely band is right half the time (0.500, 32), the lowest of any file.
    # Round 12, learn12 (a request is never "probably" a diagnosis, asking.py; retrained):
    # confident 0.930 (301), likely 0.709 (471), answered 0.302, shown and right 0.662,
    # confident on none 0.022 (16 of 734), top-1 and top-3 unchanged.
    # Round 12 merged (kb12's patterns + learn12's rule, retrained): top-1 0.837, top-3 0.931,
    # confident 0.941 (303), likely 0.710 (486), answered 0.307, shown and right 0.679,
    # confident on none 0.018 (13 of 734). Gates: reached less one paste.
    # Round 13: round 12's holdout spent and in the pool (1737 public pastes, 793 none), before
    # any round-13 change: top-1 0.832, top-3 0.923, confident 0.936 (298), likely 0.702 (554),
    # answered 0.281, shown and right 0.672, confident on none 0.018 (14 of 793). The fresh
    # file ranks worse than the others (0.667 top-1 out of fold), so the pool's figures fall.
    # Round 13, rank13 (a weak procedure lead gives way on a failure report; retrained):
    # top-1 0.837, top-3 0.923, confident 0.936 (299), likely 0.701 (551), answered 0.282,
    # shown and right 0.670, confident on none 14 of 793 (shown gate 0.67 -> 0.66; likely
    # stays at the target 0.70, one paste short of room).
    # Round 14: round 13's holdout spent and in the pool (1845 public pastes, 842 none; six of
    # its labels settled by the non-model pod rule first), before any round-14 change: top-1
    # 0.824, top-3 0.921, confident 0.925 (306), likely 0.704 (571), answered 0.269, shown and
    # right 0.651, confident on none 0.017 (14 of 842). The fresh file ranks worst of all
    # (0.610 top-1 out of fold). A bare build with no deployment never sure (decision.
    # may_be_sure; the retrain had made a bare gcc failure sure), retrained: confident 0.923
    # (325), likely 0.713 (540), answered 0.285, confident on none 15 of 842, the rest as
    # above. Gates: reached less one paste.
    # Round 14 merged (rank15: a stageless cause stated in the paste above its symptom;
    # context15: a kill the runtime denies was for memory never sure; top15: five entries'
    # missing wordings; retrained): top-1 0.836, top-3 0.929, confident 0.935 (323), likely
    # 0.708 (551), answered 0.287, shown and right 0.657, confident on none 14 of 842. The
    # likely gate is the target (0.70): top15's timeout-as-a-noun wording shows about ten
    # more unrelated pastes as "probably" and 0.71 had no paste of room. With logs15 (a
    # failed Azure ML deployment with no cause lists the logs procedure) and likely15 (a GPU's
    # out-of-memory is no entry's), retrained: top-1 0.837, top-3 0.937, confident 0.935
    # (322), likely 0.710 (555), answered 0.286, shown and right 0.660, confident on none 14.
    # Round 15: round 14's holdout spent and in the pool (1957 public pastes, 897 none; its
    # labels checked against the non-model pod rule, none changed), before any round-15
    # change: top-1 0.837, top-3 0.939, confident 0.926 (326), likely 0.711 (598), answered
    # 0.272, shown and right 0.655, confident on none 18 of 897. Gates: reached less one paste
    # (likely at the target). Round 15 merged (top16: wordings of entries not listed, a denied
    # memory kill; order16: a start the server says failed; none16: a plain web app never
    # sure, a pull request or proposal never a diagnosis; likely16: hosted platforms named;
    # ctx16: the context model learns from pastes with a lead; retrained): top-1 0.868, top-3
    # 0.969, confident 0.938 (370), likely 0.715 (568), answered 0.313, shown and right 0.678,
    # confident on none 17 of 897. Gates: reached less one paste.
    # Round 16: round 15's holdout spent and in the pool (2079 public pastes, 959 none; its
    # labels checked against the non-model pod rule, none changed), before any round-16
    # change: top-1 0.868, top-3 0.959, confident 0.923 (377), likely 0.716 (580), answered
    # 0.297, shown and right 0.652, confident on none 22 of 959. The fresh file's top-3 (0.900
    # out of fold) pulls the pool's down. Gates: reached less one paste.
    # Round 16 merged (hedge17: a guessed cause is no evidence; none17: a proposal is never
    # sure; likely17: "probably" needs a model or a pod in sight; likely18: development work is
    # never "probably"; korean18: Korean setting words glossed, the `korean` feature gone;
    # retrained): top-1 0.868, top-3 0.959, confident 0.937 (394), likely 0.707 (624), answered
    # 0.315, shown and right 0.692, confident on none 17 of 959. With "deploy", "web service"
    # and model servers' package names (tritonclient) counted as something served in sight
    # (retrained): likely 0.708 (617), shown and right 0.689, the rest unchanged. Gates:
    # reached less one paste (likely at the target, 0.70).
    # Round 17: round 16's holdout spent and in the pool (2242 public pastes, 1012 none; its
    # labels checked against the rules first, none changed), retrained on 2292 items, before
    # any round-17 change: top-1 0.861, top-3 0.958, confident 0.938 (370), likely 0.708 (702),
    # answered 0.282, shown and right 0.686, confident on none 18 of 1012. The refit's higher
    # confident threshold (0.855 -> 0.887) answers fewer sure (gate answered 0.31 -> 0.28).
    # Gates: reached less one paste.
    # Round 17 merged (likely19: a failing request with no model named is never "probably";
    # podfate19: writing about a failure, a host that is not Kubernetes, a CI step's pod and
    # an init container's line are never sure; rank19: a server that never came up lists the
    # start entry; speed19; korean19 merged and reverted; a paste held back only for want of
    # a deployment in sight says so; retrained): top-1 0.867, top-3 0.966, confident 0.951
    # (365), likely 0.711 (707), answered 0.282, shown and right 0.691, confident on none 13 of
    # 1012. With korean20 (a Korean paste also reads as the English of its words; retrained):
    # confident 0.951 (364), likely 0.711 (709), answered 0.281, the rest unchanged. Gates:
    # reached less one paste.
    # Round 18: round 17's holdout spent and in the pool (2361 public pastes, 1068 none; its
    # labels checked against the rules first, one settled as none), retrained on 2411 items
    # (thresholds confident 0.889, exact 0.519, likely 0.353), before any round-18 change:
    # top-1 0.857, top-3 0.964, confident 0.951 (346), likely 0.696 (828), answered 0.254,
    # shown and right 0.700, confident on none 12 of 1068. The fresh file (out of fold: top-1
    # 0.794, likely 0.640 on 50) pulls top-1 and "probably" down, and the lower likely
    # threshold (0.368 -> 0.353) shows more: gates top-1 0.86 -> 0.85, likely 0.71 -> 0.69,
    # answered 0.28 -> 0.25. Gates: reached less one paste.
    # Round 18 merged (scope20: a setting that is not a model deployment is held back;
    # writes20: more ways of writing about a failure; order20: a start cut short lists the
    # start entry; korean21; build20: "probably image-build-fails" needs a deployment's build
    # shown failing; retrained, thresholds confident 0.891, exact 0.525, likely 0.341): top-1
    # 0.867, top-3 0.964, confident 0.952 (355), likely 0.765 (765: 585 right), answered 0.261,
    # shown and right 0.714, confident on none 12 of 1068. Gates: reached less one paste.
    report, _, _ = pool
    gate(report, top1=0.86, top3=0.96, likely=0.76, shown_right=0.71, answered=0.26)


def test_dev_and_holdout_out_of_fold_in_the_pool(
        pool: tuple[EvalReport, dict[str, EvalReport], EvalReport]) -> None:
    # The 609 public pastes of dev + holdout, out of fold in the pool's run, after round 6:
    # top-1 0.896, top-3 0.965, confident precision 0.973 (150), likely 0.785 (191), answered
    # 0.398, shown and right 0.807, confident on none 0.008 (2 of 242). Learning from the spent
    # holdouts must not cost the set the bot was written for (the 609-item CV alone at 684e224:
    # likely 0.721, shown 0.757, answered 0.371, confident on none 0.012). With precedents
    # (round 7): top-1 0.896, top-3 0.978, confident 0.983 (172), likely 0.769 (169), answered
    # 0.460, shown and right 0.815, confident on none 0.004 (gate likely 0.78 -> 0.76).
    # Round 8, holdout7 in the pool: top-1 0.899, top-3 0.967, confident 0.965 (142), likely
    # 0.820 (194), answered 0.373, shown and right 0.807, confident on none 0.017 (answered
    # 0.39 -> 0.37: the higher confident threshold above). Confident on own evidence (round 8):
    # top-1 0.899, top-3 0.967, confident 0.968 (158), likely 0.803 (173), answered 0.417,
    # shown and right 0.796, confident on none 0.012 (3 of 242).
    # Round 9, holdout8 in the pool: top-1 0.902, top-3 0.975, confident 0.972 (145), likely
    # 0.827, answered 0.384, shown and right 0.815, confident on none 0.012 (answered gate
    # 0.41 -> 0.38, the higher confident threshold above). Paste context (round 9): likely
    # 0.817 (191), shown and right 0.809, the rest unchanged.
    # Round 10, holdout9 in the pool: top-1 0.899, top-3 0.970, confident 0.971 (136), likely
    # 0.846 (195), answered 0.360, shown and right 0.809, confident on none 0.012 (answered
    # gate 0.38 -> 0.35: fewer confident answers, more right "probably" ones). learn10: top-1
    # 0.899, top-3 0.970, confident 0.966 (149), likely 0.833 (180), answered 0.392, shown and
    # right 0.801, confident on none 0.012 (3 of 242).
    # Round 10 merged: top-1 0.899, top-3 0.970, confident 0.966 (148), likely 0.833 (180),
    # answered 0.390, shown and right 0.798, confident on none 0.012 (answered gate back to
    # 0.38: the own-candidates model answers more of the old set).
    # Round 12, before learn12: top-1 0.902, confident 0.976 (166), likely 0.806 (160),
    # answered 0.441, shown and right 0.793, confident on none 2 of 242. learn12 (requests not
    # "probably"): confident 0.964 (167), likely 0.818 (154), answered 0.439, shown and right
    # 0.782 (4 right answers fewer shown: dev's how-to questions labelled with a cause entry,
    # e.g. where to request FPGA quota; gate 0.79 -> 0.77), confident on none 4 of 242.
    # Round 15 merged (top16, order16, none16; retrained): dev top-1 0.945, top-3 1.000,
    # holdout top-1 0.919, top-3 0.973; together shown and right 0.766: the lower confident
    # threshold (none16's rules free part of the sure budget: 0.894 -> 0.869) turns right
    # "probably" answers sure, and the likely band, picked a little higher, leaves a few right
    # ones unshown (gate 0.77 -> 0.76).
    # Round 16, round 15's holdout spent (retrained on 2179 items): dev top-1 0.941, top-3
    # 0.996, holdout top-1 0.919, top-3 0.964; together shown and right 0.757 (278 of 367), one
    # paste under 0.76: the likely threshold the refit picked (0.410 -> 0.435) hides one right
    # "probably" answer (gate 0.76 -> 0.75).
    # Round 18, round 17's holdout spent (retrained on 2411 items; the confident threshold
    # 0.891 -> 0.889 but fewer own-evidence sure answers): top-1 0.932, top-3 0.989, answered
    # 0.379 (139 of 367), one paste under 0.38 (gate 0.38 -> 0.37). Round 18 merged
    # (retrained): top-1 0.937, top-3 0.989, likely 0.852 (150 of 176), answered 0.395, shown
    # and right 0.804. Gates: reached less one paste (likely 0.76 -> 0.84, shown 0.75 -> 0.80,
    # answered 0.37 -> 0.39).
    _, _, old = pool
    gate(old, top1=0.89, top3=0.96, likely=0.84, shown_right=0.80, answered=0.39)


# Three trainings of the full model, one per holdout: about 40 s on a quiet machine, but several
# minutes while other work loads both cores (seen: over the suite's 300 s hang guard).
@pytest.mark.timeout(1200)
def test_the_latest_holdouts_judged_by_models_of_the_earlier_files() -> None:
    """The time split (docs/eval.md, round 9): each of the three latest spent holdouts judged
    by precedents, a model and thresholds learned only from the files collected before it, as
    each was met when fresh. Grouped cross-validation mixes the rounds and flatters them; this
    is the figure a new stack's pastes get. Round 9 merged (holdouts 6-8, 330 pastes, 152
    none): top-1 0.691, top-3 0.860, confident 0.814 (43), likely 0.504 (127), answered 0.197,
    shown and right 0.556, confident on none 0.046 (7 of 152); round 9's start: likely 0.436,
    shown 0.534. Round 10, holdouts 7-9 (354 pastes, 167 none), before round 10's changes:
    top-1 0.717, top-3 0.856, confident 0.830 (47), likely 0.556 (126), answered 0.209, shown
    and right 0.583, confident on none 0.048 (8 of 167). Round 10, kb10's wordings: top-1
    0.722, top-3 0.861, likely 0.555 (128), shown and right 0.588, the rest unchanged.
    Round 10, learn10 (own candidates,
    a bare kill never sure): confident 0.854 (41), likely 0.574 (129), answered 0.187 (35
    right confident, 4 fewer: answered gate 0.20 -> 0.18), shown and right 0.583, confident on
    none 0.036 (6 of 167). Round 10 merged (with kb10): top-1 0.722, top-3 0.861, confident
    0.854 (41), likely 0.581 (129), answered 0.187, shown and right 0.588, confident on none
    0.036. Round 11, holdouts 8-10 (358 pastes, 172 none), before round 11's changes: top-1
    0.688, top-3 0.866, confident 0.848 (33), likely 0.556 (135), answered 0.151, shown and
    right 0.554, confident on none 0.029 (5 of 172). Round 11, kb11's wordings: top-1 0.720,
    top-3 0.887, likely 0.585 (142), shown and right 0.597, the rest unchanged (holdout10's
    row is no longer blind to them). Round 11, rank11 (a weak lead's near-tie broken by the
    precedents' vote): top-1 0.747, likely 0.580 (131), shown and right 0.559. Round 11,
    learn11 (exact threshold tied to the confident one): the same figures as its start.
    Round 11 merged (retrained): top-1 0.769, top-3 0.882, confident 0.853 (34), likely 0.589
    (141), answered 0.156, shown and right 0.602, confident on none 0.029 (5 of 172); holdout
    10's row (0.754 top-1) is not blind to kb11. With top3 (retrained): likely 0.593 (140),
    the rest unchanged. Round 12, holdouts 9-11 (367 pastes, 175 none), before round 12's
    changes: top-1 0.750, top-3 0.880, confident 0.897 (29), likely 0.607 (140), answered 0.135,
    shown and right 0.578, confident on none 0.011 (2 of 175). Gates: reached less one
    paste. Round 12, learn12 (requests not "probably", retrained): confident 0.909 (33), likely
    0.625 (128), answered 0.156, shown and right 0.573, confident on none 2 of 175, top-1 and
    top-3 unchanged (likely gate 0.59 -> 0.61). Round 12 merged (with kb12's patterns, written
    after reading holdouts 9-11's misses: not blind): top-1 0.792, top-3 0.901, confident 0.889
    (36), likely 0.634 (134), answered 0.167, shown and right 0.609, confident on none 0.017
    (3 of 175). Gates: reached less one paste. Round 13, holdouts 10-12 (366 pastes, 174 none),
    before round 13's changes: top-1 0.750, top-3 0.891, confident 0.821 (39), likely 0.576
    (132), answered 0.167, shown and right 0.562, confident on none 0.029 (5 of 174): round
    12's holdout (top-1 0.667, likely 0.500) replaces round 9's. Gates: reached less one
    paste. Round 13, rank13 (retrained): top-1 0.766, top-3 0.891, confident 0.805 (41),
    likely 0.590 (134), answered 0.172, shown and right 0.583, confident on none 5 of 174.
    Round 14, holdouts 11-13 (357 pastes, 167 none), before round 14's changes: top-1 0.716,
    top-3 0.889, confident 0.667 (48: 32 right), likely 0.534 (131), answered 0.168, shown and
    right 0.537, confident on none 0.048 (8 of 167). Round 13's holdout (confident 5 of 13
    right, top-1 0.627) replaces round 10's (5 of 5). A bare build never sure, retrained:
    confident 0.673 (49), likely 0.536 (125), answered 0.174, shown and right 0.526, the rest
    as above. Gates: reached less one paste; the confident figure is far under the 0.85
    target, and is this round's problem. Round 14 merged (rank15, context15, top15,
    retrained): top-1 0.753, top-3 0.905, confident 0.786 (42: 33 right), likely 0.557 (131),
    answered 0.174, shown and right 0.558, confident on none 0.036 (6 of 167). Gates: reached
    less one paste. With logs15 and likely15 (retrained): top-1 0.753, top-3 0.916,
    confident 0.786 (42), likely 0.592 (125), answered 0.174, shown and right 0.563,
    confident on none 6 of 167. Round 15, holdouts 12-14 (345 pastes, 163 none), before
    round 15's changes: top-1 0.720, top-3 0.863, confident 0.763 (38: 29 right), likely 0.552
    (125), answered 0.159, shown and right 0.538, confident on none 0.043 (7 of 163). Round
    14's holdout (top-3 0.842, 4 of 55 none sure) replaces round 11's (top-3 1.000). Gates:
    reached less one paste. Round 15 merged (retrained): top-1 0.813, top-3 0.951, confident
    0.875 (40: 35 right), likely 0.624 (125), answered 0.192, shown and right 0.621, confident
    on none 0.018 (3 of 163): top-3, confident precision and confident on none meet the
    targets here, on pastes the round's helpers read (tuning figures; round 15's own fresh
    holdout meets none, docs/eval.md). Gates: reached less one paste. Round 16, holdouts 13-15
    (342 pastes, 166 none), before round 16's changes: top-1 0.841, top-3 0.938, confident
    0.825 (40: 33 right), likely 0.622 (119), answered 0.188, shown and right 0.608, confident
    on none 0.036 (6 of 166). Round 15's holdout (top-3 0.900, 3 of 62 none sure) replaces
    round 12's. Gates: reached less one paste. Round 16 merged (hedge17, none17, likely17,
    likely18, korean18; retrained): top-1 0.841, top-3 0.938, confident 0.941 (34: 32 right),
    likely 0.680 (125), answered 0.182, shown and right 0.665, confident on none 0.006 (1 of
    166): confident precision and confident on none meet the targets here, on pastes the
    round's helpers read (tuning figures; the fresh holdout is in docs/eval.md). With
    "deploy", "web service" and model servers' package names counted as something served in
    sight (retrained): likely 0.677 (124), shown and right 0.659, the rest unchanged. Gates:
    reached less one paste. Round 17, holdouts 14-16 (347 pastes, 170 none), before round 17's
    changes: top-1 0.825, top-3 0.915, confident 0.867 (45: 39 right), likely 0.679 (112),
    answered 0.220, shown and right 0.650, confident on none 0.035 (6 of 170). Round 16's
    holdout (top-3 0.917 and 5 of 53 none sure out of fold) replaces round 13's. Gates:
    reached less one paste. Round 17 merged (likely19, podfate19, rank19, speed19; korean19
    reverted; retrained): top-1 0.853, top-3 0.960, confident 0.950 (40: 38 right), likely
    0.690 (116), answered 0.215, shown and right 0.667, confident on none 0.012 (2 of 170):
    top-3, confident precision and confident on none meet the targets here, on pastes the
    round's helpers read (tuning figures; round 17's fresh holdout is in docs/eval.md).
    With korean20 (retrained): top-1 0.859, likely 0.692 (117), shown and right 0.672, the
    rest unchanged. Gates: reached less one paste. Round 18, holdouts 15-17 (354 pastes, 171
    none), before round 18's changes: top-1 0.825, top-3 0.951, confident 0.927 (41: 38
    right), likely 0.667 (123), answered 0.208, shown and right 0.656, confident on none 0.018
    (3 of 171). Round 17's holdout (top-1 0.810, "probably" 32 of 48 learned from the files
    before it) replaces round 14's. Gates: reached less one paste. Round 18 merged (scope20,
    writes20, order20, korean21, build20; retrained): top-1 0.836, top-3 0.951, confident
    0.907 (43: 39 right), likely 0.814 (102: 83 right), answered 0.213, shown and right 0.667,
    confident on none 0.023 (4 of 171): the retrain after order20 answers one more unrelated
    paste sure (a debugger question whose candidates did not change). Gates: reached less one
    paste (confident 0.90 -> 0.88, confident on none 0.024 -> 0.03, the issue's target)."""
    if not POOL_COMPLETE:
        pytest.skip("eval pool incomplete")
    names = [path.name for path in TRAINED_ON]
    matcher = Matcher(load_knowledge_base(extra=""), model=None, context=None)
    decided = time_split_decisions(read_all(TRAINED_ON), matcher, names, 3)
    report = summarise(decided)
    print(render_report(report, "time split, the three latest spent holdouts", misses=False))
    gate(report, top1=0.83, top3=0.94, likely=0.80, shown_right=0.66, answered=0.20,
         confident=0.88, on_none=0.03)


# Each spent final holdout, out of fold in the pool's run, after round 6. Its old gate judged
# the shipped model, which never saw it then; those figures (docs/eval.md) are kept as history,
# not compared: out of fold the file's own pastes of other repositories also train the model
# that judges it, and round 6's wordings were written from the misses of rounds 2-5's files,
# so these are tuning figures now, not a fresh test (round 6's own file was never read for
# tuning). Every gate is what was reached less one paste (one more miss, or one more wrong
# answer in a tier), rounded down; a target already reached with room for one paste is the
# target itself.
SPENT_GATES: dict[str, dict[str, float]] = {
    # 125 (76 known, 49 none): top-1 0.921, top-3 0.961, confident 0.968 (31), likely 0.821
    # (39), answered 0.395, shown and right 0.816, confident on none 0 of 49. With precedents
    # (round 7): top-1 0.934, top-3 0.987, confident 0.974 (38), likely 0.788 (33), answered
    # 0.487, shown and right 0.829, confident on none 0 of 49. Round 8 (holdout7 in the pool,
    # confident on own evidence): top-1 0.921, top-3 0.974, confident 1.000 (30), likely 0.789
    # (38), answered 0.395, shown and right 0.789, confident on none 0 of 49.
    # Round 10, learn10: confident 1.000 (28), answered 0.368 (gate 0.38 -> 0.35).
    # Round 15 merged: confident 1.000 (33), likely 0.781 (32), answered 0.434, shown and right
    # 0.763 (58 of 76: the likely band picked higher after the confident threshold fell; one
    # right image-build "probably" went unknown; gate 0.77 -> 0.75).
    "final_holdout.jsonl": {"top1": 0.90, "top3": 0.94, "likely": 0.75, "shown_right": 0.75,
                            "answered": 0.35},
    # 67 (27 known, 40 none): top-1 0.963, top-3 0.963, confident 0.667 (3), likely 0.667 (27),
    # answered 0.074, shown and right 0.741, confident on none 1 of 40.
    # Round 15 merged: top-1 0.963, top-3 1.000, confident 0.667 (9), likely 0.850 (20),
    # shown and right 0.852, confident on none 3 of 40 (a SageMaker TorchServe worker and a
    # Seldon init container's crash loop now clear the lower confident threshold; gate 0.05 ->
    # 0.10, one paste of room; the pool's figure fell, 18 -> 17 of 897).
    "final_holdout3.jsonl": {"top1": 0.92, "top3": 0.92, "likely": 0.62, "shown_right": 0.70,
                             "answered": 0.03, "confident": 0.33, "on_none": 0.10},
    # 100 (57 known, 43 none): top-1 0.772, top-3 0.860, confident 0.889 (18), likely 0.710
    # (31), answered 0.281, shown and right 0.667, confident on none 1 of 43. Round 8 (holdout7
    # in the pool): top-1 0.789, top-3 0.912, confident 0.800 (15: 12 right), likely 0.730
    # (37), answered 0.211, confident on none 2 of 43 (confident gate 0.83 -> 0.75); confident
    # on own evidence: confident 0.824 (17), likely 0.714 (35), answered 0.246, on none 2 of 43.
    # Round 9 (holdout8 in the pool): top-1 0.807, top-3 0.912, confident 0.846 (13), likely
    # 0.725 (40), answered 0.193, shown and right 0.702, confident on none 1 of 43 (answered
    # gate 0.20 -> 0.17).
    # Round 10 (holdout9 in the pool): likely 0.651 (43), shown and right 0.684, the rest as
    # round 9 (likely gate 0.67 -> 0.62).
    "final_holdout4.jsonl": {"top1": 0.75, "top3": 0.84, "likely": 0.62, "shown_right": 0.64,
                             "answered": 0.17, "confident": 0.75, "on_none": 0.047},
    # 64 (31 known, 33 none): top-1 0.710, top-3 0.871, confident 1.000 (6), likely 0.565
    # (23), answered 0.194, shown and right 0.613, confident on none 0 of 33.
    # Round 14 (holdout13 in the pool, retrained thresholds): likely 0.600 (15), shown and
    # right 0.516 (16 of 31, three fewer "probably" answers; gate 0.58 -> 0.48).
    "final_holdout5.jsonl": {"top1": 0.67, "top3": 0.83, "likely": 0.52, "shown_right": 0.48,
                             "answered": 0.16, "confident": 0.83},
    # Round 6's own, scored once with the shipped models before and after the round (docs/
    # eval.md), then spent. 102 (57 known, 45 none), out of fold: top-1 0.561, top-3 0.702,
    # confident 0.800 (10), likely 0.474 (38), answered 0.140, shown and right 0.456,
    # confident on none 1 of 45. With precedents (round 7): top-1 0.579, top-3 0.772,
    # confident 0.889 (9), likely 0.417 (36), answered 0.140, shown and right 0.404 (23 of 57,
    # 3 fewer: its new stacks' nearest pastes are mostly `none`), confident on none 0 of 45.
    # Round 8 (holdout7 in the pool, confident on own evidence): confident 0.800 (10), likely
    # 0.471 (34), answered 0.140, shown and right 0.421, confident on none 1 of 45.
    # Round 10 (holdout9 in the pool): confident 1.000 (6), answered 0.105 (gate 0.12 -> 0.08).
    "final_holdout6.jsonl": {"top1": 0.54, "top3": 0.68, "likely": 0.38, "shown_right": 0.38,
                             "answered": 0.08, "confident": 0.70, "on_none": 0.044},
    # Round 7's own, scored once at the end of round 7 (docs/eval.md), spent in round 8. 113
    # (62 known, 51 none), out of fold in the pool's run before round 8's changes: top-1 0.565,
    # top-3 0.742, confident 0.900 (10), likely 0.500 (38), answered 0.145, shown and right
    # 0.452, confident on none 1 of 51. Confident on own evidence (round 8): confident 0.909
    # (11), likely 0.500 (36), answered 0.161, shown and right 0.452, confident on none 1 of 51.
    # Round 11 (holdout10 in the pool): confident 0.846 (13), confident on none 2 of 51 (0.0392:
    # the gate, written 0.039, meant one paste; 0.04 keeps two).
    "final_holdout7.jsonl": {"top1": 0.54, "top3": 0.72, "likely": 0.48, "shown_right": 0.43,
                             "answered": 0.14, "confident": 0.83, "on_none": 0.04},
    # Round 8's own, scored once at the end of round 8 (docs/eval.md), spent in round 9. 115
    # (59 known, 56 none), out of fold in the pool's run before round 9's changes: top-1 0.695,
    # top-3 0.898, confident 0.750 (16), likely 0.513 (39), answered 0.203, shown and right
    # 0.542, confident on none 4 of 56. Paste context (round 9): likely 0.525 (40), shown and
    # right 0.559, the rest unchanged.
    # Round 10 (holdout9 in the pool): confident 0.857 (14), likely 0.462 (39), shown and
    # right 0.508, confident on none 2 of 56 (likely gate 0.50 -> 0.43, shown 0.52 -> 0.49).
    "final_holdout8.jsonl": {"top1": 0.67, "top3": 0.88, "likely": 0.43, "shown_right": 0.49,
                             "answered": 0.18, "confident": 0.70, "on_none": 0.09},
    # Round 9's own, scored once at the end of round 9 (docs/eval.md), spent in round 10. 126
    # (66 known, 60 none), out of fold in the pool's run before round 10's changes: top-1 0.742,
    # top-3 0.818, confident 0.833 (12), likely 0.667 (45), answered 0.152, shown and right
    # 0.606, confident on none 2 of 60. kb10's wordings (round 10): top-1 0.758, top-3 0.833,
    # likely 0.674 (46), shown and right 0.621, the rest unchanged. learn10 (its two confident
    # look-alikes were bare kills, now never sure): confident 1.000 (9), likely 0.714 (42),
    # answered 0.136, shown and right 0.591, confident on none 0 of 60 (gate 0.05 -> 0.017;
    # shown 0.59 -> 0.57 and answered 0.13 -> 0.12 leave room for one paste).
    # Round 11, kb11's wordings: likely 0.641 (39), shown and right 0.591, the rest unchanged.
    # Round 14 (holdout13 in the pool): likely 0.634 (41; gate 0.64 -> 0.60).
    "final_holdout9.jsonl": {"top1": 0.72, "top3": 0.80, "likely": 0.60, "shown_right": 0.57,
                             "answered": 0.12, "confident": 0.75, "on_none": 0.017},
    # Round 10's own, scored once at the end of round 10 (docs/eval.md), spent in round 11. 117
    # (61 known, 56 none), out of fold in the pool's run before round 11's changes: top-1 0.607,
    # top-3 0.836, confident 1.000 (5), likely 0.550 (40), answered 0.082, shown and right
    # 0.443, confident on none 0 of 56. kb11's wordings (written from its misses): top-1 0.689,
    # top-3 0.885, likely 0.625 (48), shown and right 0.574, the rest unchanged.
    "final_holdout10.jsonl": {"top1": 0.59, "top3": 0.81, "likely": 0.52, "shown_right": 0.42,
                              "answered": 0.06, "confident": 0.75, "on_none": 0.018},
    # Round 11's own, scored once at the end of round 11 (docs/eval.md), spent in round 12. 124
    # (65 known, 59 none), out of fold in the pool's run before round 12's changes: top-1 0.692,
    # top-3 0.892, confident 0.786 (14), likely 0.500 (32), answered 0.169, shown and right
    # 0.415, confident on none 2 of 59. Round 12 merged (kb12 wrote patterns from its misses,
    # so these are tuning figures): top-1 0.800, top-3 0.954, confident 0.812 (16), likely
    # 0.562 (32), answered 0.200, shown and right 0.477, confident on none 2 of 59. Round 13
    # (holdout12 in the pool): top-1 0.785, confident 0.786 (14), answered 0.169 (gate 0.18 ->
    # 0.15), likely 0.571 (35), the rest unchanged. Round 14 merged (retrained over rank15,
    # context15, top15, logs15, likely15): top-1 0.831, top-3 0.985, confident 0.750 (16: 12
    # right), likely 0.625 (32), answered 0.185, shown and right 0.492, confident on none 3 of
    # 59. The sure figure moves by one paste with each refit (rank15, likely15 and logs15's
    # first version each crossed 0.76 alone: one fold's threshold passing a right image-build
    # answer, still shown as "probably"): its gate is reached less one paste, 0.68.
    "final_holdout11.jsonl": {"top1": 0.78, "top3": 0.93, "likely": 0.53, "shown_right": 0.46,
                              "answered": 0.15, "confident": 0.68, "on_none": 0.051},
    # Round 12's own, scored once at the end of round 12 (docs/eval.md), spent in round 13. 125
    # (66 known, 59 none), out of fold in the pool's run before round 13's changes: top-1 0.667,
    # top-3 0.818, confident 0.824 (17), likely 0.543 (35), answered 0.212, shown and right
    # 0.500, confident on none 2 of 59.
    "final_holdout12.jsonl": {"top1": 0.65, "top3": 0.80, "likely": 0.51, "shown_right": 0.48,
                              "answered": 0.19, "confident": 0.77, "on_none": 0.051},
    # Round 13's own, scored once at the end of round 13 (docs/eval.md), spent in round 14 after
    # six `none` labels were settled by the non-model pod rule. 108 (59 known, 49 none), out of
    # fold in the pool's run before round 14's changes: top-1 0.610, top-3 0.881, confident
    # 0.455 (11: 5 right), likely 0.475 (40), answered 0.085, shown and right 0.407, confident
    # on none 2 of 49. A bare build never sure, retrained: confident 0.417 (12: 5 right),
    # likely 0.474 (38), shown and right 0.390, confident on none 3 of 49. Round 14 merged
    # (retrained): top-1 0.695, top-3 0.898, confident 0.714 (7: 5 right), likely 0.500 (40),
    # answered 0.085, shown and right 0.424, confident on none 1 of 49.
    "final_holdout13.jsonl": {"top1": 0.67, "top3": 0.88, "likely": 0.47, "shown_right": 0.40,
                              "answered": 0.06, "confident": 0.57, "on_none": 0.041},
    # Round 14's own, scored once at the end of round 14 (docs/eval.md), spent in round 15 (its
    # labels checked against the non-model pod rule first; none changed). 112 (57 known, 55
    # none), out of fold in the pool's run before round 15's changes: top-1 0.737, top-3
    # 0.842, confident 0.727 (11: 8 right), likely 0.488 (41), answered 0.140, shown and right
    # 0.491, confident on none 3 of 55.
    "final_holdout14.jsonl": {"top1": 0.71, "top3": 0.82, "likely": 0.46, "shown_right": 0.47,
                              "answered": 0.12, "confident": 0.63, "on_none": 0.073},
    # Round 15's own, scored once at the end of round 15 (docs/eval.md), spent in round 16 (its
    # labels checked against the non-model pod rule first; none changed). 122 (60 known, 62
    # none), out of fold in the pool's run before round 16's changes: top-1 0.867, top-3
    # 0.900, confident 0.833 (18: 15 right), likely 0.606 (33), answered 0.250, shown and right
    # 0.583, confident on none 3 of 62. Round 17 (retrained with round 16's holdout; the
    # confident threshold 0.855 -> 0.887): answered 0.217, 13 of 60 (gate 0.23 -> 0.20).
    # Round 18 (retrained with round 17's holdout): answered 0.183, 11 of 60, sure 11 of 11
    # right (gate 0.20 -> 0.16).
    "final_holdout15.jsonl": {"top1": 0.85, "top3": 0.88, "likely": 0.57, "shown_right": 0.57,
                              "answered": 0.16, "confident": 0.77, "on_none": 0.065},
    # Round 16's own, scored once at the end of round 16 (docs/eval.md), spent in round 17 (its
    # labels checked against the rules first; none changed). 113 (60 known, 53 none), out of
    # fold in the pool's run before round 17's changes: top-1 0.733, top-3 0.917, confident
    # 0.706 (17: 12 right), likely 0.641 (39), answered 0.200, shown and right 0.617, confident
    # on none 5 of 53. Round 18 (retrained with round 17's holdout): likely 0.600 (27 of 45;
    # gate 0.61 -> 0.57), top-1 0.767, top-3 0.950, confident 0.923 (13), 1 of 53 none sure.
    # Round 18 merged (retrained): likely 0.757 (28 of 37; gate 0.57 -> 0.72).
    "final_holdout16.jsonl": {"top1": 0.71, "top3": 0.90, "likely": 0.72, "shown_right": 0.60,
                              "answered": 0.18, "confident": 0.64, "on_none": 0.114},
    # Round 17's own, scored once at the end of round 17 (docs/eval.md), spent in round 18 (its
    # labels checked against the rules first; fh17-b4mad-297 settled as none). 119 (63 known,
    # 56 none), out of fold in the pool's run before round 18's changes: top-1 0.794, top-3
    # 0.952, confident 0.900 (10: 9 right), likely 0.640 (50), answered 0.143, shown and right
    # 0.651, confident on none 1 of 56. Round 18 merged (its helpers read its misses among
    # the pool's; retrained): top-1 0.810, likely 0.773 (34 of 44), shown and right 0.683,
    # the rest unchanged (gates top-1 0.77 -> 0.79, likely 0.62 -> 0.75, shown 0.63 -> 0.66).
    "final_holdout17.jsonl": {"top1": 0.79, "top3": 0.93, "likely": 0.75, "shown_right": 0.66,
                              "answered": 0.12, "confident": 0.80, "on_none": 0.036},
}


def test_spent_gates_cover_exactly_the_spent_holdouts() -> None:
    assert set(SPENT_GATES) == set(SPENT_FINAL_HOLDOUTS)


@pytest.mark.parametrize("name", sorted(SPENT_GATES))
def test_spent_final_holdout_out_of_fold(
        pool: tuple[EvalReport, dict[str, EvalReport], EvalReport], name: str) -> None:
    _, files, _ = pool
    gate(files[name], **SPENT_GATES[name])


CONSTRUCTED = EVAL / "constructed.jsonl"


# The 14 cases of round 2 (issue 10's first constructed file); the rest came with the coverage
# round of what the server and its neighbours really print (make_constructed.py).
ROUND2_CASES = {f"constructed-{name}" for name in (
    "model-path-missing", "model-subfolder-missing", "import-missing-package",
    "import-name-error", "syntax-error", "init-raises", "no-init", "no-run", "run-raises",
    "run-shape-error", "run-wrong-signature", "run-not-serialisable", "run-too-slow",
    "init-never-returns")}


@pytest.mark.skipif(not CONSTRUCTED.exists(), reason="constructed cases missing")
def test_constructed_cases_from_the_real_inference_server() -> None:
    # What azmlinfsrv itself prints for broken scoring scripts (make_constructed.py).
    matcher = Matcher(load_knowledge_base(extra=""))
    items = read_items(CONSTRUCTED)
    report = evaluate(items, matcher)
    print(render_report(report, CONSTRUCTED.name))
    # Round 2's cases, regenerated: the right entry among the first three, never confidently
    # wrong (unchanged gate).
    first = evaluate([item for item in items if item.id in ROUND2_CASES], matcher)
    assert first.items == len(ROUND2_CASES)
    assert first.top3 >= 0.9, f"round-2 cases: top-3 {first.top3:.3f} < 0.9"
    assert first.confident_wrong == 0.0, f"round-2 cases: confident wrong {first.confident_wrong}"
    # All 50 with the shipped model, which never saw the 36 new ones: top-1 0.720, top-3 0.880,
    # confidently wrong 4 (an init() MemoryError, a segfault in run(), an unset model folder and
    # a bad SCORING_TIMEOUT_MS; docs/eval.md lists every miss). A gate just under that, so a
    # change that loses more of the server's own wordings fails; the target stays top-3 >= 0.9
    # and never confidently wrong.
    # With the server's banner read as context and its own refusals, answers and curl's errors
    # known (bot/matching/banner.py, the KB's server wordings; same shipped model): top-1 0.940,
    # top-3 0.960, confidently wrong 1 (the unset model folder, answered service-launch-fails).
    # Raised to just under that, with one item of room for the next retrain.
    assert report.top3 >= 0.94, f"top-3 {report.top3:.3f} < 0.94 (target 0.9)"
    assert report.confident_wrong <= 0.04, f"confident wrong {report.confident_wrong:.3f} > 0.04"
