"""The labelled examples the team's feedback produced, for `kb eval --feedback` and `kb train
--feedback`: each taught or approved paste (redacted) with the entry the team chose."""

from __future__ import annotations

from bot.knowledge.evaluation import EvalItem
from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import KnowledgeBase
from bot.settings import settings
from bot.storage import database_url, session_scope
from bot.teaching import service


def feedback_items() -> list[EvalItem]:
    with session_scope(database_url()) as session:
        return [EvalItem(id=str(row["id"]), text=str(row["text"]),
                         expected=str(row["expected"]), source=str(row["source"]))
                for row in service.labelled_examples(session)]


def team_knowledge() -> KnowledgeBase:
    """The KB the labels name: shipped, KNOWLEDGE_PATH and the team's approved knowledge."""
    base = cached_knowledge_base(settings().knowledge_path)
    with session_scope(database_url()) as session:
        return service.team_knowledge_base(session, base)
