#!/usr/bin/env python
"""Two checkouts' matchers on the same pastes, interleaved: A, B, A, B, ... in fresh processes.

    .venv/bin/python scripts/ab_match.py BASE_CHECKOUT [NEW_CHECKOUT] [--rounds 7] [--entries 10000]

A shared machine's load drifts over minutes; runs taken one after the other, alternating, see
the same drift, so the medians compare the code and not the hour. Each run is
scripts/profile_match.py (this checkout's pastes and generated entries, the other checkout's
`bot`), CPU ms per paste. Make a checkout of a commit with
`git archive COMMIT | tar -x -C FOLDER`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_FIGURE = re.compile(r": ([0-9.]+) ms CPU per paste")


def cpu_ms(tree: Path, entries: int, paste: int, repeat: int) -> float:
    output = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "profile_match.py"), "--tree", str(tree),
         "--entries", str(entries), "--paste", str(paste), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True, cwd=tree,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"}).stdout
    found = _FIGURE.search(output)
    if not found or f", {tree.resolve()}: " not in output:  # that checkout's `bot` ran
        raise SystemExit(f"no figure of {tree} in: {output!r}")
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=REPO)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--entries", type=int, nargs="+", default=[0, 10_000])
    parser.add_argument("--paste", type=int, nargs="+", default=[2_000, 40_000])
    parser.add_argument("--repeat", type=int, default=30, help="pastes per run")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| entries | paste | base | new | change |\n|---:|---:|---:|---:|---:|")
    for entries in args.entries:
        for paste in args.paste:
            figures: dict[Path, list[float]] = {args.base: [], args.new: []}
            for _ in range(args.rounds):
                for tree in figures:
                    figures[tree].append(cpu_ms(tree, entries, paste, args.repeat))
            base, new = (statistics.median(figures[tree]) for tree in figures)
            print(f"| {entries} | {paste} | {base:.2f} | {new:.2f} | {new - base:+.2f} ms "
                  f"({(new - base) / base:+.0%}) |", flush=True)
    print(f"load average at end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
