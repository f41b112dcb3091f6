"""`troubleshoot-bot ask [TEXT | -]`: what the bot does for a paste, in a terminal.

The same use case as every other surface (bot.answers): match the paste, record it as an
occurrence (workspace "local", source "cli", user $USER), then print the answer, the incident it
joined (or the one it recurs after), the last fix and similar past incidents. The operator reads
every channel's history (`OPERATOR`).
"""

from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.answers.strings import t
from bot.cli_errors import command_language
from bot.cli_errors import t as say
from bot.cli_io import (
    looks_binary,
    read_text_argument,
    warn_about_knowledge_problems,
)
from bot.incidents.audience import OPERATOR
from bot.incidents.cli_incidents import current_user
from bot.incidents.cli_support import fail
from bot.redaction import sanitize
from bot.settings import settings
from bot.storage import DatabaseUnavailable, database_url
from bot.storage.check import database_problem, database_reason

log = logging.getLogger(__name__)

LOCAL_WORKSPACE = "local"
EMPTY_EXIT_CODE = 2
def run_ask(args: argparse.Namespace) -> int:
    lang = command_language(args.lang)
    text = read_text_argument(args.text)
    if not text.strip():
        return fail(say("nothing_to_ask", lang), EMPTY_EXIT_CODE, lang=lang)
    if looks_binary(text):
        return fail(say("binary", lang), EMPTY_EXIT_CODE, lang=lang)
    text = sanitize(text)  # the one pass, before matching, storing or printing
    url = database_url()
    problem = database_problem(url)
    # A database out of reach costs the history, not the answer (as in Slack): the shipped
    # knowledge base still answers. One never migrated or behind the code is for the operator
    # to fix first, and says so.
    if problem and not problem.unreachable:
        return fail(problem, lang=lang)

    from bot.answers import AnswerContext, answer  # builds the KB index: only when asked
    from bot.answers.terminal import render_terminal
    from bot.matching.matcher import default_matcher
    from bot.matching.text_output import render_answer_text
    from bot.teaching.live import current_matcher  # builds the KB index: only when asked

    # The shipped KB plus the team's approved entries in this database; only the shipped one
    # when the database is out of reach (asking it again is a second wait, and a warning).
    matcher = (default_matcher(settings().knowledge_path) if problem
               else current_matcher(url, settings().knowledge_path))
    warn_about_knowledge_problems(matcher.kb.problems, lang)
    try:
        result = matcher.match(text, lang=lang)
    except Exception as error:  # a bug in the matcher: one line here, the trace with -v
        log.debug("the matcher failed", exc_info=error)
        return fail(say("matcher_failed", lang, kind=type(error).__name__), lang=lang)
    if problem:
        sys.stdout.write(render_answer_text(result, matcher.kb, lang).rstrip("\n") + "\n")
        return fail(t("cli_not_recorded", lang, reason=problem.said_in(lang)), lang=lang)
    context = AnswerContext(workspace=LOCAL_WORKSPACE, source="cli", language=lang,
                            user=current_user(), audience=OPERATOR)
    try:
        # No outbox here: nothing in this process would write it later, so a write the
        # database refuses (a read-only file, a server gone) is said, not hidden.
        answered = answer(text, context, database_url=url, result=result, outbox=False)
    except (SQLAlchemyError, DatabaseUnavailable) as error:
        # The answer is still worth having when the history cannot be written.
        sys.stdout.write(render_answer_text(result, matcher.kb, lang))
        return fail(t("cli_not_recorded", lang, reason=database_reason(error, lang)), lang=lang)
    sys.stdout.write(render_terminal(answered, matcher.kb))
    return 0
