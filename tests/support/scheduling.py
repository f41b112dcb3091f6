"""Which worker runs what, and in which order (pytest-xdist, `--dist loadgroup`).

Grouping: tests that share a module-scoped fixture (a running server, a built corpus) stay on
one worker, so that each such fixture is built once per backend rather than once per worker;
every other test goes to whichever worker is free.

Ordering: the longest work first. A group is a queue of tests one worker runs in a row, and a
one-minute group handed out last keeps one worker busy for a minute after the others finish;
handed out first, it runs while the others share the short tests. xdist's own order (the
groups with the most tests first, then single tests in file order) put minute-long single tests
such as the database outage at the end. So each group is weighed by how long its tests took in
the last run (kept in pytest's cache, `.pytest_cache`), a test not seen before by a guess
(`slow`: it starts servers or processes), and the collection is sorted by weight: xdist hands
the groups out in that order. The controller reads the cache once and passes it to the workers,
so that every worker sorts the same way even if another run writes the cache meanwhile.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

CACHE_KEY = "troubleshoot-bot/durations"
GUESS_SLOW_S = 5.0  # a test marked slow that has not run here yet: it starts a server
GUESS_OTHER_S = 0.05

_durations_this_run: defaultdict[str, float] = defaultdict(float)


def pytest_configure(config: pytest.Config) -> None:
    # On the controller (or a run without workers): hand the groups out in the order of the
    # collection (sorted below), not by their number of tests.
    if not hasattr(config, "workerinput") and hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """On the controller, for each worker it starts: last run's durations, as JSON."""
    node.workerinput["test_durations"] = json.dumps(_cached_durations(node.config))


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the group markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        group = _shared_fixture_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
        groups.setdefault(group or item.nodeid, []).append(item)
    known = _known_durations(config)
    weight = {name: sum(known.get(item.nodeid, _guess(item)) for item in members)
              for name, members in groups.items()}
    # Stable: equal weights keep the file order; a group's tests keep theirs.
    ordered = sorted(groups, key=lambda name: -weight[name])
    items[:] = [item for name in ordered for item in groups[name]]


@pytest.hookimpl(tryfirst=True)  # before xdist's, which sends the node ids to the controller
def pytest_collection_finish(session: pytest.Session) -> None:
    """Make sure each grouped test's id ends in "@group", which is how the controller learns
    the groups. xdist 3.8 appends it by assigning `item._nodeid`, which pytest 9.2 no longer
    reads (its ids are `NodeId` objects): the groups were silently ignored and every worker
    that drew a test of a module started that module's server again (pytest-xdist issue
    1386). Kept until the pinned xdist names the groups itself."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    for item in session.items:
        group = _group_of(item)
        if group and not item.nodeid.endswith(f"@{group}"):
            _rename(item, f"{item.nodeid}@{group}")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations_this_run[_plain(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput") or not _durations_this_run:
        return  # the controller sees every worker's reports and writes the cache once
    cache = getattr(config, "cache", None)
    if cache is None:
        return
    merged = {**_cached_durations(config), **_durations_this_run}
    cache.set(CACHE_KEY, {nodeid: round(seconds, 3) for nodeid, seconds in merged.items()})


def _known_durations(config: pytest.Config) -> dict[str, float]:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return dict(json.loads(workerinput.get("test_durations", "{}")))
    return _cached_durations(config)


def _cached_durations(config: pytest.Config) -> dict[str, float]:
    cache = getattr(config, "cache", None)
    stored = cache.get(CACHE_KEY, {}) if cache is not None else {}
    return stored if isinstance(stored, dict) else {}


def _group_of(item: pytest.Item) -> str | None:
    marks = [mark.args[0] if mark.args else mark.kwargs.get("name", "default")
             for mark in item.iter_markers("xdist_group")]
    return "_".join(sorted({str(name) for name in marks})) or None


def _rename(item: pytest.Item, nodeid: str) -> None:
    if hasattr(item, "_id"):  # pytest 9.2 and later
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid


def _plain(nodeid: str) -> str:
    """The node id without the "@group" xdist appends to the tests of a group."""
    at, bracket = nodeid.rfind("@"), nodeid.rfind("]")
    return nodeid[:at] if at > bracket else nodeid


def _guess(item: pytest.Item) -> float:
    return GUESS_SLOW_S if item.get_closest_marker("slow") else GUESS_OTHER_S


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
    # No brackets in the name: xdist takes what follows the last "@" as the group only when
    # no "]" comes after it (a parameter id may hold an "@").
    return f"{item.module.__name__ if item.module else item.nodeid}:{variant}"
