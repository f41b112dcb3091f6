"""Which worker runs what, and in which order (pytest-xdist, `--dist loadgroup`).

Grouping: tests that share a module-scoped fixture (a running server, a built corpus) stay on
one worker, so that each such fixture is built once per backend rather than once per worker;
every other test goes to whichever worker is free. The groups are computed where the tests are
collected (the workers) and handed to the controller's scheduler in a file, not written into
the tests' ids as xdist's `xdist_group` does: pytest 9.2 no longer sees that id change
(pytest-xdist issue 1386), and with it the groups were silently ignored, so every worker that
drew one test of a module started that module's server again.

Ordering: the longest work first. A group is a queue of tests one worker runs in a row, and a
one-minute group handed out last keeps one worker busy for a minute after the others finish;
handed out first, it runs while the others share the short tests. xdist's own order (the
groups with the most tests first, then single tests in file order) put minute-long single tests
such as the database outage at the end. So each group is weighed by how long its tests took in
the last run (kept in pytest's cache, `.pytest_cache`), a test not seen before by its
module's mean in `tests/module_durations.json` (committed: a fresh clone, as CI runs, has no
cache), else by a guess (`slow`: it starts servers or processes), and the collection is sorted
by weight: the scheduler hands the groups out in that order. The controller reads the cache
once and passes it to the workers, so that every worker sorts the same way even if another run
writes the cache meanwhile.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

CACHE_KEY = "troubleshoot-bot/durations"
GUESS_SLOW_S = 5.0  # a test marked slow that has not run here yet: it starts a server
GUESS_OTHER_S = 0.05
# Seconds per test by module, from a whole run (refresh: `python -m tests.support.scheduling`
# after a full run of ./scripts/test, which writes the cache it reads).
MODULE_DURATIONS = Path(__file__).resolve().parents[1] / "module_durations.json"

_durations_this_run: defaultdict[str, float] = defaultdict(float)
_group_folder: list[Path] = []  # the controller's: where the workers write the groups


# ----- on the controller

@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """For each worker it starts: last run's durations, and where to write the groups."""
    if not _group_folder:
        _group_folder.append(Path(tempfile.mkdtemp(prefix="bot-test-groups-")))
    node.workerinput["test_durations"] = json.dumps(_cached_durations(node.config))
    node.workerinput["test_group_folder"] = str(_group_folder[0])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadgroup" or not _group_folder:
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = _group_folder[0]

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """xdist's scope scheduling, a scope being a test's group (or the test alone), handed
        out in the order of the collection (sorted by weight), not by size."""

        def __init__(self, config: pytest.Config, log: Any) -> None:
            super().__init__(config, log)
            self._groups: dict[str, str] | None = None

        def schedule(self) -> None:
            self.config.option.loadscopereorder = False
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:  # every worker has collected by now: read one's groups
                written = sorted(folder.glob("*.json"))
                self._groups = json.loads(written[0].read_text()) if written else {}
            return self._groups.get(nodeid, nodeid)

    return GroupScheduling(config, log)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        return  # the controller sees every worker's reports and writes the cache once
    for folder in _group_folder:
        shutil.rmtree(folder, ignore_errors=True)
    cache = getattr(config, "cache", None)
    if cache is None or not _durations_this_run:
        return
    merged = {**_cached_durations(config), **_durations_this_run}
    cache.set(CACHE_KEY, {nodeid: round(seconds, 3) for nodeid, seconds in merged.items()})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations_this_run[report.nodeid] += report.duration


# ----- on each worker, where the tests are collected

def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workerinput = getattr(config, "workerinput", None)
    if not workerinput or not workerinput.get("test_group_folder"):
        return  # one process runs everything in file order, as written
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        groups.setdefault(_shared_fixture_group(item) or item.nodeid, []).append(item)
    known = dict(json.loads(workerinput.get("test_durations", "{}")))
    weight = {name: sum(known.get(item.nodeid, _guess(item)) for item in members)
              for name, members in groups.items()}
    # Stable: equal weights keep the file order; a group's tests keep theirs.
    ordered = sorted(groups, key=lambda name: -weight[name])
    items[:] = [item for name in ordered for item in groups[name]]
    written = Path(workerinput["test_group_folder"]) / f"{workerinput['workerid']}.json.part"
    written.write_text(json.dumps({item.nodeid: name for name, members in groups.items()
                                   for item in members if name != item.nodeid}))
    os.replace(written, written.with_suffix(""))  # whole, or not there


def _cached_durations(config: pytest.Config) -> dict[str, float]:
    cache = getattr(config, "cache", None)
    stored = cache.get(CACHE_KEY, {}) if cache is not None else {}
    return stored if isinstance(stored, dict) else {}


def _module_means() -> dict[str, float]:
    try:
        stored = json.loads(MODULE_DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


_MODULE_MEANS = _module_means()


def _guess(item: pytest.Item) -> float:
    module = item.nodeid.split("::", 1)[0]
    if module in _MODULE_MEANS:
        return float(_MODULE_MEANS[module])
    return GUESS_SLOW_S if item.get_closest_marker("slow") else GUESS_OTHER_S


def module_means(durations: dict[str, float]) -> dict[str, float]:
    """Mean seconds per test of each module, from one run's per-test durations."""
    totals: defaultdict[str, list[float]] = defaultdict(list)
    for nodeid, seconds in durations.items():
        totals[nodeid.split("::", 1)[0]].append(float(seconds))
    return {module: round(sum(times) / len(times), 3) for module, times in sorted(totals.items())}


if __name__ == "__main__":  # refresh tests/module_durations.json from the last run's cache
    cached = Path(".pytest_cache") / "v" / CACHE_KEY
    MODULE_DURATIONS.write_text(json.dumps(module_means(json.loads(cached.read_text())),
                                           indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODULE_DURATIONS}")


def _shared_fixture_group(item: pytest.Item) -> str | None:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    shared = sorted(name for name, definitions in info.name2fixturedefs.items()
                    if definitions and definitions[-1].scope == "module")
    if not shared:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    variant = ",".join(f"{name}={params[name]}" for name in shared if name in params)
    return f"{item.module.__name__ if item.module else item.nodeid}[{variant}]"
