#!/usr/bin/env python
"""Benchmark find_similar with 100,000 incidents in one workspace, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_similar.py [--incidents 100000] [--queries 200]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-postgres]

Seeds a fresh SQLite file and a fresh PostgreSQL database (migrated with the real migrations,
filled with one bulk INSERT per 10,000 rows), then times find_similar for real matcher results
of realistic pastes, and record_occurrence (upsert + occurrence + find_similar) for the same
pastes. Prints the machine and the figures as Markdown for docs/benchmarks-history.md.
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

from sqlalchemy import create_engine, insert, text

from bot.db import engine_for, session_scope
from bot.incidents.migrations import upgrade
from bot.incidents.models import Incident
from bot.incidents.service import find_similar, incident_summary, record_occurrence
from bot.matching.matcher import default_matcher

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
            "entry_id": rng.choice(ENTRIES), "summary": summary, "status": status,
            "first_seen": first, "last_seen": last, "occurrence_count": rng.randint(1, 12),
            "reported_by": f"U{rng.randint(1, 200):04d}",
            "resolved_by": f"U{rng.randint(1, 200):04d}" if resolved else None,
            "resolution_note": rng.choice(NOTES) if resolved and rng.random() < 0.6 else None,
            "resolved_at": last + timedelta(hours=1) if resolved else None,
            "time_to_resolve_s": (last - first).total_seconds() + 3600 if resolved else None,
        })
    return rows


def seed(url: str, count: int) -> float:
    upgrade(url)
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


def timed(function, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for index in range(repeats):
        started = time.perf_counter()
        function(index)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary_line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"| {label} | {statistics.median(ordered):.1f} | {p95:.1f} | {ordered[-1]:.1f} |")


def bench(url: str, label: str, incidents: int, queries: int) -> list[str]:
    seconds = seed(url, incidents)
    matcher = default_matcher()
    results = [matcher.match(paste) for paste in PASTES]
    summaries = [incident_summary(paste, result) for paste, result in zip(PASTES, results,
                                                                           strict=True)]

    def similar(index: int) -> None:
        position = index % len(results)
        with session_scope(url) as session:
            found = find_similar(session, workspace=WORKSPACE, result=results[position],
                                 summary=summaries[position])
            assert len(found) <= 3

    def record(index: int) -> None:
        position = index % len(PASTES)
        with session_scope(url) as session:
            record_occurrence(session, workspace=WORKSPACE, source="cli", text=PASTES[position],
                              result=results[position], user="bench")

    similar(0)  # warm the pool and the caches
    lines = [f"| {label}: seed {incidents:,} incidents (bulk insert) | {seconds:.1f} s | | |"]
    lines.append(summary_line(f"{label}: find_similar", timed(similar, queries)))
    lines.append(summary_line(f"{label}: record_occurrence (upsert + similar)",
                              timed(record, max(queries // 4, 1))))
    return lines


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
    args = parser.parse_args()

    print(f"Machine: {machine()}")
    lines = ["| what | median ms | p95 ms | max ms |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        lines += bench(f"sqlite:///{folder}/bench.db", "SQLite", args.incidents, args.queries)
        engine_for(f"sqlite:///{folder}/bench.db").dispose()
    if not args.no_postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_similar_{uuid.uuid4().hex[:8]}"
        base = args.postgres.rpartition("/")[0]
        with admin.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar()).split()[0]
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            lines += bench(f"{base}/{name}", f"PostgreSQL {version}", args.incidents,
                           args.queries)
        finally:
            engine_for(f"{base}/{name}").dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
