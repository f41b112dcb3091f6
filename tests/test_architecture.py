"""The import contract: dependencies point one way, from the front end (bot.slack) and the
command line to the domains, never back. Checked on the static import graph of every module
(imports inside functions included), transitively, like import-linter's "forbidden" contracts;
the failure names the chain of imports that breaks the rule."""

from __future__ import annotations

import ast
from collections import deque
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "bot"
DOMAINS = ("bot.matching", "bot.knowledge", "bot.incidents", "bot.logs", "bot.digest",
           "bot.answers", "bot.storage", "bot.deployments")
FRONT_ENDS = ("bot.slack",)
# The composition root: the command line picks the front end (serve, the digest's chat client).
ENTRY_POINTS = ("bot.cli", "bot.__main__")
# The matcher is pure: text in, ranked entries out. No database, no chat, no cloud.
MATCHING_MAY_NOT_USE = ("sqlalchemy", "psycopg", "alembic", "slack_sdk", "slack_bolt", "azure",
                        "azureml", "bot.storage", "bot.incidents", "bot.slack", "bot.logs")
# SDK v1 is the optional extra [v1]: only its log source may import it, and only when used.
SDK_V1_HOME = "bot.logs.azureml_v1"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Every module `path` imports: dotted names, with `from a import b` as `a.b` when that
    is a module of ours (else `a`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


@cache
def imports_of(module: str) -> frozenset[str]:
    """Direct imports, plus the packages whose `__init__` each import runs."""
    found: set[str] = set()
    for name in _imports(MODULES[module]):
        parts = name.split(".")
        found.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return frozenset(found)


def chain_to(start: str, forbidden: tuple[str, ...]) -> list[str] | None:
    """The shortest import chain from `start` to a module in (or under) `forbidden`."""
    def is_forbidden(name: str) -> bool:
        return any(name == bad or name.startswith(bad + ".") for bad in forbidden)

    parents: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for name in sorted(imports_of(current)):
            if name in parents:
                continue
            parents[name] = current
            if is_forbidden(name):
                chain = [name]
                while (previous := parents[chain[-1]]) is not None:
                    chain.append(previous)
                return chain[::-1]
            if name in MODULES:
                queue.append(name)
    return None


def in_package(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def test_the_contract_sees_every_domain() -> None:
    for domain in DOMAINS:
        assert domain in MODULES, f"{domain} is listed in the contract but is not a package"
    assert len([m for m in MODULES if in_package(m, DOMAINS)]) > 50


@pytest.mark.parametrize("module", [m for m in MODULES if in_package(m, DOMAINS)])
def test_no_domain_module_reaches_a_front_end(module: str) -> None:
    chain = chain_to(module, FRONT_ENDS)
    assert chain is None, "a domain module imports the Slack layer: " + " -> ".join(chain or [])


@pytest.mark.parametrize("module", [m for m in MODULES if not in_package(m, FRONT_ENDS)
                                    and m not in ENTRY_POINTS])
def test_only_the_front_end_and_the_command_line_import_the_front_end(module: str) -> None:
    """Shared modules too (bot.chat, bot.i18n, bot.settings, bot.outbox, ...): a second front
    end must be able to use them without bringing Slack along."""
    chain = chain_to(module, FRONT_ENDS)
    assert chain is None, "imports the Slack layer: " + " -> ".join(chain or [])


@pytest.mark.parametrize("module", [m for m in MODULES if in_package(m, ("bot.matching",))])
def test_matching_uses_no_sql_slack_or_azure(module: str) -> None:
    chain = chain_to(module, MATCHING_MAY_NOT_USE)
    assert chain is None, "the matcher reaches I/O: " + " -> ".join(chain or [])


def test_only_the_v1_log_source_imports_sdk_v1_and_only_inside_functions() -> None:
    importers = sorted(module for module, path in MODULES.items()
                       if any(name.split(".")[0] == "azureml" for name in _imports(path)))
    assert importers == [SDK_V1_HOME]
    top_level = _imports(MODULES[SDK_V1_HOME], top_level_only=True)
    assert not any(name.startswith("azureml") for name in top_level)


def test_the_command_line_does_not_reach_sdk_v1_at_import() -> None:
    """`troubleshoot-bot` and its command modules import nothing of SDK v1 when loaded (the
    running proof, with SDK v1 hidden, is tests/test_without_v1.py)."""
    from bot.cli import COMMAND_MODULES

    for module in ("bot.cli", *COMMAND_MODULES):
        top_level = set()
        pending, seen = [module], set()
        while pending:
            current = pending.pop()
            if current in seen or current not in MODULES:
                continue
            seen.add(current)
            names = _imports(MODULES[current], top_level_only=True)
            top_level.update(names)
            pending.extend(names)
        assert not any(name.startswith("azureml") for name in top_level), module
