#!/usr/bin/env python
"""Benchmark: the weekly digest's figures over 1,000,000 occurrences on PostgreSQL.

Creates a fresh database (dropped first if it exists), migrates it, seeds it in SQL with
generate_series (no Python loop, ~half a minute), runs ANALYZE, then times compute_digest for a
week in the middle of the data, workspace-wide and for one channel.

In the same run it times the naive baseline, what one would write without SQL aggregation: load
the two weeks' occurrence rows joined with their incidents (and the incidents of the backlog) into
Python and count there. Its figures are asserted equal to compute_digest's before any timing is
reported, and its runs alternate with compute_digest's so both see the same machine noise.

    .venv/bin/python scripts/bench_digest.py [--admin-url URL] [--occurrences N] [--keep]
        [--runs 5] [--no-baseline]

Not part of the test suite (no timed tests): the figures go to docs/digest.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, or_, select, text, true

from bot.digest.figures import (
    BUSIEST,
    INC,
    OCC,
    TOP_ENTRIES,
    Digest,
    EntryCount,
    IncidentFigures,
    NameCount,
    ResolveTimes,
    compute_digest,
)
from bot.digest.weeks import IsoWeek, WeekWindow
from bot.incidents.models import STATUS_DISMISSED
from bot.storage import engine_for
from bot.storage.migrations import upgrade

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


# ----- the naive baseline: rows into Python, counted there


def naive_figures(engine: Engine, week: IsoWeek, tz: ZoneInfo,
                  channel: str | None = None) -> dict[str, Any]:
    """The figures compute_digest reports, from rows loaded into Python (the definitions are
    those of bot/digest/figures.py: occurrence figures follow the occurrence's channel,
    incident figures the incident's)."""
    current, previous = week.window(tz), week.previous().window(tz)
    with engine.connect() as conn:
        occurrences = conn.execute(
            select(OCC.c.incident_id, OCC.c.created_at, OCC.c.channel, OCC.c.entry_id,
                   OCC.c.confident, INC.c.first_seen, INC.c.channel.label("incident_channel"),
                   INC.c.service)
            .select_from(OCC.join(INC, OCC.c.incident_id == INC.c.id))
            .where(OCC.c.created_at >= previous.start, OCC.c.created_at < current.end,
                   or_(OCC.c.channel == channel, INC.c.channel == channel) if channel
                   else true())).all()
        # The backlog ("open at the week's end") needs every incident opened before the end.
        incidents = conn.execute(
            select(INC.c.id, INC.c.first_seen, INC.c.previous_incident_id, INC.c.status,
                   INC.c.resolved_at, INC.c.time_to_resolve_s)
            .where(INC.c.first_seen < current.end,
                   INC.c.channel == channel if channel else true())).all()

    def within(moment: datetime | None, window: WeekWindow) -> bool:
        return moment is not None and window.start <= moment < window.end

    mine = [row for row in occurrences if channel is None or row.channel == channel]
    this_week = [row for row in mine if within(row.created_at, current)]
    last_week = [row for row in mine if within(row.created_at, previous)]
    counted = Counter(row.entry_id for row in this_week if row.entry_id is not None)
    before = Counter(row.entry_id for row in last_week if row.entry_id is not None)
    top = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:TOP_ENTRIES]

    def busiest(names: list[str | None]) -> list[NameCount]:
        ranked = sorted(Counter(name for name in names if name is not None).items(),
                        key=lambda item: (-item[1], item[0]))
        return [NameCount(name, count) for name, count in ranked[:BUSIEST]]

    def incident_figures(window: WeekWindow) -> IncidentFigures:
        returning = {row.incident_id for row in occurrences
                     if (channel is None or row.incident_channel == channel)
                     and within(row.created_at, window) and row.first_seen < window.start}
        opened = [row for row in incidents if within(row.first_seen, window)]
        return IncidentFigures(
            new=sum(1 for row in opened if row.previous_incident_id is None),
            recurring=sum(1 for row in opened if row.previous_incident_id is not None)
            + len(returning),
            resolved=sum(1 for row in incidents if within(row.resolved_at, window)),
            open=sum(1 for row in incidents
                     if row.first_seen < window.end and row.status != STATUS_DISMISSED
                     and (row.resolved_at is None or row.resolved_at >= window.end)))

    def resolve_times(window: WeekWindow) -> ResolveTimes:
        values = sorted(float(row.time_to_resolve_s) for row in incidents
                        if within(row.resolved_at, window) and row.time_to_resolve_s is not None)
        if not values:
            return ResolveTimes(None, None, 0)

        def percentile(fraction: float) -> float:  # percentile_cont's linear interpolation
            rank = fraction * (len(values) - 1)
            low = math.floor(rank)
            above = values[min(low + 1, len(values) - 1)]
            return round(values[low] + (rank - low) * (above - values[low]), 3)

        return ResolveTimes(percentile(0.5), percentile(0.9), len(values))

    unknown = [row for row in this_week if not row.confident]
    return {
        "occurrences": len(this_week),
        "previous_occurrences": len(last_week),
        "unknown": len(unknown),
        "previous_unknown": sum(1 for row in last_week if not row.confident),
        "unknown_incidents": len({row.incident_id for row in unknown}),
        "incidents": incident_figures(current),
        "previous_incidents": incident_figures(previous),
        "time_to_resolve": resolve_times(current),
        "previous_time_to_resolve": resolve_times(previous),
        "top_entries": [EntryCount(entry, count, before[entry]) for entry, count in top],
        "services": busiest([row.service for row in this_week]),
        "channels": busiest([row.channel for row in this_week]),
    }


def assert_same_figures(digest: Digest, naive: dict[str, Any]) -> None:
    for name, value in naive.items():
        assert getattr(digest, name) == value, (name, getattr(digest, name), value)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--database", default="digest_bench")
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the naive baseline (rows loaded and counted in Python)")
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
        table = ["| digest of one week | compute_digest (SQL) median ms | first run ms "
                 "| naive baseline (Python) median ms | first run ms | speed-up |",
                 "|---|---|---|---|---|---|"]
        for label, channel in (("workspace", None), ("one channel", "C007")):
            timings, baseline = [], []
            for _ in range(args.runs):
                began = time.perf_counter()
                digest = compute_digest(engine, week, seoul, channel=channel)
                timings.append(time.perf_counter() - began)
                if not args.no_baseline:
                    began = time.perf_counter()
                    naive = naive_figures(engine, week, seoul, channel=channel)
                    baseline.append(time.perf_counter() - began)
                    assert_same_figures(digest, naive)
            print(f"digest {week} ({label}): {digest.occurrences:,} occurrences in the week, "
                  f"{digest.incidents}; first run {timings[0] * 1000:.0f} ms, "
                  f"median of {args.runs} {statistics.median(timings) * 1000:.0f} ms")
            row = (f"| {label}: {digest.occurrences:,} occurrences | "
                   f"{statistics.median(timings) * 1000:.0f} | {timings[0] * 1000:.0f} |")
            if baseline:
                print(f"naive baseline ({label}): same figures (asserted: occurrences, incidents, "
                      f"time to resolve, top entries, unknown, services, channels, this week "
                      f"and the week before); first run {baseline[0] * 1000:.0f} ms, median of "
                      f"{args.runs} {statistics.median(baseline) * 1000:.0f} ms")
                row += (f" {statistics.median(baseline) * 1000:.0f} | {baseline[0] * 1000:.0f} | "
                        f"{statistics.median(baseline) / statistics.median(timings):.1f} x |")
            else:
                row += " | | |"
            table.append(row)
        print("\n".join(table))
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        print(f"machine: {cpu_model()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, PostgreSQL {version}")
    finally:
        engine_for(url).dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
