"""The answer in a terminal (`troubleshoot-bot ask`): the match, then its history, plain text.

The match part is the one `troubleshoot-bot match` prints (bot.matching.text_output); the
history lines are the ones every surface shares (bot.answers.lines).
"""

from __future__ import annotations

from bot.answers.lines import PLAIN, last_fix_line, recorded_line, similar_line
from bot.answers.models import Answer
from bot.answers.strings import t
from bot.knowledge.model import KnowledgeBase
from bot.matching.text_output import render_answer_text


def render_terminal(answer: Answer, kb: KnowledgeBase) -> str:
    """The whole answer; ends with a newline."""
    lang = answer.context.language
    lines = [render_answer_text(answer.result, kb, lang).rstrip("\n"), ""]
    lines += history_lines(answer)
    return "\n".join(lines) + "\n"


def history_lines(answer: Answer) -> list[str]:
    """The incident, the last fix and the similar incidents, one per line."""
    lang = answer.context.language
    if answer.incident is None:
        return [t("history_unavailable", lang)] if answer.history_unavailable else []
    lines = [recorded_line(answer.incident, lang)]
    if answer.last_fix is not None:
        lines.append(last_fix_line(answer.last_fix, lang, PLAIN))
    if answer.similar:
        lines.append(t("similar", lang) + ":")
        lines += [f"  - {similar_line(item, lang, PLAIN)}" for item in answer.similar]
    return lines
