"""`troubleshoot-bot kb check | eval | train | import` (and the team's `kb drafts | teach |
export | disable`, from bot.teaching)."""

from __future__ import annotations

import argparse

from bot.cli_io import lazy


def register(subparsers: argparse._SubParsersAction) -> None:
    kb = subparsers.add_parser("kb", help="check, evaluate and import the knowledge base")
    commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)

    check = commands.add_parser("check", help="validate every entry (schema, ids, languages, "
                                              "links, regexes, self-match)")
    check.add_argument("--guide", metavar="GUIDE.md",
                       help="the troubleshooting guide whose section anchors the links name "
                            "(default: shared/guide/how-to-troubleshoot-deployment.ko.md beside "
                            "the checkout or one of its parents)")
    check.set_defaults(func=lazy("bot.knowledge.check:run_check"))

    evaluate = commands.add_parser("eval", help="top-1, top-3, MRR, tiers and abstention on "
                                                "labelled JSONL sets")
    evaluate.add_argument("file", metavar="FILE", nargs="*",
                          help="labelled JSONL files (tests/eval/README.md gives the format)")
    evaluate.add_argument("--json", action="store_true",
                          help="print the figures and every item's ranking as JSON")
    evaluate.add_argument("--feedback", action="store_true",
                          help="also the team's labelled pastes from the database (kb teach, "
                               "approved drafts), against the team's knowledge")
    evaluate.add_argument("--cv", type=int, metavar="K",
                          help="learn the decision and judge it by grouped K-fold "
                               "cross-validation (folds by source repository)")
    evaluate.add_argument("--by-file", action="store_true",
                          help="also one line of figures per FILE (with --cv: each file's "
                               "out-of-fold figures from the same cross-validation)")
    evaluate.add_argument("--time-split", type=int, metavar="N",
                          help="score each of the last N FILEs (listed in the order they "
                               "were collected) with a model learned from the FILEs before "
                               "it only, as when it was fresh")
    evaluate.set_defaults(func=lazy("bot.knowledge.evaluation:run_eval"))

    train = commands.add_parser("train", help="learn the confidence model from labelled pastes "
                                              "(never a final holdout not yet scored)")
    train.add_argument("file", metavar="FILE", nargs="*",
                       help="labelled JSONL files (default: tests/eval/dev, holdout, "
                            "constructed and the spent final holdouts)")
    train.add_argument("--out", metavar="PATH",
                       help="where to write the model (default: knowledge/_model/"
                            "confidence.json)")
    train.add_argument("--folds", type=int, default=5, metavar="K",
                       help="folds for picking the thresholds out of fold (default 5)")
    train.add_argument("--feedback", action="store_true",
                       help="also learn from the team's labelled pastes in the database")
    train.set_defaults(func=lazy("bot.knowledge.training:run_train"))

    importer = commands.add_parser("import", help="turn a Microsoft Docs troubleshooting guide "
                                                  "into draft entries")
    importer.add_argument("guide", metavar="GUIDE.md",
                          help="the guide's Markdown source, as in the docs repository")
    importer.add_argument("--out", required=True, metavar="DIR",
                          help="the folder to write one draft entry per section into")
    importer.add_argument("--base-url", metavar="URL",
                          help="where the guide is published, for source links (default: "
                               "https://learn.microsoft.com/azure/machine-learning/)")
    importer.add_argument("--force", action="store_true",
                          help="overwrite files in DIR even when they are not drafts")
    importer.set_defaults(func=lazy("bot.knowledge.importer:run_import"))

    from bot.teaching.commands import register as register_team_commands

    register_team_commands(commands)
