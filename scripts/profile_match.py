#!/usr/bin/env python
"""Where one paste's time goes: the matcher on bench_match.py's pastes and generated entries.

    .venv/bin/python scripts/profile_match.py [--entries 10000] [--paste 2000] [--repeat 50]
    .venv/bin/python scripts/profile_match.py --cprofile        # the functions that cost most

For counts that a shared machine does not blur, run it under callgrind twice, with and without
the pastes, and subtract: what is left is the instructions of `--repeat` matches.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python scripts/profile_match.py --repeat 20      # "Collected : N" on stderr
    (the same with --repeat 0)

The generated entries are written once to a folder under the system's temporary folder (kept
between runs, with its own disk cache), so a run after the first reads the index from the cache.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# --tree DIR: time another checkout's matcher (scripts/ab_match.py), with this one's pastes.
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv else REPO
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(TREE))
# TREE's package first: bench_match puts this checkout at the front of sys.path when imported,
# and every `bot.*` import after this one is found through the package already loaded.
bot = importlib.import_module("bot")

from bench_match import log_paste, write_generated_entries  # noqa: E402

from bot.knowledge.loader import load_knowledge_base  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402


def generated_folder(count: int) -> Path:
    """The folder of `count` generated entries, written on the first run."""
    folder = Path(tempfile.gettempdir()) / f"troubleshoot-bot-profile-{count}"
    entries = folder / "entries"
    if not (folder / "complete").exists():
        entries.mkdir(parents=True, exist_ok=True)
        write_generated_entries(entries, count)
        (folder / "complete").touch()
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="0: the shipped KB only")
    parser.add_argument("--paste", type=int, default=2_000, help="characters of the paste")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--tree", default=str(REPO), help="the checkout whose matcher runs")
    args = parser.parse_args()

    if args.entries:
        folder = generated_folder(args.entries)
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        kb = load_knowledge_base(extra=str(folder / "entries"))
    else:
        kb = load_knowledge_base(extra="")
    matcher = Matcher(kb)
    paste = log_paste(args.paste, 1 if args.paste <= 2_000 else 2)
    if args.repeat:
        matcher.match(paste)  # the first paste builds what is built on first use
    profile = cProfile.Profile() if args.cprofile else None
    cpu = time.process_time()
    if profile:
        profile.enable()
    for _ in range(args.repeat):
        matcher.match(paste)
    if profile:
        profile.disable()
    cpu = time.process_time() - cpu
    print(f"{len(kb)} entries, {len(paste)}-character paste, {Path(bot.__file__).parents[1]}: "
          f"{cpu / max(args.repeat, 1) * 1000:.2f} ms CPU per paste ({args.repeat} pastes)")
    if profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
