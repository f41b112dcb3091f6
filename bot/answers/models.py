"""What the answer use case takes and gives: the context of a paste and the `Answer` to it.

Every surface (Slack, the terminal, log diagnosis, the deployment watcher, alerts) builds an
`AnswerContext`, calls `bot.answers.answer()` and renders the `Answer` it gets back. The facts
live here once, so the surfaces cannot disagree about them: the incident number, whether it is a
recurrence of an earlier one, the similar incidents this audience may see, the last fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.incidents.audience import Audience
from bot.incidents.service import SimilarIncident
from bot.matching.result import Match, MatchResult

# Where a paste came from: stored on its occurrence, and read by the surfaces (a slash command
# names who reported it, watch mode speaks only when sure).
SOURCES = ("slash", "mention", "shortcut", "watch", "cli", "logs", "alert", "deploy")


@dataclass(frozen=True)
class AnswerContext:
    """Who asked, where, and who will read the answer.

    `audience` decides which past incidents the answer may show: the Slack layer builds it from
    the channel the answer goes to, the terminal uses `bot.incidents.audience.OPERATOR` (an
    operator reads everything). None shows no past incidents at all: a surface that does not
    know its readers fails closed.
    """

    workspace: str
    source: str
    language: str = "ko"
    user: str | None = None
    channel: str | None = None
    thread_ts: str | None = None  # the thread the incident lives in, when known
    audience: Audience | None = None
    service: str | None = None  # the affected service / endpoint, when the surface knows it


@dataclass(frozen=True)
class IncidentFacts:
    """The incident a paste was recorded in."""

    id: int
    occurrence_id: int
    occurrences: int  # the incident's occurrence count, this paste included
    is_new: bool  # this paste opened it
    status: str
    # The closed incident with the same fingerprint before it, when the audience may see it.
    recurrence_of: int | None = None
    # It recurs after a closed incident, seen or not: an answer that may not name the earlier
    # one says neither "recurrence of #N" nor "first time seen".
    recurs: bool = False
    owner: str | None = None  # who said "I'm on it", if anyone


@dataclass(frozen=True)
class Answer:
    """The answer to one paste, for every surface to render."""

    context: AnswerContext
    result: MatchResult  # the match: tier, evidence, candidates, fingerprint
    text: str  # the paste as matched and stored: redacted and bounded
    incident: IncidentFacts | None = None  # None when history was unavailable
    similar: tuple[SimilarIncident, ...] = field(default=())  # not including last_fix
    last_fix: SimilarIncident | None = None  # how this problem was fixed last time
    history_unavailable: bool = False  # the database was down: the paste waits in the outbox
    outbox_key: str | None = None  # where the paste waits, when it does

    @property
    def fingerprint(self) -> str:
        return self.result.fingerprint

    @property
    def tier(self) -> str:
        """confident / likely / unknown: how sure the answer is."""
        best = self.result.matches[0] if self.result.matches else None
        return best.tier if best else "unknown"

    @property
    def shown_match(self) -> Match | None:
        """The entry presented as the answer: confident, or tentative (likely); None when the
        bot abstains."""
        return self.result.answer or self.result.likely

    @property
    def recurrence_of(self) -> int | None:
        return self.incident.recurrence_of if self.incident else None
