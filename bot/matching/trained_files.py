"""Reading the files `kb train` writes beside the KB (confidence.json, precedents.json,
context.json): one place for what a missing, unreadable or malformed file says."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

Parsed = TypeVar("Parsed")


def read_trained_file(path: Path, parse: Callable[[Any], Parsed],
                      error: type[ValueError]) -> Parsed:
    """`parse` of the JSON in `path`; `error`, naming the path, when the file is missing (with
    the command that writes it), cannot be read, or `parse` refuses it with `error`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as problem:
        raise error(f"{path} does not exist: run `troubleshoot-bot kb train`") from problem
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise error(f"{path}: cannot read: {problem}") from problem
    try:
        return parse(data)
    except error as problem:
        raise error(f"{path}: {problem}") from problem


def file_object(data: object, kind: str, version: int,
                error: type[ValueError]) -> dict[str, Any]:
    """`data` when it is a JSON object of `kind` at format `version`; else `error`, saying how
    to get one this code reads (a file from an older or newer bot, or another file)."""
    if not isinstance(data, dict):
        raise error("not a JSON object")
    found = data.get("format_version")
    if found != version or data.get("kind") != kind:
        raise error(f"format_version {found!r} of kind {data.get('kind')!r} is not known (this "
                    f"bot reads {kind} {version}): retrain with `troubleshoot-bot kb train`")
    return data
