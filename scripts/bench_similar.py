#!/usr/bin/env python
"""Benchmark find_similar with 100,000 incidents in one workspace, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_similar.py [--incidents 100000] [--queries 200]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-postgres]
        [--baseline-queries 40] [--no-baseline] [--before 0009]

Seeds a fresh SQLite file and a fresh PostgreSQL database (migrated with the real migrations,
filled with one bulk INSERT per 10,000 rows), then times find_similar for real matcher results
of realistic pastes, and record_occurrence (upsert + occurrence + find_similar) for the same
pastes. Prints the machine and the figures as Markdown for docs/benchmarks-history.md.

In the same run and on the same data it times the naive baseline, what one would write without
the indexed candidate queries: load every incident of the workspace from SQL and rapidfuzz-compare
all their summaries in Python, with find_similar's scores and ranking. Its calls alternate with
find_similar's (both see the same machine noise), and its top 3 are compared with find_similar's
so that the speed-up compares two searches that pick comparable incidents.

`--before REV` seeds a second database of each kind with the same incidents, migrated only to
REV (e.g. 0009, before find_similar's covering index), and alternates find_similar's calls on
the two: a schema change measured before/after in one run, on the same load.

The Slack path: find_similar for an audience, as every Slack answer calls it, for three readers
of the 40 channels (`AUDIENCES`: one who sees 2 of them, one who sees 20, one who sees all),
each timed on its own; with `--before REV` alternating with the copy at REV, as above.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from bot.incidents.audience import Audience
from bot.incidents.models import Incident
from bot.incidents.service import (
    TEXT_SIMILARITY_CUTOFF,
    SimilarIncident,
    as_utc,
    find_similar,
    incident_summary,
    record_occurrence,
    summary_key,
)
from bot.matching.matcher import default_matcher
from bot.matching.result import MatchResult
from bot.storage import engine_for, session_scope
from bot.storage.migrations import upgrade

WORKSPACE = "T-bench"
ENTRIES = ["container-cannot-be-scheduled", "service-launch-fails", "function-fails-get_model_path",
           "function-fails-runinput_data", "http-status-code-502", "http-status-code-503",
           "http-status-code-504", "http-status-code-409", "image-build-fails",
           "vm-out-of-memory", "fpga-quota", None, None]
TEMPLATES = [
    "Warning FailedScheduling pod/<pod>: <num>/<num> nodes are available: <num> Insufficient {r}.",
    "Back-off restarting failed container {c} in pod <pod>: CrashLoopBackOff",
    "ModuleNotFoundError: No module named '{m}'",
    "FileNotFoundError: [Errno <num>] No such file or directory: '/var/azureml-app/{m}/model.pkl'",
    "WebserviceException: Received bad response from Model Management Service: Response Code: {s}",
    "Liveness probe failed: HTTP probe failed with statuscode: {s}",
    "RuntimeError: CUDA out of memory. Tried to allocate <num> GiB ({m})",
    "ImageBuildFailure: pip subprocess to install conda dependencies failed: {m}=={v}",
    "ResourceNotReady: User Container has crashed or terminated: {c} exited with code {e}",
    "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{c}', port=<num>): Read timed out.",
]
WORDS = ["sklearn", "torch", "transformers", "azureml.core", "onnxruntime", "numpy", "pandas",
         "scoring", "inference", "gpu-server", "model-loader", "tokenizer", "xgboost", "lightgbm"]
NOTES = ["added a GPU node pool", "pinned azureml-defaults", "raised the memory limit to 4 GB",
         "fixed the model path in score.py", "rolled back to the previous image",
         "scaled the deployment to 3 instances", "increased request timeout to 90 s"]
PASTES = [
    "Warning  FailedScheduling  pod/scoring-7f9c6d5b8-x2k4q  0/3 nodes are available: "
    "3 Insufficient nvidia.com/gpu.",
    "Back-off restarting failed container inference in pod scoring-5d4c9b7f2-q8w2n: "
    "CrashLoopBackOff",
    "Traceback (most recent call last):\n  File \"/var/azureml-app/score.py\", line 9, in init\n"
    "ModuleNotFoundError: No module named 'transformers'",
    "Liveness probe failed: HTTP probe failed with statuscode: 502",
    "WebserviceException: Received bad response from Model Management Service: "
    "Response Code: 409",
    "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (torch)",
    "Something odd happened but there is no error line in this paste at all",
    "ImageBuildFailure: pip subprocess to install conda dependencies failed: numpy==1.19.9",
]


CHANNELS = [f"C{number:04d}" for number in range(1, 41)]  # seed_rows' channels


def _sees(count: int) -> Audience:
    """A reader in the first channel who may see the first `count` of the 40 (the others are
    private channels it is not in)."""
    public = set(CHANNELS[:count])
    return Audience(channel=CHANNELS[0], public_among=lambda channels: channels & public)


AUDIENCES = {"2 of 40 channels": _sees(2), "20 of 40 channels": _sees(20),
             "40 of 40 channels": _sees(40)}


def seed_rows(count: int, rng: random.Random) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    rows = []
    for number in range(count):
        template = rng.choice(TEMPLATES)
        summary = template.format(r=rng.choice(["nvidia.com/gpu", "cpu", "memory"]),
                                  c=rng.choice(WORDS), m=rng.choice(WORDS),
                                  s=rng.choice([409, 502, 503, 504]), v=f"1.{rng.randint(0, 30)}",
                                  e=rng.choice([1, 137, 139]))
        first = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
        last = first + timedelta(minutes=rng.randint(0, 600))
        # Older incidents are closed; the newest 2 % are still open (unique fingerprints).
        roll = rng.random()
        status = "open" if number >= count * 0.98 else ("dismissed" if roll < 0.05 else "resolved")
        resolved = status == "resolved"
        rows.append({
            "workspace": WORKSPACE, "channel": f"C{rng.randint(1, 40):04d}",
            "thread_ts": f"{int(first.timestamp())}.{number:06d}", "service": None,
            "fingerprint": uuid.UUID(int=rng.getrandbits(128)).hex,
            "entry_id": rng.choice(ENTRIES), "summary": summary,
            "summary_key": summary_key(summary), "status": status,
            "first_seen": first, "last_seen": last, "occurrence_count": rng.randint(1, 12),
            "reported_by": f"U{rng.randint(1, 200):04d}",
            "resolved_by": f"U{rng.randint(1, 200):04d}" if resolved else None,
            "resolution_note": rng.choice(NOTES) if resolved and rng.random() < 0.6 else None,
            "resolved_at": last + timedelta(hours=1) if resolved else None,
            "time_to_resolve_s": (last - first).total_seconds() + 3600 if resolved else None,
        })
    return rows


def seed(url: str, count: int, revision: str = "head") -> float:
    upgrade(url, revision)
    rows = seed_rows(count, random.Random(42))
    started = time.perf_counter()
    with session_scope(url) as session:
        for start in range(0, len(rows), 10_000):
            session.execute(insert(Incident), rows[start:start + 10_000])
    if url.startswith("postgresql"):
        with engine_for(url).connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    else:
        with engine_for(url).connect() as connection:
            connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def naive_similar(session: Session, *, workspace: str, result: MatchResult, summary: str,
                  limit: int = 3) -> list[SimilarIncident]:
    """The baseline: every incident of the workspace loaded, every summary compared in Python.

    Same scores as find_similar (same fingerprint 100, same KB entry 90, else the summary's
    token_sort_ratio at or above the cut-off) and the same ranking (resolved with a note first,
    then score, then most recent); only the candidate set differs: all rows, not indexed slices.
    """
    rows = session.execute(select(
        Incident.id, Incident.fingerprint, Incident.entry_id, Incident.status,
        Incident.occurrence_count, Incident.last_seen, Incident.summary, Incident.summary_key,
        Incident.resolved_by, Incident.resolution_note)
        .where(Incident.workspace == workspace)).all()
    entry_id = result.answer.entry_id if result.answer is not None else None
    similarity: dict[int, float] = {}
    for row in rows:
        if row.fingerprint == result.fingerprint:
            similarity[row.id] = 100.0
        elif entry_id is not None and row.entry_id == entry_id:
            similarity[row.id] = 90.0
    if summary:
        # Every summary at or above the cut-off counts (find_similar keeps its best 50 of a
        # bounded slice): the baseline is the exhaustive answer the slices approximate.
        found = process.extract(summary_key(summary),
                                {row.id: row.summary_key for row in rows if row.summary_key},
                                scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                                score_cutoff=TEXT_SIMILARITY_CUTOFF, limit=None)
        for _text, score, incident_id in found:
            similarity[incident_id] = max(similarity.get(incident_id, 0.0), float(score))

    def rank(row) -> tuple[bool, float, datetime]:  # type: ignore[no-untyped-def]
        fixed = row.status == "resolved" and bool(row.resolution_note)
        return (fixed, similarity[row.id], as_utc(row.last_seen))

    chosen = sorted((row for row in rows if row.id in similarity), key=rank, reverse=True)[:limit]
    return [SimilarIncident(
        id=row.id, entry_id=row.entry_id, status=row.status, occurrences=row.occurrence_count,
        last_seen=as_utc(row.last_seen), summary=row.summary, resolved_by=row.resolved_by,
        resolution_note=row.resolution_note) for row in chosen]


def timed(function, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for index in range(repeats):
        started = time.perf_counter()
        function(index)
        times.append((time.perf_counter() - started) * 1000)
    return times


def timed_alternating(function, repeats: int, baseline,  # type: ignore[no-untyped-def]
                      baseline_repeats: int) -> tuple[list[float], list[float]]:
    """Time `function` `repeats` times with the baseline's calls spread evenly between them,
    so that both see the same load on a noisy shared machine."""
    times: list[float] = []
    baseline_times: list[float] = []
    step = max(repeats // max(baseline_repeats, 1), 1)
    for index in range(repeats):
        started = time.perf_counter()
        function(index)
        times.append((time.perf_counter() - started) * 1000)
        if baseline_repeats and index % step == 0 and len(baseline_times) < baseline_repeats:
            started = time.perf_counter()
            baseline(index)
            baseline_times.append((time.perf_counter() - started) * 1000)
    return times, baseline_times


def summary_line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"| {label} | {statistics.median(ordered):.1f} | {p95:.1f} | {ordered[-1]:.1f} |")


def bench(url: str, label: str, incidents: int, queries: int,
          baseline_queries: int, before: tuple[str, str] | None = None) -> list[str]:
    """`before`: (url of a second database, the revision to migrate it to) for --before."""
    seconds = seed(url, incidents)
    matcher = default_matcher()
    results = [matcher.match(paste) for paste in PASTES]
    summaries = [incident_summary(paste, result) for paste, result in zip(PASTES, results,
                                                                           strict=True)]

    def timed_with(finder, on: str = url, **options):  # type: ignore[no-untyped-def]
        def run(index: int) -> None:
            position = index % len(results)
            with session_scope(on) as session:
                found = finder(session, workspace=WORKSPACE, result=results[position],
                               summary=summaries[position], **options)
                assert len(found) <= 3
        return run

    similar, naive = timed_with(find_similar), timed_with(naive_similar)
    if before is not None:
        before_url, revision = before
        seed(before_url, incidents, revision)

        similar_before = timed_with(find_similar, before_url)

    def record(index: int) -> None:
        position = index % len(PASTES)
        with session_scope(url) as session:
            record_occurrence(session, workspace=WORKSPACE, source="cli", text=PASTES[position],
                              result=results[position], user="bench")

    similar(0)  # warm the pool and the caches
    lines = [f"| {label}: seed {incidents:,} incidents (bulk insert) | {seconds:.1f} s | | |"]
    if baseline_queries:
        print(f"{label}: {agreement(url, results, summaries)}", flush=True)
        naive(0)
    if before is not None:
        similar_before(0)
        head_times, before_times = timed_alternating(similar, queries, similar_before, queries)
        lines.append(summary_line(f"{label}: find_similar at revision {before[1]} "
                                  "(alternating with head)", before_times))
        lines.append(summary_line(f"{label}: find_similar at head (alternating with "
                                  f"{before[1]})", head_times))
    def answers(on: str, audience: Audience) -> list[list[int]]:
        with session_scope(on) as session:
            return [[item.id for item in find_similar(
                session, workspace=WORKSPACE, result=result, summary=summary,
                audience=audience)] for result, summary in zip(results, summaries, strict=True)]

    lines += _audience_lines(url, label, timed_with, queries, before, answers)
    indexed_times, naive_times = timed_alternating(similar, queries, naive, baseline_queries)
    lines.append(summary_line(f"{label}: find_similar", indexed_times))
    if naive_times:
        lines.append(summary_line(f"{label}: naive baseline (all {incidents:,} summaries "
                                  "in Python)", naive_times))
        lines.append(f"| {label}: speed-up of find_similar (median) | "
                     f"{statistics.median(naive_times) / statistics.median(indexed_times):.0f}"
                     " x | | |")
    lines.append(summary_line(f"{label}: record_occurrence (upsert + similar)",
                              timed(record, max(queries // 4, 1))))
    return lines


def _audience_lines(url: str, label: str, timed_with, queries: int,  # type: ignore[no-untyped-def]
                    before: tuple[str, str] | None, answers) -> list[str]:
    """find_similar on the Slack path, per reader; with `before`, alternating with the copy at
    that revision, whose answers must be the same incidents in the same order."""
    lines = []
    for name, audience in AUDIENCES.items():
        head = timed_with(find_similar, audience=audience)
        head(0)
        if before is None:
            lines.append(summary_line(f"{label}: find_similar, reader of {name}",
                                      timed(head, queries)))
            continue
        if answers(before[0], audience) != answers(url, audience):
            raise SystemExit(f"{label}, reader of {name}: answers differ from {before[1]}'s")
        old = timed_with(find_similar, before[0], audience=audience)
        old(0)
        old_times, head_times = timed_alternating(old, queries, head, queries)
        lines.append(summary_line(f"{label}: find_similar, reader of {name}, at revision "
                                  f"{before[1]} (alternating with head)", old_times))
        lines.append(summary_line(f"{label}: find_similar, reader of {name}, at head",
                                  head_times))
    return lines


def agreement(url: str, results: list[MatchResult], summaries: list[str]) -> str:
    """How far find_similar's top 3 agree with the baseline's, paste by paste.

    Ids may differ where the baseline finds an older incident outside the indexed slices with a
    marginally higher text score; the report then says whether both picks are fixed with a note
    (what the answer shows first) and how far apart their summary scores are.
    """
    same_ids = same_kind = total = 0
    gap = 0.0
    details = []
    for result, summary in zip(results, summaries, strict=True):
        with session_scope(url) as session:
            indexed = find_similar(session, workspace=WORKSPACE, result=result, summary=summary)
            naive = naive_similar(session, workspace=WORKSPACE, result=result, summary=summary)
        overlap = len({item.id for item in indexed} & {item.id for item in naive})
        same_ids += overlap
        total += max(len(indexed), len(naive))
        for ours, theirs in zip(indexed, naive, strict=False):
            same_kind += (ours.status, bool(ours.resolution_note)) == (
                theirs.status, bool(theirs.resolution_note))
            gap = max(gap, abs(_ratio(summary, ours.summary) - _ratio(summary, theirs.summary)))
        details.append(f"{overlap}/{max(len(indexed), len(naive))}")
    return (f"top-3 overlap with the baseline {same_ids}/{total} incidents "
            f"(per paste {' '.join(details)}); same status and note at the same position "
            f"{same_kind}/{total}; largest summary-score gap at one position {gap:.1f} points")


def _ratio(summary: str, other: str) -> float:
    return float(fuzz.token_sort_ratio(summary_key(summary), summary_key(other),
                                       processor=utils.default_process))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--baseline-queries", type=int, default=40,
                        help="naive-baseline calls, spread among the find_similar calls")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the naive baseline (it loads every incident per call)")
    parser.add_argument("--before", metavar="REV",
                        help="also time find_similar on a copy migrated only to REV, "
                             "alternating with head")
    args = parser.parse_args()
    baseline_queries = 0 if args.no_baseline else args.baseline_queries

    print(f"Machine: {machine()}")
    lines = ["| what | median ms | p95 ms | max ms |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        before = (f"sqlite:///{folder}/before.db", args.before) if args.before else None
        lines += bench(f"sqlite:///{folder}/bench.db", "SQLite", args.incidents, args.queries,
                       baseline_queries, before)
        engine_for(f"sqlite:///{folder}/bench.db").dispose()
        if before is not None:
            engine_for(before[0]).dispose()
    if not args.no_postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_similar_{uuid.uuid4().hex[:8]}"
        base = args.postgres.rpartition("/")[0]
        names = [name, f"{name}_before"] if args.before else [name]
        with admin.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar()).split()[0]
            for each in names:
                connection.execute(text(f'CREATE DATABASE "{each}"'))
        try:
            lines += bench(f"{base}/{name}", f"PostgreSQL {version}", args.incidents,
                           args.queries, baseline_queries,
                           (f"{base}/{name}_before", args.before) if args.before else None)
        finally:
            with admin.connect() as connection:
                for each in names:
                    engine_for(f"{base}/{each}").dispose()
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)'))
            admin.dispose()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
