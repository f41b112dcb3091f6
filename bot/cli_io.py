"""Small helpers shared by the command modules."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from bot.knowledge.model import LoadProblem


def read_text_argument(value: str | None) -> str:
    """TEXT from the argument, or standard input for `-` or no argument.

    Bytes that are not UTF-8 are replaced rather than fatal: people paste binary junk.
    """
    if value is not None and value != "-":
        return value
    return sys.stdin.buffer.read().decode("utf-8", errors="replace")


# A paste where more than this share of characters are control bytes or undecodable is not text
# (what the commands then say is `binary` in bot.cli_errors).
BINARY_SHARE = 0.10


def looks_binary(text: str) -> bool:
    sample = text[:100_000]
    odd = sum(1 for char in sample
              if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\f\v"))
    return odd > len(sample) * BINARY_SHARE


def lazy(target: str):  # type: ignore[no-untyped-def]
    """A command function named "module:function", imported only when the command runs.

    Keeps `troubleshoot-bot match` from importing the Azure SDKs, Bolt or matplotlib.
    """
    module_name, _, function_name = target.partition(":")

    def run(args):  # type: ignore[no-untyped-def]
        import importlib

        return getattr(importlib.import_module(module_name), function_name)(args)

    run.__name__ = function_name
    return run


def warn_about_knowledge_problems(problems: Iterable[LoadProblem], lang: str) -> None:
    """One stderr line per knowledge file or folder that was skipped: a mistyped KNOWLEDGE_PATH
    or a broken entry must not silently change the answers. (The problem itself stays as the
    loader wrote it, as `kb check` prints it.)"""
    from bot.cli_errors import t

    for problem in problems:
        print(t("kb_problem_skipped", lang, problem=problem), file=sys.stderr)
