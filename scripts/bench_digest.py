#!/usr/bin/env python
"""Benchmark: the weekly digest's figures over 1,000,000 occurrences on PostgreSQL.

Creates a fresh database (dropped first if it exists), migrates it, seeds it in SQL with
generate_series (no Python loop, ~half a minute), runs ANALYZE, then times compute_digest for a
week in the middle of the data, workspace-wide and for one channel.

    .venv/bin/python scripts/bench_digest.py [--admin-url URL] [--occurrences N] [--keep]

Not part of the test suite (no timed tests): the figures go to docs/digest.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from bot.db import engine_for
from bot.digest.figures import compute_digest
from bot.digest.weeks import IsoWeek
from bot.incidents.migrations import upgrade

ENTRIES = ("container-cannot-be-scheduled", "service-launch-fails", "function-fails-get_model_path",
           "function-fails-runinput_data", "http-status-code-502", "http-status-code-503",
           "http-status-code-504", "http-status-code-409", "image-build-fails",
           "vm-out-of-memory", "fpga-quota", "debug-locally")
WEEKS = 26
START = "2026-05-04 00:00:00+09"  # a Monday in Seoul; data covers 26 weeks from here

SEED = [
    # Incidents: 1 in 20 per occurrence; one in six unmatched (entry NULL); six in seven resolved
    # within three days; 20 channels, 50 services.
    """
    INSERT INTO incidents (workspace, channel, service, fingerprint, entry_id, summary, status,
                           first_seen, last_seen, occurrence_count, resolved_at, time_to_resolve_s)
    SELECT 'T1', 'C' || lpad((i % 20)::text, 3, '0'), 'svc-' || (i % 50), md5(i::text),
           CASE WHEN i % 6 = 0 THEN NULL ELSE (CAST(:entries AS text[]))[1 + i % 12] END,
           'error line',
           CASE WHEN i % 7 = 0 THEN 'open' ELSE 'resolved' END,
           seen, seen, 0,
           CASE WHEN i % 7 = 0 THEN NULL ELSE seen + ttr * interval '1 second' END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE ttr END
    FROM (SELECT i, CAST(:start AS timestamptz)
                    + (i::float / :incidents) * interval '1 day' * 7 * :weeks AS seen,
                 (60 + random() * 259200)::float AS ttr
          FROM generate_series(1, :incidents) AS i) AS s
    """,
    # Occurrences: spread over the week after their incident opened.
    """
    INSERT INTO occurrences (incident_id, created_at, source, "user", channel, text,
                             text_truncated, entry_id, score, confident)
    SELECT inc.id, inc.first_seen + random() * interval '7 days', 'slash', 'U' || (g % 300),
           inc.channel, 'Error: something failed in pod web-' || g, false, inc.entry_id,
           CASE WHEN inc.entry_id IS NULL THEN 40 ELSE 90 END, inc.entry_id IS NOT NULL
    FROM generate_series(1, :occurrences) AS g
    JOIN incidents AS inc ON inc.id = 1 + (g % :incidents)
    """,
    """
    INSERT INTO feedback (incident_id, entry_id, "user", helpful, created_at)
    SELECT inc.id, inc.entry_id, 'U' || g, g % 4 <> 0, inc.first_seen + interval '1 hour'
    FROM generate_series(1, :incidents / 2) AS g
    JOIN incidents AS inc ON inc.id = g * 2 WHERE inc.entry_id IS NOT NULL
    """,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--database", default="digest_bench")
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    url = f"{args.admin_url.rpartition('/')[0]}/{args.database}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{args.database}"'))
    try:
        upgrade(url)
        engine = engine_for(url)
        incidents = max(1, args.occurrences // 20)
        started = time.perf_counter()
        with engine.begin() as conn:
            for statement in SEED:
                conn.execute(text(statement), {"entries": list(ENTRIES), "start": START,
                                               "weeks": WEEKS, "incidents": incidents,
                                               "occurrences": args.occurrences})
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
            counts = conn.execute(text("SELECT (SELECT count(*) FROM occurrences), "
                                       "(SELECT count(*) FROM incidents)")).one()
        print(f"seeded {counts[0]:,} occurrences, {counts[1]:,} incidents "
              f"in {time.perf_counter() - started:.1f}s")

        seoul = ZoneInfo("Asia/Seoul")
        week = IsoWeek(2026, 32)  # in the middle of the data
        for label, channel in (("workspace", None), ("one channel", "C007")):
            timings = []
            for _ in range(args.runs):
                began = time.perf_counter()
                digest = compute_digest(engine, week, seoul, channel=channel)
                timings.append(time.perf_counter() - began)
            print(f"digest {week} ({label}): {digest.occurrences:,} occurrences in the week, "
                  f"{digest.incidents}; first run {timings[0] * 1000:.0f} ms, "
                  f"median of {args.runs} {statistics.median(timings) * 1000:.0f} ms")
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, PostgreSQL {version}")
    finally:
        engine_for(url).dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
