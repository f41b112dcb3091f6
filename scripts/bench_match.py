#!/usr/bin/env python
"""Time the matcher against the naive baseline, on the shipped KB and with 10,000 extra entries.

    .venv/bin/python scripts/bench_match.py [--entries 10000] [--repeat 15] [--eval FILE ...]

Pastes: 2,000 and 40,000 characters of container log (gunicorn / Kubernetes noise) with a real
error from the evaluation set inside. The 10,000 generated entries are written as Markdown into a
temporary folder and loaded through KNOWLEDGE_PATH, the way a team would add them. Prints a
table of median milliseconds and the speed-up over the naive scan (rapidfuzz `partial_ratio` of
every signature over the raw paste, bot/matching/naive.py), then checks that accuracy on the
evaluation set is the same with the extra entries.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.knowledge.evaluation import evaluate, read_items  # noqa: E402
from bot.knowledge.loader import load_knowledge_base  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402
from bot.matching.naive import naive_scores  # noqa: E402

NOISE = [
    "{ts} INFO gunicorn.access 10.244.1.{n} - - \"POST /score HTTP/1.1\" 200 {n} \"-\" \"python\"",
    "{ts} INFO azmlinfsrv Scoring request {uuid} completed in {n} ms",
    "{ts} DEBUG urllib3.connectionpool Starting new HTTPS connection (1): login.microsoft.com:443",
    "{ts} INFO root Model loaded from /var/azureml-app/azureml-models/model/{n}/model.pkl",
    "Normal   Pulled     {n}m   kubelet  Container image \"acr{n}.azurecr.io/azureml/img\" present",
    "{ts} INFO gunicorn.error Booting worker with pid: {n}",
    "{ts} INFO azmlinfsrv.print Received input of {n} rows",
]
ERROR = ("Warning  FailedScheduling  {n}s  default-scheduler  0/3 nodes are available: "
         "3 Insufficient nvidia.com/gpu.")


def log_paste(size: int, seed: int) -> str:
    rng = random.Random(seed)
    lines: list[str] = []
    while sum(len(line) + 1 for line in lines) < size:
        template = rng.choice(NOISE)
        lines.append(template.format(ts=f"2026-11-25T10:{rng.randrange(60):02d}:00Z",
                                     n=rng.randrange(1, 999),
                                     uuid=f"{rng.getrandbits(128):032x}"))
    lines.insert(len(lines) * 2 // 3, ERROR.format(n=rng.randrange(1, 99)))
    return "\n".join(lines)[:size]


def pseudo_word(rng: random.Random) -> str:
    # "zq" keeps made-up words from spelling real ones (`node`, `code`, `time`...).
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return "zq" + "".join(rng.choice(consonants) + rng.choice(vowels)
                          for _ in range(rng.randint(2, 4)))


def write_generated_entries(folder: Path, count: int, seed: int = 7) -> None:
    """Team-style entries: their own error wordings, common log words, one pattern each.

    Their own words are made up (pseudo-words), the shared ones are the common log words
    (`error`, `failed`, `timeout`...), whose weight is fixed (bot/matching/tokens.py): so the
    shipped entries' scores, and the accuracy on the evaluation set, must not move.
    """
    rng = random.Random(seed)
    common = ["error", "failed", "service", "request", "timeout", "connection", "module"]
    for number in range(count):
        words = [pseudo_word(rng) for _ in range(6)]
        code = f"{words[0].capitalize()}{words[1].capitalize()}Error"
        signatures = [
            f"{code}: {words[2]} {rng.choice(common)} while {words[3]} the {words[4]}",
            f"{words[5]} {rng.choice(common)}: could not {words[2]} {words[3]}",
            f"{code}",
            f"{words[4]}_{words[5]} returned status {rng.randrange(2, 120)}",
        ]
        (folder / f"generated-{number:05d}.md").write_text(
            "---\n"
            f"id: generated-{number:05d}\n"
            f"title: {{en: \"Generated {number}\", ko: \"생성 {number}\"}}\n"
            "signatures:\n" + "".join(f"  - \"{s}\"\n" for s in signatures)
            + f"patterns:\n  - '{words[2]} \\w+ while {words[3]}'\n"
            f"source: https://example.org/runbooks/{number}\n"
            "---\n## en\n### Cause\nGenerated.\n### Fix\n1. Nothing.\n"
            "## ko\n### 원인\n생성됨.\n### 해결\n1. 없음.\n", encoding="utf-8")


def median_ms(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, {model}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--naive-repeat", type=int, default=3)
    parser.add_argument("--eval", nargs="*", default=[str(REPO / "tests/eval/dev.jsonl"),
                                                       str(REPO / "tests/eval/holdout.jsonl")])
    args = parser.parse_args()

    pastes = {"2,000 chars": log_paste(2_000, 1), "40,000 chars": log_paste(40_000, 2)}
    shipped = load_knowledge_base(extra="")
    with tempfile.TemporaryDirectory() as folder:
        write_generated_entries(Path(folder), args.entries)
        started, cpu = time.perf_counter(), time.process_time()
        big = load_knowledge_base(extra=folder)
        loaded_s, loaded_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        big_matcher = Matcher(big)
        indexed_s, indexed_cpu = time.perf_counter() - started, time.process_time() - cpu
        # Baseline in the same run: the front matter parsed the way the loader did before
        # (PyYAML's pure-Python safe loader) and every pattern compiled up front.
        started, cpu = time.perf_counter(), time.process_time()
        for path in sorted(Path(folder).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            yaml.safe_load(text.split("---", 2)[1])
        for choice in big_matcher.index.patterns:
            re.compile(choice.text + "(?#baseline)")  # a new text: not served from re's cache
        baseline_s, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu
    kbs = {f"shipped ({len(shipped)} entries)": (shipped, Matcher(shipped)),
           f"+{args.entries} generated ({len(big)} entries)": (big, big_matcher)}

    print(f"machine: {machine()}")
    print(f"10,000-entry KB: loaded in {loaded_s:.1f} s (CPU {loaded_cpu:.1f} s), indexed in "
          f"{indexed_s:.1f} s (CPU {indexed_cpu:.1f} s); baseline (pure-Python YAML parse and "
          f"eager pattern compilation alone): {baseline_s:.1f} s (CPU {baseline_cpu:.1f} s)\n")
    print("| KB | paste | matcher ms (median) | naive ms (median) | speed-up | answer |")
    print("|---|---|---:|---:|---:|---|")
    for kb_name, (kb, matcher) in kbs.items():
        for paste_name, paste in pastes.items():
            fast = median_ms(lambda: matcher.match(paste), args.repeat)  # noqa: B023
            naive = median_ms(lambda: naive_scores(paste, kb), args.naive_repeat)  # noqa: B023
            answer = matcher.match(paste).answer
            print(f"| {kb_name} | {paste_name} | {fast:.2f} | {naive:.1f} | "
                  f"{naive / fast:.0f}x | {answer.entry_id if answer else '-'} |")

    items = [item for name in args.eval if Path(name).exists() for item in read_items(Path(name))]
    if items:
        small = evaluate(items, kbs[next(iter(kbs))][1])
        large = evaluate(items, big_matcher)
        print(f"\naccuracy on {len(items)} eval items, shipped KB vs with generated entries:")
        for field in ("top1", "top3", "mrr", "confident_on_none", "confident_wrong"):
            print(f"  {field:18} {getattr(small, field):.3f}  {getattr(large, field):.3f}")
        same = all(abs(getattr(small, f) - getattr(large, f)) < 1e-9
                   for f in ("top1", "top3", "mrr", "confident_on_none", "confident_wrong"))
        print("  unchanged" if same else "  CHANGED")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
