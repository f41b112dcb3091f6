"""The documentation keeps up with the code: every setting and every command is documented, and
the docs name nothing that does not exist (after simonw/sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.logs.workspace import CREDENTIAL_VARIABLES
from bot.settings import VARIABLES

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = ROOT / "docs" / "configuration.md"
CLI_DOCS = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
# A table row's first cell: `NAME`, or several as `A`, `B`.
_TABLE_ROW = re.compile(r"^\|([^|]+)\|", re.MULTILINE)
_VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def documented_variables() -> set[str]:
    text = CONFIGURATION.read_text(encoding="utf-8")
    return {name for cell in _TABLE_ROW.findall(text) for name in _VARIABLE.findall(cell)}


def commands(parser: argparse.ArgumentParser,
             path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                           argparse.ArgumentParser]]:
    """Every command and sub-command of the parser, as (words, its parser)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from commands(sub, (*path, name))


COMMANDS = dict(commands(build_parser()))


def is_group(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(action, argparse._SubParsersAction) for action in parser._actions)


@pytest.mark.parametrize("name", VARIABLES)
def test_every_setting_is_documented(name: str) -> None:
    assert name in documented_variables(), f"{name} is missing from docs/configuration.md"


@pytest.mark.parametrize("name", sorted(documented_variables()))
def test_every_documented_variable_is_read(name: str) -> None:
    assert name in VARIABLES or name in CREDENTIAL_VARIABLES, (
        f"docs/configuration.md documents {name}, which the bot does not read")


def test_the_readme_links_the_configuration() -> None:
    assert "docs/configuration.md" in README.read_text(encoding="utf-8")
    assert "docs/cli.md" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("words", [" ".join(words) for words in COMMANDS])
def test_every_command_is_documented(words: str) -> None:
    documented = README.read_text(encoding="utf-8") + CLI_DOCS.read_text(encoding="utf-8")
    assert f"troubleshoot-bot {words}" in documented, (
        f"`troubleshoot-bot {words}` is in neither README.md nor docs/cli.md")


@pytest.mark.parametrize("words", [" ".join(words) for words, parser in COMMANDS.items()
                                   if not is_group(parser)])
def test_every_option_is_documented_with_its_command(words: str) -> None:
    section = command_section(words)
    options = [option for action in COMMANDS[tuple(words.split())]._actions
               for option in action.option_strings if option.startswith("--")
               and option != "--help"]
    missing = [option for option in options if option not in section]
    assert not missing, f"docs/cli.md does not describe {missing} of `{words}`"


def command_section(words: str) -> str:
    """The part of docs/cli.md under the heading of `troubleshoot-bot WORDS`."""
    text = CLI_DOCS.read_text(encoding="utf-8")
    heading = re.search(rf"^#+ `troubleshoot-bot {re.escape(words)}`$", text, re.MULTILINE)
    assert heading, f"docs/cli.md has no heading for `troubleshoot-bot {words}`"
    following = re.compile(r"^#+ ", re.MULTILINE).search(text, heading.end())
    return text[heading.end(): following.start() if following else len(text)]
