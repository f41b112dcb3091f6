"""`troubleshoot-bot kb eval FILE`: how well the matcher answers a labelled set of pastes.

FILE is JSON Lines, each line `{"id": ..., "text": ..., "expected": <KB id or "none">}` (see
tests/eval/README.md). Figures:

- top-1, top-3 and MRR (mean reciprocal rank, over the first RANKED entries) on the items whose
  answer is a KB id: does the right entry come first, near the top;
- answered: the share of those items where the bot is confident AND right (what a user gets);
- confident on `none`: the share of unrelated pastes the bot wrongly answers confidently;
- confident-wrong overall: confident answers that name the wrong entry, over all items.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.matching.matcher import Matcher

RANKED = 10  # entries looked at for MRR and top-3
NONE_LABEL = "none"


@dataclass(frozen=True)
class EvalItem:
    id: str
    text: str
    expected: str


@dataclass
class EvalReport:
    items: int = 0
    known: int = 0  # items whose expected answer is a KB id
    unrelated: int = 0  # items labelled none
    top1: float = 0.0
    top3: float = 0.0
    mrr: float = 0.0
    answered: float = 0.0  # confident and right, over known items
    confident_on_none: float = 0.0
    confident_wrong: float = 0.0  # over all items
    failures: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class EvalFileError(ValueError):
    """The evaluation file cannot be read; the message says which line and why."""


def read_items(path: Path) -> list[EvalItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvalFileError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise EvalFileError(f"{path}: not UTF-8 text") from error
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(f"{path}:{number}: not JSON: {error.msg}") from error
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) \
                or not isinstance(data.get("expected"), str):
            raise EvalFileError(f'{path}:{number}: needs "text" and "expected" strings')
        items.append(EvalItem(str(data.get("id", number)), data["text"], data["expected"]))
    return items


def evaluate(items: Iterable[EvalItem], matcher: Matcher) -> EvalReport:
    report = EvalReport()
    reciprocal = top1 = top3 = answered = none_confident = confident_wrong = 0.0
    for item in items:
        result = matcher.match(item.text, top=RANKED, lang="en")
        ranked = [match.entry_id for match in result.matches]
        answer = result.answer.entry_id if result.answer else None
        report.items += 1
        if answer is not None and answer != item.expected:
            confident_wrong += 1
        if item.expected == NONE_LABEL:
            report.unrelated += 1
            none_confident += answer is not None
            if answer is not None:
                report.failures.append({"id": item.id, "expected": item.expected,
                                        "answered": answer, "ranked": ranked[:3]})
            continue
        report.known += 1
        rank = ranked.index(item.expected) + 1 if item.expected in ranked else 0
        top1 += rank == 1
        top3 += 0 < rank <= 3
        reciprocal += 1.0 / rank if rank else 0.0
        answered += answer == item.expected
        if rank != 1 or answer != item.expected:
            report.failures.append({"id": item.id, "expected": item.expected, "answered": answer,
                                    "ranked": ranked[:3], "rank": rank})
    if report.known:
        report.top1 = top1 / report.known
        report.top3 = top3 / report.known
        report.mrr = reciprocal / report.known
        report.answered = answered / report.known
    if report.unrelated:
        report.confident_on_none = none_confident / report.unrelated
    if report.items:
        report.confident_wrong = confident_wrong / report.items
    return report


def render_report(report: EvalReport, name: str) -> str:
    lines = [
        f"{name}: {report.items} items ({report.known} with a KB answer, "
        f"{report.unrelated} labelled none)",
        f"  top-1                    {report.top1:6.3f}",
        f"  top-3                    {report.top3:6.3f}",
        f"  MRR                      {report.mrr:6.3f}",
        f"  answered (confident+right) {report.answered:4.3f}",
        f"  confident on none        {report.confident_on_none:6.3f}",
        f"  confident-wrong overall  {report.confident_wrong:6.3f}",
    ]
    if report.failures:
        lines.append("  misses:")
        for failure in report.failures:
            lines.append(f"    {failure['id']}: expected {failure['expected']}, "
                         f"answered {failure['answered']}, ranked {failure['ranked']}")
    return "\n".join(lines) + "\n"


def run_eval(args: argparse.Namespace) -> int:
    from bot.matching.matcher import default_matcher

    path = Path(args.file)
    try:
        items = read_items(path)
    except EvalFileError as error:
        print(f"kb eval: {error}", file=sys.stderr)
        return 2
    if not items:
        print(f"kb eval: {path}: no items", file=sys.stderr)
        return 2
    report = evaluate(items, default_matcher())
    if getattr(args, "json", False):
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        sys.stdout.write(render_report(report, str(path)))
    return 0
