"""The suite's parallel scheduling (tests/support/scheduling.py), run on a small suite of its
own with two pytest-xdist workers as scripts/test runs the real one: tests that share a
module-scoped fixture run on one worker, so the fixture (a server, in the real suite) is built
once per parameter, not once per worker that draws one of its tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytest_plugins = ("pytester",)

SHARED = '''
import json, os, pytest
from pathlib import Path

OUT = Path(os.environ["SCHEDULING_OUT"])

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request):
    (OUT / f"setup-{request.param}-{os.getpid()}").touch()
    return request.param

@pytest.mark.parametrize("n", range(6))
def test_uses_the_server(server, n, request):
    (OUT / f"ran-{server}-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])
'''

ALONE = '''
import pytest

@pytest.mark.parametrize("n", range(12))
def test_needs_nothing_shared(n):
    pass
'''


def test_tests_sharing_a_module_fixture_run_on_one_worker_and_build_it_once(
        pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("SCHEDULING_OUT", str(out))
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    pytester.makepyfile(test_shared=SHARED, test_alone=ALONE)
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "loadgroup",
                                           "-p", "tests.support.scheduling", "-q")
    result.assert_outcomes(passed=24)
    for backend in ("sqlite", "postgresql"):
        workers = {(out / f"ran-{backend}-{n}").read_text() for n in range(6)}
        assert len(workers) == 1, f"the {backend} tests ran on {sorted(workers)}"
        assert len(list(out.glob(f"setup-{backend}-*"))) == 1  # built once
    # Their durations are kept for the next run's order (longest first).
    cached = json.loads((pytester.path / ".pytest_cache" / "v" / "troubleshoot-bot" /
                         "durations").read_text())
    assert "test_shared.py::test_uses_the_server[sqlite-0]" in cached


def test_a_fresh_clone_weighs_tests_by_their_modules_committed_means() -> None:
    from tests.support.scheduling import MODULE_DURATIONS, module_means

    means = module_means({"tests/a.py::one": 1.0, "tests/a.py::two[x]": 3.0,
                          "tests/b.py::three": 0.5})
    assert means == {"tests/a.py": 2.0, "tests/b.py": 0.5}
    # The committed file names modules that exist, so a fresh clone's order is not a guess.
    committed = json.loads(MODULE_DURATIONS.read_text(encoding="utf-8"))
    root = MODULE_DURATIONS.parent.parent
    assert committed and all((root / module).is_file() for module in committed)
    assert max(committed.values()) > 1.0  # minute-long groups stand out from unit tests
