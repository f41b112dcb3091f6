"""Run the real `troubleshoot-bot` command in this process, the way click's and sqlite-utils'
`CliRunner` do: `run_cli(["match", "--json"], stdin="...")` calls `bot.cli.main(argv)` itself.

A subprocess start imports the SDKs and builds the knowledge-base index again (seconds, many
more under load); in-process the imports and the index stay warm between calls. What a separate
process would have kept apart is set up and undone around every call:

- the environment: `env` is applied on top of the current one (a value of None removes the
  variable) and the whole environment is put back afterwards, including anything `.env` loading
  added during the call;
- the settings: `bot.settings.forget()` before and after, so the call parses its own;
- the standard streams: stdin is the given text or bytes, stdout and stderr are captured as
  UTF-8 text, the encoding a terminal or pipe gets on our machines;
- the working directory (`cwd`), the root logger's handlers and level (so the command's
  `logging.basicConfig` writes to the captured stderr, as it would in its own process);
- `SystemExit` (argparse's errors, `--version`) becomes the exit code; any other exception is
  printed as a traceback on stderr with exit code 1, as the interpreter would, and is kept in
  `Result.exception` for the test to look at.

The knowledge base and matcher caches (`cached_knowledge_base`, `default_matcher`) stay warm
across calls (the team-knowledge `live_matcher`, which re-reads the database only every few
seconds, is emptied before each call), and are emptied when KNOWLEDGE_PATH or a file under its
folders differs from the previous call's, so a test that points at or edits a team folder sees
its own knowledge base.

Kept in real subprocesses, on purpose: the installed entry point, `.env` in a fresh process,
real pipe encodings, SIGPIPE, and processes racing each other (see docs/testing.md).
"""

from __future__ import annotations

import io
import logging
import os
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot import cli
from bot import settings as settings_module
from bot.knowledge.loader import cached_knowledge_base
from bot.matching.matcher import default_matcher
from bot.teaching.live import live_matcher


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def returncode(self) -> int:
        """subprocess.CompletedProcess's name, so assertions read the same for both."""
        return self.exit_code


def run_cli(args: Sequence[str], *, env: Mapping[str, str | None] | None = None,
            stdin: str | bytes | None = None, cwd: str | Path | None = None) -> Result:
    """`troubleshoot-bot *args` in this process; see the module docstring."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    stdout, stderr = _capture(), _capture()
    exception: BaseException | None = None
    with _environment(env), _working_directory(cwd), _streams(data, stdout, stderr), \
            _root_logger():
        _forget_changed_knowledge()
        # The team's knowledge is re-read by a running process only every few seconds; a new
        # process reads it at once, and each call here stands for a new process.
        live_matcher.cache_clear()
        settings_module.forget()
        try:
            exit_code = cli.main(list(args))
        except SystemExit as exit_:
            exit_code = _exit_code(exit_.code, stderr)
        except Exception as error:  # what the interpreter would print before exiting with 1
            exception = error
            traceback.print_exc(file=stderr)
            exit_code = 1
        finally:
            for stream in (stdout, stderr):
                stream.flush()
            settings_module.forget()
            _remember_cache_misses()
    return Result(exit_code, _text(stdout), _text(stderr), exception)


def _capture() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8", errors="replace")


def _exit_code(code: object, stderr: io.TextIOWrapper) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)  # sys.exit("message") prints it and exits with 1
    return 1


@contextmanager
def _environment(env: Mapping[str, str | None] | None) -> Iterator[None]:
    saved = _copy_of_environment()
    try:
        for name, value in (env or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _copy_of_environment() -> dict[str, str]:
    """os.environ as it is now. A thread left running by an earlier test (a library that sets
    a variable while it imports) can change it while it is copied, which raised "dictionary
    changed size during iteration" once in ~20 whole runs; a second copy sees a settled one."""
    for _ in range(10):
        try:
            return dict(os.environ)
        except RuntimeError:
            continue
    return dict(os.environ)


@contextmanager
def _working_directory(cwd: str | Path | None) -> Iterator[None]:
    saved = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        yield
    finally:
        os.chdir(saved)


@contextmanager
def _streams(data: bytes, stdout: io.TextIOWrapper, stderr: io.TextIOWrapper) -> Iterator[None]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace")
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextmanager
def _root_logger() -> Iterator[None]:
    """An empty root logger for the call, so `logging.basicConfig` in `main` installs its
    handler on the captured stderr; pytest's own handlers are put back afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers = []
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = saved_handlers
        root.setLevel(saved_level)


# The KNOWLEDGE_PATH value and the state of its files at the previous call, and the caches'
# miss counts after it. Most callers ask for `default_matcher()` without a path, which caches
# the first KNOWLEDGE_PATH a process saw (a command process sees one): calls with another value,
# edited files, or after other code of this process built its own (its misses moved) start cold.
_knowledge_seen: list[object] = []


def _cache_misses() -> tuple[int, int]:
    return cached_knowledge_base.cache_info().misses, default_matcher.cache_info().misses


def _forget_changed_knowledge() -> None:
    folder = _knowledge_path()
    seen = (folder, _folder_state(folder) if folder else ())
    if _knowledge_seen != [seen, _cache_misses()]:
        cached_knowledge_base.cache_clear()
        default_matcher.cache_clear()
    _knowledge_seen[:] = [seen]


def _knowledge_path() -> str:
    """KNOWLEDGE_PATH as the command will see it: `main` loads `.env` after this check, and a
    real variable wins over it."""
    from dotenv import dotenv_values

    if "KNOWLEDGE_PATH" in os.environ:
        return os.environ["KNOWLEDGE_PATH"]
    dotenv = Path.cwd() / ".env"
    return (dotenv_values(dotenv).get("KNOWLEDGE_PATH") or "") if dotenv.is_file() else ""


def _remember_cache_misses() -> None:
    _knowledge_seen[1:] = [_cache_misses()]


def _folder_state(folder: str) -> tuple[tuple[str, int, int], ...]:
    found: list[tuple[str, int, int]] = []
    for part in folder.split(os.pathsep):
        root = Path(part)
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in candidates:
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)
