"""The lines that state an answer's history, shared by every renderer.

A surface passes its `Markup` (how it shows a person, a stored note, a summary); the words and
the facts come from here, so that Slack and the terminal cannot disagree again ("first time
seen" on one, "recurrence of #N" on the other).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers.models import IncidentFacts
from bot.answers.strings import t
from bot.incidents.models import STATUS_OPEN
from bot.incidents.service import SimilarIncident
from bot.mrkdwn import escape
from bot.redaction import redact
from bot.textcut import shorten

NOTE_CHARS = 200
SUMMARY_CHARS = 120


def _cut(text: str, limit: int) -> str:
    return shorten(" ".join(text.split()), limit)


def plain_ref(incident_id: int) -> str:
    return f"#{incident_id}"


@dataclass(frozen=True)
class Markup:
    """How a surface shows the parts that are not words of ours."""

    mention: Callable[[str], str]  # a user id: "@alice" in a terminal, "<@U123>" in Slack
    note: Callable[[str], str]  # a stored resolution note (redacted, escaped for the surface)
    summary: Callable[[str], str]  # a stored incident summary (a redacted error line)
    # An incident number: "#2"; in Slack a link to the incident's thread where the reader may
    # see it (bot.slack.permalinks).
    incident: Callable[[int], str] = plain_ref


PLAIN = Markup(mention=lambda user: f"@{user}",
               note=lambda note: _cut(redact(note), NOTE_CHARS),
               summary=lambda summary: _cut(redact(summary), SUMMARY_CHARS))

# Slack's mrkdwn, for the Slack answer (bot.slack.render) and the log result (bot.logs.render,
# which may not import bot.slack): people's notes shown as written, never as a mention or link.
MRKDWN = Markup(mention=lambda user: f"<@{user}>",
                note=lambda note: escape(redact(note)),
                summary=lambda summary: escape(_cut(redact(summary).replace("`", "'"),
                                                    SUMMARY_CHARS)))


def recorded_line(incident: IncidentFacts, lang: str, markup: Markup = PLAIN) -> str:
    """"Incident #10 recorded · recurrence of #2", "Incident #1 · seen 3 times", ..."""
    parts = [t("incident_recorded" if incident.is_new else "incident", lang,
               ref=markup.incident(incident.id))]
    if incident.occurrences > 1:
        parts.append(t("seen_times", lang, count=incident.occurrences))
    elif not incident.recurs:
        parts.append(t("first_time", lang))
    if incident.recurrence_of is not None:
        parts.append(t("recurrence_of", lang, ref=markup.incident(incident.recurrence_of)))
    return " · ".join(parts)


def similar_line(item: SimilarIncident, lang: str, markup: Markup = PLAIN) -> str:
    """One similar past incident: how it was fixed, else whether it is still open."""
    if item.resolution_note:
        who = markup.mention(item.resolved_by) if item.resolved_by else t("someone", lang)
        return t("similar_resolved", lang, ref=markup.incident(item.id),
                 count=item.occurrences, who=who, note=markup.note(item.resolution_note))
    key = "similar_open" if item.status == STATUS_OPEN else "similar_closed"
    return t(key, lang, ref=markup.incident(item.id), count=item.occurrences,
             summary=markup.summary(item.summary or "") or "-")


def last_fix_line(item: SimilarIncident, lang: str, markup: Markup = PLAIN) -> str:
    """"Last fixed by @mina: added a gpupool node pool (#2, 6×)"."""
    who = markup.mention(item.resolved_by) if item.resolved_by else t("someone", lang)
    return t("last_fix", lang, who=who, note=markup.note(item.resolution_note or ""),
             ref=markup.incident(item.id), count=item.occurrences)
