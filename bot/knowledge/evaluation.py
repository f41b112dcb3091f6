"""`troubleshoot-bot kb eval [--cv K] FILE...`: how well the matcher answers labelled pastes.

Each FILE is JSON Lines, each line `{"id": ..., "text": ..., "expected": <KB id or "none">,
"source": <URL>}` (see tests/eval/README.md). Without --cv the shipped model decides; with
--cv K the decision is learned and judged by grouped cross-validation (crossval.py); with
--time-split N each of the last N FILEs is judged by what the FILEs before it teach
(crossval.time_split_decisions: a fresh holdout's day replayed). Figures:

- top-1, top-3 and MRR (over the first RANKED entries) on the items whose answer is a KB id;
- confident precision: of the confident answers, the share naming the right entry (a `none`
  paste answered confidently is wrong); likely precision: the same for the likely tier;
- answered: known items answered confidently AND right; answered or likely: confidently or
  tentatively AND right (what a user feels);
- confident on `none`: the share of unrelated pastes the bot wrongly answers confidently;
- confident-wrong overall: confident answers that name the wrong entry, over all items;
- per label: items, top-1, top-3, confident-right and likely-right.

Constructed cases (`"kind": "constructed"`: what the real inference server prints for scoring
scripts broken on purpose, tests/eval/make_constructed.py) are counted apart whenever public
pastes (`real`, `variant`) are in the same run: the headline figures are the public pastes'
only, the constructed cases get their own line. They are easy by construction (the label is
known, the server's own wording), so more of them must never lift the figures the issue's
targets are about; they still take part in training (crossval.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.knowledge.cli_problems import KbProblem, complain
from bot.matching.decision import TIER_CONFIDENT, TIER_LIKELY
from bot.matching.matcher import Matcher

RANKED = 10  # entries looked at for MRR and top-3
NONE_LABEL = "none"
CONSTRUCTED = "constructed"  # the `kind` of a case built on purpose, not a public paste


@dataclass(frozen=True)
class EvalItem:
    id: str
    text: str
    expected: str
    source: str = ""
    kind: str = ""  # real / variant / constructed ("" when the file does not say)
    origin: str = ""  # the name of the file it was read from, for the per-file figures

    @property
    def constructed(self) -> bool:
        return self.kind == CONSTRUCTED


@dataclass(frozen=True)
class Decided:
    """What the bot did with one labelled paste."""

    id: str
    expected: str
    ranked: tuple[str, ...]  # entry ids, best first
    tier: str  # of the first entry
    kind: str = ""  # the item's kind (EvalItem.kind)
    origin: str = ""  # the file it came from (EvalItem.origin)


@dataclass
class EvalReport:
    items: int = 0
    known: int = 0  # items whose expected answer is a KB id
    unrelated: int = 0  # items labelled none
    top1: float = 0.0
    top3: float = 0.0
    mrr: float = 0.0
    answered: float = 0.0  # confident and right, over known items
    answered_or_likely: float = 0.0  # confident or likely, and right, over known items
    confident_on_none: float = 0.0
    confident_wrong: float = 0.0  # over all items
    confident: int = 0  # items answered confidently
    confident_precision: float = 0.0  # right among them (1.0 when there are none)
    likely: int = 0  # items in the likely tier
    likely_precision: float = 0.0
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[dict[str, object]] = field(default_factory=list)
    # The constructed cases of the same run, reported apart (module docstring); None when
    # there were none, or when nothing else was judged (then they are the headline).
    constructed_cases: EvalReport | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class EvalFileError(KbProblem):
    """The evaluation file cannot be read; the message says which line and why."""


def read_items(path: Path) -> list[EvalItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvalFileError("eval_unreadable", path=path, reason=error) from error
    except UnicodeDecodeError as error:
        raise EvalFileError("eval_not_utf8", path=path) from error
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError("eval_not_json", path=path, line=number,
                                reason=error.msg) from error
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) \
                or not isinstance(data.get("expected"), str):
            raise EvalFileError("eval_fields", path=path, line=number)
        items.append(EvalItem(str(data.get("id", number)), data["text"], data["expected"],
                              str(data.get("source") or ""), str(data.get("kind") or ""),
                              path.name))
    return items


def read_all(paths: Sequence[Path]) -> list[EvalItem]:
    return [item for path in paths for item in read_items(path)]


def decide(items: Iterable[EvalItem], matcher: Matcher) -> list[Decided]:
    decided = []
    for item in items:
        result = matcher.match(item.text, top=RANKED, lang="en")
        decided.append(Decided(item.id, item.expected,
                               tuple(match.entry_id for match in result.matches),
                               result.matches[0].tier if result.matches else "unknown",
                               item.kind, item.origin))
    return decided


def evaluate(items: Iterable[EvalItem], matcher: Matcher) -> EvalReport:
    return summarise_by_kind(decide(items, matcher))


def summarise_by_kind(decided: Iterable[Decided]) -> EvalReport:
    """The public pastes' report, with the constructed cases' own report attached (module
    docstring); all of them as the headline when the run has nothing but constructed cases."""
    every = list(decided)
    public = [item for item in every if item.kind != CONSTRUCTED]
    built = [item for item in every if item.kind == CONSTRUCTED]
    if not public or not built:
        return summarise(every)
    report = summarise(public)
    report.constructed_cases = summarise(built)
    return report


def summarise_by_file(decided: Iterable[Decided], order: Sequence[str] = ()
                      ) -> dict[str, EvalReport]:
    """One report per file the items came from (Decided.origin), each as summarise_by_kind
    makes it: with cross-validated decisions, every file's out-of-fold figures from one run.
    Files in `order` first, in that order, then any other in the order first seen."""
    groups: dict[str, list[Decided]] = {name: [] for name in order}
    for item in decided:
        groups.setdefault(item.origin or "(no file)", []).append(item)
    return {name: summarise_by_kind(items) for name, items in groups.items() if items}


def summarise(decided: Iterable[Decided]) -> EvalReport:
    report = EvalReport()
    reciprocal = top1 = top3 = answered = tentative = none_confident = 0.0
    confident_right = likely_right = confident_wrong = 0
    labels: dict[str, dict[str, float]] = {}
    for item in decided:
        first = item.ranked[0] if item.ranked else None
        right = first == item.expected
        report.items += 1
        if item.tier == TIER_CONFIDENT:
            report.confident += 1
            confident_right += right
            confident_wrong += not right
        elif item.tier == TIER_LIKELY:
            report.likely += 1
            likely_right += right
        row = labels.setdefault(item.expected, dict.fromkeys(
            ("items", "top1", "top3", "confident_right", "likely_right", "confident_wrong"), 0.0))
        row["items"] += 1
        row["confident_wrong"] += item.tier == TIER_CONFIDENT and not right
        if item.expected == NONE_LABEL:
            report.unrelated += 1
            none_confident += item.tier == TIER_CONFIDENT
            if item.tier in (TIER_CONFIDENT, TIER_LIKELY):
                report.failures.append({"id": item.id, "expected": item.expected,
                                        "tier": item.tier, "ranked": list(item.ranked[:3])})
            continue
        report.known += 1
        rank = item.ranked.index(item.expected) + 1 if item.expected in item.ranked else 0
        top1 += rank == 1
        top3 += 0 < rank <= 3
        reciprocal += 1.0 / rank if rank else 0.0
        answered += right and item.tier == TIER_CONFIDENT
        tentative += right and item.tier in (TIER_CONFIDENT, TIER_LIKELY)
        row["top1"] += rank == 1
        row["top3"] += 0 < rank <= 3
        row["confident_right"] += right and item.tier == TIER_CONFIDENT
        row["likely_right"] += right and item.tier == TIER_LIKELY
        if rank != 1 or item.tier != TIER_CONFIDENT:
            report.failures.append({"id": item.id, "expected": item.expected,
                                    "tier": item.tier, "ranked": list(item.ranked[:3]),
                                    "rank": rank})
    if report.known:
        report.top1 = top1 / report.known
        report.top3 = top3 / report.known
        report.mrr = reciprocal / report.known
        report.answered = answered / report.known
        report.answered_or_likely = tentative / report.known
    if report.unrelated:
        report.confident_on_none = none_confident / report.unrelated
    if report.items:
        report.confident_wrong = confident_wrong / report.items
    report.confident_precision = confident_right / report.confident if report.confident else 1.0
    report.likely_precision = likely_right / report.likely if report.likely else 1.0
    report.per_label = dict(sorted(labels.items()))
    return report


def render_report(report: EvalReport, name: str, *, misses: bool = True) -> str:
    lines = [
        f"{name}: {report.items} items ({report.known} with a KB answer, "
        f"{report.unrelated} labelled none)",
        f"  top-1                      {report.top1:6.3f}",
        f"  top-3                      {report.top3:6.3f}",
        f"  MRR                        {report.mrr:6.3f}",
        f"  confident precision        {report.confident_precision:6.3f}"
        f"  ({report.confident} confident)",
        f"  likely precision           {report.likely_precision:6.3f}  ({report.likely} likely)",
        f"  answered (confident+right) {report.answered:6.3f}",
        f"  answered or likely, right  {report.answered_or_likely:6.3f}",
        f"  confident on none          {report.confident_on_none:6.3f}",
        f"  confident-wrong overall    {report.confident_wrong:6.3f}",
        "  per label: items  top-1  top-3  confident-right  likely-right  confident-wrong",
    ]
    for label, row in report.per_label.items():
        lines.append(f"    {label:44s} {row['items']:4.0f} {row['top1']:6.0f} {row['top3']:6.0f}"
                     f" {row['confident_right']:8.0f} {row['likely_right']:13.0f}"
                     f" {row['confident_wrong']:13.0f}")
    built = report.constructed_cases
    if built is not None:
        lines.append(
            f"  constructed cases, apart from the figures above ({built.items} items): top-1 "
            f"{built.top1:.3f}, top-3 {built.top3:.3f}, confident {built.confident} "
            f"(precision {built.confident_precision:.3f}), likely {built.likely}, answered "
            f"{built.answered:.3f}, answered or likely {built.answered_or_likely:.3f}")
    failures = report.failures + (built.failures if built is not None else [])
    if misses and failures:
        lines.append("  misses:")
        for failure in failures:
            lines.append(f"    {failure['id']}: expected {failure['expected']}, "
                         f"tier {failure['tier']}, ranked {failure['ranked']}")
    return "\n".join(lines) + "\n"


def render_by_file(reports: dict[str, EvalReport]) -> str:
    """One line per file: the headline figures of summarise_by_file's reports (a file of
    constructed cases only is its own headline)."""
    lines = [f"  per file: {'':15s} items known none  top-1  top-3   confident (right)"
             "   likely (right)  on-none  answered  shown-right"]
    for name, report in reports.items():
        lines.append(
            f"    {name:24s} {report.items:5d} {report.known:5d} {report.unrelated:4d}"
            f" {report.top1:6.3f} {report.top3:6.3f} {report.confident:11d} "
            f"({report.confident_precision:5.3f}) {report.likely:8d} "
            f"({report.likely_precision:5.3f}) {report.confident_on_none:8.3f}"
            f" {report.answered:9.3f} {report.answered_or_likely:12.3f}")
    return "\n".join(lines) + "\n"


def run_eval(args: argparse.Namespace) -> int:
    from bot.matching.matcher import default_matcher

    paths = [Path(name) for name in args.file]
    feedback = bool(getattr(args, "feedback", False))
    if not paths and not feedback:
        return complain("kb eval", KbProblem("eval_nothing"))
    try:
        items = read_all(paths)
    except EvalFileError as error:
        return complain("kb eval", error)
    kb = None
    if feedback:  # the team's labelled pastes, judged against the knowledge they name
        from bot.teaching.feedback import feedback_items, team_knowledge

        items += feedback_items()
        kb = team_knowledge()
    sources = [str(path) for path in paths] + (["feedback"] if feedback else [])
    if not items:
        return complain("kb eval", KbProblem("eval_no_items", sources=", ".join(sources)))
    name = " + ".join(sources)
    if getattr(args, "time_split", None) is not None:
        if not 1 <= args.time_split < len(paths) or feedback:
            return complain("kb eval", KbProblem("eval_time_split"))
        from bot.knowledge.crossval import DEFAULT_FOLDS, time_split_decisions
        from bot.knowledge.loader import cached_knowledge_base
        matcher = Matcher(cached_knowledge_base(), model=None, context=None)
        decided = time_split_decisions(items, matcher, [path.name for path in paths],
                                       args.time_split, args.cv or DEFAULT_FOLDS)
        name = (f"the last {args.time_split} of {name}, each learned from the files before "
                "it (time split)")
    elif getattr(args, "cv", None):
        from bot.knowledge.crossval import cross_validated_decisions
        if args.cv < 2:
            return complain("kb eval", KbProblem("eval_folds"))
        from bot.knowledge.loader import cached_knowledge_base
        decided = cross_validated_decisions(
            items, Matcher(kb or cached_knowledge_base(), model=None, context=None), args.cv)
        name = f"{name} (grouped {args.cv}-fold cross-validation by source repository)"
    else:
        decided = decide(items, Matcher(kb) if kb is not None else default_matcher())
    report = summarise_by_kind(decided)
    # A time split's files are what it is about: each one's figures, always.
    by_file = summarise_by_file(decided, [path.name for path in paths]) \
        if getattr(args, "by_file", False) or getattr(args, "time_split", None) else None
    if getattr(args, "json", False):
        data = report.to_json()
        if by_file is not None:
            data["by_file"] = {file: one.to_json() for file, one in by_file.items()}
        print(json.dumps(data, ensure_ascii=False))
    else:
        sys.stdout.write(render_report(report, name))
        if by_file is not None:
            sys.stdout.write(render_by_file(by_file))
    return 0
