"""`troubleshoot-bot kb train [FILE...] [--out PATH] [--folds K]`: learn the confidence model.

Reads the labelled pastes (default: the evaluation set's dev, holdout and constructed files
and the SPENT final holdouts), fits the model and picks its thresholds (crossval.py), and
writes the versioned JSON file the matcher loads at start (knowledge/_model/confidence.json).
Prints the grouped cross-validation figures of the same procedure, so each retraining says what
it is worth.

A final holdout is collected before a round's changes and scored once at its end; until then
nothing may learn from it. Once scored it is spent: a second score is no longer an honest test,
and its pastes (stacks and wordings the KB was not written for, the closest thing to the next
users) are worth more as training data. SPENT_FINAL_HOLDOUTS is the one list of those; any
other file whose name holds `final_holdout` is refused, so a fresh one collected while a
round runs can never reach a model by accident (docs/eval.md, round 6).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli_errors import command_language
from bot.knowledge.cli_problems import KbProblem, complain
from bot.knowledge.cli_reports import say
from bot.knowledge.evaluation import EvalFileError, read_all, render_report
from bot.paths import project_folder

FINAL_HOLDOUT = "final_holdout"
# Scored once each (docs/eval.md: rounds 2 to 17) and from round 6 on trained on (round 7's
# from round 8, round 8's from round 9, round 9's from round 10, round 10's from round 11,
# round 11's from round 12, round 12's from round 13, round 13's from round 14, round 14's
# from round 15, round 15's from round 16, round 16's from round 17, round 17's from round
# 18). Add a final holdout here only after the lead has scored it; never before.
SPENT_FINAL_HOLDOUTS = ("final_holdout.jsonl", "final_holdout3.jsonl", "final_holdout4.jsonl",
                        "final_holdout5.jsonl", "final_holdout6.jsonl", "final_holdout7.jsonl",
                        "final_holdout8.jsonl", "final_holdout9.jsonl", "final_holdout10.jsonl",
                        "final_holdout11.jsonl", "final_holdout12.jsonl", "final_holdout13.jsonl",
                        "final_holdout14.jsonl", "final_holdout15.jsonl",
                        "final_holdout16.jsonl", "final_holdout17.jsonl")
TRAINING_FILES = ("dev.jsonl", "holdout.jsonl", "constructed.jsonl", *SPENT_FINAL_HOLDOUTS)


def default_training_files() -> list[Path]:
    folder = project_folder("tests") / "eval"
    return [folder / name for name in TRAINING_FILES if (folder / name).exists()]


def unspent_final_holdouts(paths: Sequence[Path]) -> list[Path]:
    """The files among `paths` that are final holdouts not yet scored (not on the spent list)."""
    return [path for path in paths
            if FINAL_HOLDOUT in path.name and path.name not in SPENT_FINAL_HOLDOUTS]


def run_train(args: argparse.Namespace) -> int:
    from bot.knowledge.crossval import train_model
    from bot.knowledge.loader import cached_knowledge_base
    from bot.matching.context import context_path, write_context
    from bot.matching.decision import model_path, write_model
    from bot.matching.matcher import Matcher
    from bot.matching.precedents import precedents_path, write_index

    paths = [Path(name) for name in args.file] or default_training_files()
    if not paths:
        return complain("kb train", KbProblem("train_no_files"))
    fresh = unspent_final_holdouts(paths)
    if fresh:
        return complain("kb train", KbProblem(
            "train_fresh_holdout", files=", ".join(path.name for path in fresh),
            spent=", ".join(SPENT_FINAL_HOLDOUTS)))
    if args.folds < 2:
        return complain("kb train", KbProblem("train_folds"))
    try:
        items = read_all(paths)
    except EvalFileError as error:
        return complain("kb train", error)
    kb = cached_knowledge_base()
    if getattr(args, "feedback", False):  # the team's labelled pastes (bot/teaching)
        from bot.teaching.feedback import feedback_items, team_knowledge

        items += feedback_items()
        kb = team_knowledge()
    labels = {item.expected for item in items}
    if len(items) < 20 or len(labels) < 2:
        return complain("kb train", KbProblem("train_too_little", items=len(items),
                                              labels=len(labels)))
    # Features do not depend on any model: the matcher without one is enough.
    matcher = Matcher(kb, model=None, precedents=None, context=None)
    model, report, precedents, context = train_model(items, matcher, args.folds)
    out = Path(args.out) if args.out else model_path()
    write_model(model, out)
    # The precedents the model's features were learned with, beside it (precedents.py).
    precedents_out = out.with_name(precedents_path().name) if args.out else precedents_path()
    if precedents is not None:
        write_index(precedents, precedents_out)
    # And the paste-context model its context feature was learned with (context.py).
    context_out = out.with_name(context_path().name) if args.out else context_path()
    if context is not None:
        write_context(context, context_out)
    sys.stdout.write(render_report(report, f"grouped {args.folds}-fold cross-validation",
                                   misses=False))
    lang = command_language()
    print(say("wrote_model", lang, out=out, items=len(items), files=", ".join(map(str, paths)),
              confident=model.confident, confident_exact=model.confident_exact or 0,
              likely=model.likely))
    if precedents is not None:
        print(say("wrote_precedents", lang, out=precedents_out, count=len(precedents),
                  words=len(precedents.vocabulary)))
    if context is not None:
        print(say("wrote_context", lang, out=context_out, words=len(context.vocabulary)))
    return 0
