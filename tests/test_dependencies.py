"""Dependencies: every third-party module the bot imports is declared, known-vulnerable versions
are excluded, and constraints.txt (what scripts/setup.sh installs from) pins what was tested."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
# What the bot may import: its dependencies and its runtime extras (`v1`: azureml-core, imported
# only by the azureml-v1 log source, which is left out when it is not installed).
RUNTIME_EXTRAS = ("v1",)
DECLARED = {canonicalize_name(Requirement(line).name): Requirement(line)
            for line in [*PYPROJECT["project"]["dependencies"],
                         *(line for extra in RUNTIME_EXTRAS
                           for line in PYPROJECT["project"]["optional-dependencies"][extra])]}


def imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in (REPO_ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"bot", "__future__"}


def constraints() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (REPO_ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"constraints.txt must pin exactly: {line}"
            pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def test_every_imported_third_party_module_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(imported_top_level_modules()):
        names = {canonicalize_name(name) for name in distributions.get(module, [module])}
        if not names & DECLARED.keys():
            undeclared[module] = sorted(names)
    assert undeclared == {}, f"imported but not in pyproject's dependencies: {undeclared}"


def test_gunicorn_with_the_request_smuggling_bug_is_excluded() -> None:
    # CVE-2024-6827: gunicorn before 23.0 does not validate Transfer-Encoding (smuggling).
    gunicorn = DECLARED["gunicorn"].specifier
    assert not gunicorn.contains("22.0.0") and not gunicorn.contains("21.2.0")
    assert gunicorn.contains("23.0.0")


def test_constraints_pin_every_declared_dependency_within_its_range() -> None:
    pins = constraints()
    dev = [Requirement(line) for line in PYPROJECT["project"]["optional-dependencies"]["dev"]]
    for requirement in [*DECLARED.values(), *dev]:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned in constraints.txt: run ./scripts/lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside {requirement}: "
            "run ./scripts/lock")
    assert "troubleshoot-bot" not in pins  # the project itself is installed editable


def test_the_suite_runs_against_the_pinned_versions() -> None:
    # scripts/setup.sh installs with `-c constraints.txt`: what CI tests is what a clone gets.
    pins = constraints()
    for name in [*DECLARED, "pytest", "hypothesis"]:
        assert Version(version(name)) == pins[name], (
            f"{name} {version(name)} is installed but constraints.txt pins {pins[name]}: "
            "run scripts/setup.sh (or ./scripts/lock after changing pyproject.toml)")


def test_setup_installs_from_the_constraints_file() -> None:
    setup = (REPO_ROOT / "scripts" / "setup.sh").read_text()
    assert "-c constraints.txt" in setup
    assert "'.[dev,v1]'" in setup  # the README's set-up keeps SDK v1 support
    assert Path(REPO_ROOT / "scripts" / "lock").stat().st_mode & 0o111


def test_sdk_v1_is_an_optional_extra() -> None:
    required = {canonicalize_name(Requirement(line).name)
                for line in PYPROJECT["project"]["dependencies"]}
    assert "azureml-core" not in required
    assert [Requirement(line).name for line in PYPROJECT["project"]["optional-dependencies"]["v1"]
            ] == ["azureml-core"]
