"""`troubleshoot-bot <command> --help` answers what a newcomer asks of it: every command and
sub-command says what it does, and every option and argument says what it takes. (`incidents
resolve --help` listed `id` and `--note NOTE` with no word on either; `ask --help` the same.)"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from bot.cli import build_parser


def _commands(parser: argparse.ArgumentParser, path: str = "troubleshoot-bot", help_: str = "-"
              ) -> Iterator[tuple[str, argparse.ArgumentParser, str | None]]:
    """Every (command path, its parser, its one-line help in its parent's list)."""
    yield path, parser, help_
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}", helped.get(name))


def test_every_command_and_option_says_what_it_is() -> None:
    missing = []
    for path, parser, help_ in _commands(build_parser()):
        if not help_:
            missing.append(f"{path} (its line in the parent's --help)")
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._VersionAction
                          | argparse._SubParsersAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{path}: {'/'.join(action.option_strings) or action.dest}")
    assert not missing, "options without help:\n" + "\n".join(missing)
