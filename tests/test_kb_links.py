"""Every entry's link opens the section it names: `kb check` verifies links into the guide."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.links import (
    guide_anchors,
    guide_link,
    guide_link_problem,
)
from bot.knowledge.loader import knowledge_folders, load_entries
from tests.conftest import GUIDE_PATH, REPO_ROOT
from tests.support.cli import Result, run_cli
from tests.test_kb_check import GOOD

SMALL_GUIDE = """---
title: Troubleshooting remote model deployment
ms.service: machine-learning
---
# Troubleshooting remote model deployment

## <a name="service-launch-fails"></a>서비스 시작 실패
text

## Container can't be scheduled
text

# [Python](#tab/python)

```python
# Choose the webservice you are interested in
```

### Function fails: run(input_data)
text
"""
OLD_ADDRESS = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-deployment"
needs_guide = pytest.mark.skipif(not GUIDE_PATH.is_file(), reason="shared/guide is not beside "
                                 "the checkout or its parents")


@pytest.fixture()
def small_guide(tmp_path: Path) -> frozenset[str]:
    path = tmp_path / "how-to-troubleshoot-deployment.ko.md"
    path.write_text(SMALL_GUIDE, encoding="utf-8")
    return guide_anchors(path)


def test_anchors_are_computed_as_learn_does(small_guide: frozenset[str]) -> None:
    # An explicit <a name> wins; otherwise the heading's slug (apostrophe and parentheses
    # dropped, underscores kept); tab headings and comments inside code are not headings.
    assert {"service-launch-fails", "container-cant-be-scheduled",
            "function-fails-runinput_data"} <= small_guide
    assert not any("webservice" in anchor or anchor == "python" for anchor in small_guide)


def test_a_link_to_a_section_the_guide_has_is_right(small_guide: frozenset[str]) -> None:
    assert guide_link("service-launch-fails") == (
        "https://learn.microsoft.com/azure/machine-learning/v1/how-to-troubleshoot-deployment"
        "?view=azureml-api-1#service-launch-fails")
    assert guide_link_problem(guide_link("service-launch-fails"), small_guide) is None


def test_the_old_address_is_refused_with_the_right_one(small_guide: frozenset[str]) -> None:
    problem = guide_link_problem(f"{OLD_ADDRESS}#service-launch-fails", small_guide)
    assert problem and "v1 address" in problem
    assert guide_link("service-launch-fails") in problem
    without_view = guide_link("service-launch-fails").replace("?view=azureml-api-1", "")
    assert "v1 address" in (guide_link_problem(without_view, small_guide) or "")


def test_an_anchor_the_guide_lacks_is_refused(small_guide: frozenset[str]) -> None:
    problem = guide_link_problem(guide_link("container-cannot-be-scheduled"), small_guide)
    assert problem and "no heading with anchor 'container-cannot-be-scheduled'" in problem
    assert "names no section" in (guide_link_problem(guide_link("")[:-1], small_guide) or "")


def test_other_links_are_not_guide_links(small_guide: frozenset[str]) -> None:
    assert guide_link_problem("https://wiki.example.com/runbooks/gpu#x", small_guide) is None


@needs_guide
def test_every_shipped_link_opens_a_section_of_the_real_guide() -> None:
    anchors = guide_anchors(GUIDE_PATH)
    entries, problems = load_entries(knowledge_folders(""))
    assert not problems and len(entries) == 15
    for entry in entries:
        assert entry.source.startswith(guide_link("")), entry.id
        assert guide_link_problem(entry.source, anchors) is None, entry.id


def run_check(team_folder: Path, *extra: str) -> Result:
    return run_cli(["kb", "check", *extra], env={"KNOWLEDGE_PATH": str(team_folder)},
                   cwd=REPO_ROOT)


@needs_guide
def test_kb_check_reports_a_team_link_to_a_missing_section(tmp_path: Path) -> None:
    entry = GOOD.format(id="gpu-driver").replace(
        "https://example.org/runbooks/gpu", guide_link("gpu-driver-mismatch"))
    (tmp_path / "gpu.md").write_text(entry, encoding="utf-8")
    done = run_check(tmp_path)
    assert done.returncode == 1
    assert "gpu-driver" in done.stdout
    assert "no heading with anchor 'gpu-driver-mismatch'" in done.stdout
    # The same entry naming a real section passes, and so does every shipped entry.
    (tmp_path / "gpu.md").write_text(entry.replace("gpu-driver-mismatch", "advanced-debugging"),
                                     encoding="utf-8")
    passed = run_check(tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_kb_check_says_when_a_given_guide_cannot_be_read(tmp_path: Path) -> None:
    done = run_check(tmp_path, "--guide", str(tmp_path / "missing.md"))
    assert done.returncode == 1
    assert "cannot read the guide" in done.stdout and "missing.md" in done.stdout
