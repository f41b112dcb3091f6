"""The platform-neutral answer use case: `answer(paste, context) -> Answer`.

Slack, the terminal (`troubleshoot-bot ask`), log diagnosis, the deployment watcher and the
alerts endpoint all call `answer()` and render the `Answer` it returns: Slack blocks in
`bot.slack.render`, terminal text in `bot.answers.terminal`. Nothing in this package imports
`bot.slack` (tests/test_import_contract.py keeps it so).
"""

from bot.answers.history import attach_thread
from bot.answers.models import SOURCES, Answer, AnswerContext, IncidentFacts
from bot.answers.service import answer

__all__ = ["SOURCES", "Answer", "AnswerContext", "IncidentFacts", "answer", "attach_thread"]
