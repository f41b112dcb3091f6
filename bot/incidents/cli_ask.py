"""`troubleshoot-bot ask [TEXT | -]`: what the bot does for a paste, in a terminal.

Match the paste, record it as an occurrence (workspace "local", source "cli", user $USER), then
print the answer, the incident it joined and similar past incidents with how they were fixed.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.cli_io import read_text_argument, warn_about_knowledge_problems
from bot.incidents.cli_incidents import current_user
from bot.incidents.cli_support import fail
from bot.incidents.service import Recorded, record_occurrence, similar_incident_line
from bot.redaction import sanitize
from bot.settings import settings
from bot.storage import database_error_reason, database_url, session_scope
from bot.storage.check import database_problem

LOCAL_WORKSPACE = "local"
EMPTY_EXIT_CODE = 2
# A paste where more than this share of characters are control bytes or undecodable is not text.
BINARY_SHARE = 0.10

_LABELS = {
    "en": {"incident": "Incident #{id} — seen {count}", "once": "once", "times": "{n} times",
           "new": "new", "recurrence": "recurrence of #{id}", "similar": "Similar past incidents:"},
    "ko": {"incident": "인시던트 #{id} — {count}", "once": "처음 발생", "times": "{n}회 발생",
           "new": "새 인시던트", "recurrence": "#{id}의 재발", "similar": "비슷한 과거 인시던트:"},
}


def looks_binary(text: str) -> bool:
    sample = text[:100_000]
    odd = sum(1 for char in sample
              if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\f\v"))
    return odd > len(sample) * BINARY_SHARE


def run_ask(args: argparse.Namespace) -> int:
    text = read_text_argument(args.text)
    if not text.strip():
        return fail("nothing to ask about: give the error as TEXT, or paste it on standard "
                    "input with `-`", EMPTY_EXIT_CODE)
    if looks_binary(text):
        return fail("that looks like binary data, not an error message: paste the error text "
                    "or the log lines around it", EMPTY_EXIT_CODE)
    text = sanitize(text)  # the one pass, before matching, storing or printing
    lang = args.lang or settings().bot_language
    url = database_url()
    if problem := database_problem(url):
        return fail(problem)

    from bot.matching.text_output import render_answer_text
    from bot.teaching.live import current_matcher  # builds the KB index: only when asked

    # The shipped KB plus the team's approved entries in this database.
    matcher = current_matcher(url, settings().knowledge_path)
    warn_about_knowledge_problems(matcher.kb.problems)
    result = matcher.match(text, lang=lang)
    try:
        with session_scope(url) as session:
            recorded = record_occurrence(session, workspace=LOCAL_WORKSPACE, source="cli",
                                         text=text, result=result, user=current_user())
    except SQLAlchemyError as error:
        # The answer is still worth having when the history cannot be written.
        sys.stdout.write(render_answer_text(result, matcher.kb, lang))
        reason = database_error_reason(error)
        return fail(f"the answer above was not recorded: {reason}")
    sys.stdout.write(render_answer_text(result, matcher.kb, lang))
    print()
    print(incident_lines(recorded, lang))
    return 0


def incident_lines(recorded: Recorded, lang: str) -> str:
    labels = _LABELS.get(lang, _LABELS["en"])
    count = (labels["once"] if recorded.occurrences == 1
             else labels["times"].format(n=recorded.occurrences))
    head = labels["incident"].format(id=recorded.incident_id, count=count)
    if recorded.is_new_incident and recorded.previous_incident_id:
        head += f" ({labels['recurrence'].format(id=recorded.previous_incident_id)})"
    elif recorded.is_new_incident:
        head += f" ({labels['new']})"
    lines = [head]
    if recorded.similar:
        lines.append(labels["similar"])
        lines += [f"  - {similar_incident_line(similar, lang=lang)}"
                  for similar in recorded.similar]
    return "\n".join(lines)
