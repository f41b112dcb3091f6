"""`answer(paste, context) -> Answer`: what the bot does for a paste, on every surface.

Match (unless the surface already did), record the occurrence (or keep it in the outbox when the
database is down), then find the similar incidents the context's audience may see and the last
fix of this problem. No rendering and no platform here: Slack, the terminal, log diagnosis and
the deployment watcher each render the same `Answer`.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.history import past_for, record_or_keep, split_last_fix
from bot.answers.models import Answer, AnswerContext, IncidentFacts
from bot.incidents.seen import Seen
from bot.matching.matcher import Matcher
from bot.matching.result import MatchResult
from bot.redaction import sanitize
from bot.settings import settings
from bot.storage import database_url as default_database_url
from bot.teaching.live import current_matcher

MAX_MATCH_CHARS = 200_000  # beyond this a paste is a log dump; its head and tail hold the error
TOP_MATCHES = 3


def answer(paste: str, context: AnswerContext, *, database_url: str | None = None,
           matcher: Matcher | None = None, result: MatchResult | None = None,
           outbox: bool = True) -> Answer:
    """The answer to `paste` in `context`.

    `result`: the surface's own match of this paste (watch mode matches first to decide whether
    to speak; log diagnosis picks the episode that shows the problem), reused as it is.
    Exceptions from the matcher and from the database (other than an outage) reach the caller:
    each surface says sorry in its own way. `outbox=False`: an outage reaches the caller too
    (the command line, which has no flusher, says the answer was not recorded).
    """
    url = database_url or default_database_url()
    if result is None:
        # The whole paste: the matcher redacts it first and bounds its own work.
        # The team's approved entries answer on every surface, not only where Slack passes
        # its matcher (bot.teaching.live: shipped entries plus the database's, kept current).
        matcher = matcher or current_matcher(url, settings().knowledge_path)
        result = matcher.match(paste, top=TOP_MATCHES, lang=context.language)
    text = bounded(sanitize(paste))  # secrets out of the whole text before any cut
    kept = record_or_keep(url, context, text, result, outbox=outbox)
    if kept.incident is None:
        return Answer(context=context, result=result, text=text, history_unavailable=True,
                      outbox_key=kept.outbox_key)
    if context.audience is None:  # readers unknown: no past incidents, not even their number
        return Answer(context=context, result=result, text=text,
                      incident=replace(kept.incident, recurrence_of=None))
    past = past_for(url, context, text, result, incident=kept.incident,
                    audience=context.audience)
    incident = kept.incident if past.recurrence_visible else replace(kept.incident,
                                                                    recurrence_of=None)
    if past.seen is not None:
        incident = as_seen_here(incident, past.seen)
    last_fix, others = split_last_fix(past.similar, recurrence_of=incident.recurrence_of)
    return Answer(context=context, result=result, text=text, incident=incident,
                  similar=others, last_fix=last_fix)


def as_seen_here(incident: IncidentFacts, seen: Seen) -> IncidentFacts:
    """The incident's facts as the answer's readers may see them: pastes in channels they may
    not see are not counted (a first paste here is new here), and the owner, who may have taken
    it in such a channel, is not named."""
    occurrences = max(seen.occurrences, 1)
    return replace(incident, occurrences=occurrences,
                   is_new=incident.is_new or occurrences == 1,
                   owner=incident.owner if seen.everywhere else None)


def bounded(text: str) -> str:
    """A paste as stored: its head and tail when it is a log dump (the error is at one end)."""
    if len(text) <= MAX_MATCH_CHARS:
        return text
    half = MAX_MATCH_CHARS // 2
    return text[:half] + "\n...\n" + text[-half:]
