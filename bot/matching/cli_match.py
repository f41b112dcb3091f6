"""`troubleshoot-bot match [--json] [--top N] [--lang ko|en] [TEXT | -]` and `--batch FILE.jsonl`.

Output shapes are the fixed contract of design §3:
    {"matches": [{"id", "title", "score", "confident", "evidence"}], "fingerprint"}
and, per line of a batch, {"id", "matches", "fingerprint"}.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from bot.cli_errors import command_language, file_problem
from bot.cli_errors import t as say
from bot.cli_io import looks_binary, read_text_argument, warn_about_knowledge_problems
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.text_output import render_answer_text

log = logging.getLogger(__name__)


def run_match(args: argparse.Namespace) -> int:
    lang = command_language(args.lang)
    top = args.top
    if top is None or top < 1:
        print(f"match: {say('top_positive', lang)}", file=sys.stderr)
        return 2
    matcher = default_matcher()
    warn_about_knowledge_problems(matcher.kb.problems, lang)
    if args.batch:
        if args.text is not None:
            print(f"match: {say('text_or_batch', lang)}", file=sys.stderr)
            return 2
        return _run_batch(Path(args.batch), matcher, top=top, lang=lang)
    text = read_text_argument(args.text)
    try:
        result = matcher.match(text, top=top, lang=lang)
    except Exception as error:  # a bug in the matcher: one line here, the trace with -v
        log.debug("the matcher failed", exc_info=error)
        print(f"match: {say('matcher_failed', lang, kind=type(error).__name__)}",
              file=sys.stderr)
        return 1
    if args.json:  # the contract's shape even for an empty paste: scripts parse every answer
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    if not text.strip():
        print(f"match: {say('nothing_to_match', lang)}", file=sys.stderr)
        return 2
    if looks_binary(text):  # as `ask` does: "no known fix" would read as a verdict on it
        print(f"match: {say('binary', lang)}", file=sys.stderr)
        return 2
    sys.stdout.write(render_answer_text(result, matcher.kb, lang))
    return 0


def _run_batch(path: Path, matcher: Matcher, *, top: int, lang: str) -> int:
    """One JSON line out per line in. A bad line is reported on stderr and answered with an
    `error` line (no matches), so the output still lines up with the input."""
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8", errors="replace")
    except OSError as error:
        print(f"match: {file_problem(path, error, lang)}", file=sys.stderr)
        return 2
    problems = 0
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                problems += 1
                _bad_line(path, number, None, f"not JSON: {error.msg}")
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                problems += 1
                _bad_line(path, number, item.get("id") if isinstance(item, dict) else None,
                          'needs a "text" string')
                continue
            try:
                result = matcher.match(item["text"], top=top, lang=lang)
            except Exception as error:  # one input's bug must not cost the rest of the batch
                log.debug("the matcher failed on line %d", number, exc_info=error)
                problems += 1
                _bad_line(path, number, item.get("id"), matcher_failure(error))
                continue
            output = {"id": item.get("id"), **result.to_json()}
            sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
    return 1 if problems else 0


def matcher_failure(error: Exception) -> str:
    return (f"the matcher failed on this paste ({type(error).__name__}); this is a bug: run "
            "with -v for the trace and report it")


def _bad_line(path: Path, number: int, item_id: object, problem: str) -> None:
    print(f"match: {path}:{number}: {problem}", file=sys.stderr)
    output = {"id": item_id, "line": number, "error": problem, "matches": [], "fingerprint": ""}
    sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
