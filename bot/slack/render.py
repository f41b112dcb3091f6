"""What the bot's messages, modals and Home tab look like: pure functions from results to Block Kit.

Everything that shows user-provided or stored text passes it through `redact()` here, the last
step before Slack, so that no caller can forget.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.answers.lines import MRKDWN, last_fix_line, recorded_line, similar_line
from bot.answers.models import Answer
from bot.answers.strings import t as answers_t
from bot.knowledge.model import Entry, KnowledgeBase
from bot.matching.error_lines import is_error_line, only_chat
from bot.matching.result import Match, MatchResult
from bot.matching.text_output import unread_note
from bot.redaction import redact
from bot.slack import blocks as bk
from bot.slack.cards import (
    FEEDBACK_BLOCK,
    NEXT_STEP_BLOCK,
    answer_controls,
    cannot_tell,
    next_step_line,
    render_card_blocks,
    state_block,
    step_blocks,
)
from bot.slack.i18n import t
from bot.slack.permalinks import NO_LINKS, IncidentLinks
from bot.slack.subcommands import Subcommand

# The buttons of answers posted before the 👍/👎 feedback buttons (still in channels' history,
# still answered: bot.slack.listeners.actions).
ACTION_HELPFUL = "feedback_helpful"
ACTION_WRONG = "feedback_wrong"
ACTION_SHOW_FIX = "show_candidate_fix"  # a candidate's cause and steps, to the clicker
ACTION_THIS_ONE = "candidate_is_it"  # the shown candidate was the problem
ACTION_SET_LANGUAGE = "set_language"
RESOLVE_MODAL = "resolve_incident_modal"
NOTE_BLOCK = "note"
NOTE_ACTION = "note_input"
FEEDBACK_LOG_BLOCK = "feedback_log"
MAX_HOME_INCIDENTS = 30


@dataclass(frozen=True)
class Message:
    text: str  # the fallback every message needs
    blocks: list[bk.Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


# ----- the answer to a paste

def render_answer(answer: Answer, kb: KnowledgeBase, *, user: str | None = None,
                  logs_offered: bool = True, on_card: bool = False,
                  links: IncidentLinks = NO_LINKS) -> Message:
    """The full answer: a known problem with all its steps, or an honest "no known fix" with
    candidates and a next step.

    `on_card`: it is the thread reply under a compact card (bot.slack.cards), which already
    carries the state and the buttons. The history lines (incident, recurrence, last fix,
    similar incidents) are the ones every surface states (bot.answers.lines), in Slack's markup,
    each incident number linked to its thread where `links` has it (bot.slack.permalinks).
    """
    result, lang = answer.result, answer.context.language
    # A likely match is shown too, tentatively ("probably ..."), not as "no known fix".
    shown = answer.shown_match
    tentative = result.answer is None
    entry = kb.get(shown.entry_id) if shown else None
    incident_id = answer.incident.id if answer.incident else None
    blocks: list[bk.Block] = []
    if not on_card and (state := state_block(answer.incident, lang, links=links)) is not None:
        blocks.append(state)
    if shown and entry:
        blocks += _known_blocks(shown, entry, result, kb, lang, incident_id,
                                tentative=tentative)
    else:
        blocks += _unknown_blocks(result, kb, lang, incident_id, logs_offered=logs_offered)
    blocks += _history_blocks(answer, lang, links)
    context_lines = [t("reported_by", lang, user=user)] if user and not on_card else []
    if note := unread_note(result, lang):
        context_lines.append(note)
    if answer.history_unavailable:
        context_lines.insert(0, ":warning: " + answers_t("history_unavailable", lang))
    if answer.incident:
        line = recorded_line(answer.incident, lang, links.markup(MRKDWN))
        context_lines.insert(0, line if entry else f"{line}. {t('unknown_hint', lang)}")
    if context_lines:
        blocks.append(bk.context(*context_lines, id_=f"incident:{incident_id}"))
    if not on_card:
        blocks += answer_controls(entry_id=entry.id if entry else None, incident_id=incident_id,
                                  lang=lang, logs_offered=logs_offered)
    return Message(bk.fallback(_answer_text(answer, entry, lang)), bk.cap_blocks(blocks))


def render_card(answer: Answer, kb: KnowledgeBase, *, user: str | None = None,
                logs_offered: bool = True, links: IncidentLinks = NO_LINKS) -> Message:
    """The compact card a channel sees (bot.slack.cards); the full answer goes in its thread."""
    lang = answer.context.language
    shown = answer.shown_match
    entry = kb.get(shown.entry_id) if shown else None
    incident_id = answer.incident.id if answer.incident else None
    lines = [t("reported_by", lang, user=user)] if user else []
    if answer.history_unavailable:
        lines.insert(0, ":warning: " + answers_t("history_unavailable", lang))
    controls = answer_controls(entry_id=entry.id if entry else None, incident_id=incident_id,
                               lang=lang, logs_offered=logs_offered)
    blocks = render_card_blocks(answer, kb, controls=controls, context_lines=lines,
                                logs_offered=logs_offered, links=links)
    return Message(bk.fallback(_answer_text(answer, entry, lang)), blocks)


def _answer_text(answer: Answer, entry: Entry | None, lang: str) -> str:
    """The notification's text: the title and cause, or "no known fix"; and the incident."""
    if entry:
        text = f"{entry.title_in(lang)}: {_summary(entry, lang)}"
        if answer.result.answer is None:
            text = t("probably_text", lang, text=text)
    else:
        text = t(cannot_tell(answer.result) or "no_known_fix", lang).replace(
            "*", "").replace(":thinking_face: ", "")
    if answer.incident:
        text += f" ({recorded_line(answer.incident, lang)})"
    return text


def _summary(entry: Entry, lang: str) -> str:
    body = entry.body_in(lang)
    return bk.markdown_to_mrkdwn(body.summary) if body else ""


def _known_blocks(answer: Match, entry: Entry, result: MatchResult, kb: KnowledgeBase,
                  lang: str, incident_id: int | None, *, tentative: bool = False
                  ) -> list[bk.Block]:
    """The answer's blocks; a tentative (likely) one says "probably", shows the cause and the
    first step only, and lists the other candidates."""
    if tentative:
        blocks: list[bk.Block] = [bk.section(
            t("probably", lang, title=bk.escape(entry.title_in(lang))), id_=f"likely:{entry.id}")]
    else:
        blocks = [bk.header(entry.title_in(lang), id_=f"answer:{entry.id}")]
    if entry.body_in(lang):
        blocks.append(bk.section(f"{t('cause', lang)}\n{_summary(entry, lang)}",
                                 id_=f"cause:{entry.id}"))
        if tentative:  # this is the thread: the other steps are one click away, not "there"
            blocks += step_blocks(entry, lang, first_only=True, rest_key="more_steps_show_fix",
                                  accessory=_show_fix_button(entry.id, lang, incident_id))
        else:
            blocks += step_blocks(entry, lang, first_only=False)
    details = []
    if entry.source:
        details.append(t("guide_line", lang, url=entry.source, label=t("guide", lang)))
    details.append(t("entry_id", lang, entry_id=entry.id))
    blocks.append(bk.context(*details, id_=f"source:{entry.id}"))
    if answer.evidence and only_chat(answer.evidence):  # the question itself: not evidence
        blocks.append(bk.context(t("from_description", lang),
                                 id_=f"evidence:{entry.id}"))
    elif answer.evidence:
        blocks.append(bk.context(t("matched", lang, evidence=_evidence(answer.evidence)),
                                 id_=f"evidence:{entry.id}"))
    others = [match for match in result.matches[1:] if tentative or match.confident]
    if others:
        blocks.append(bk.section(t("also_possible", lang), id_="also"))
        blocks += [_candidate_block(match, kb, lang, incident_id) for match in others]
    return blocks


def _candidate_block(match: Match, kb: KnowledgeBase, lang: str,
                     incident_id: int | None) -> bk.Block:
    """A candidate: its title, and its fix on demand ("Show fix"). No score: it means nothing
    to a reader, and a fix never shown cannot be confirmed."""
    line = t("candidate_line", lang, title=bk.escape(_match_title(match, kb, lang)),
             entry_id=match.entry_id)
    return bk.section(line, id_=f"candidate:{match.entry_id}",
                      accessory=_show_fix_button(match.entry_id, lang, incident_id))


def _show_fix_button(entry_id: str, lang: str, incident_id: int | None) -> bk.Block:
    """An entry's cause and every step, shown to whoever clicks, with "This is it"."""
    return bk.button(t("button_show_fix", lang), action_id=ACTION_SHOW_FIX,
                     value={"incident_id": incident_id, "entry_id": entry_id})


def _unknown_blocks(result: MatchResult, kb: KnowledgeBase, lang: str,
                    incident_id: int | None, *, logs_offered: bool) -> list[bk.Block]:
    """No known fix: the closest candidates (with what each matched), and a next step. Nothing
    is called "matched" when nothing matched: a paste's own line is not evidence."""
    candidates = list(result.matches[:3])
    # "could this be OOM?", or nothing shows a deployment: the bot cannot tell from the paste
    reason = cannot_tell(result)
    blocks: list[bk.Block] = [bk.section(t(reason or "no_known_fix", lang), id_="no_known_fix")]
    if not candidates:
        blocks.append(bk.context(t("no_candidates", lang)))
    else:
        blocks.append(bk.section(t("worth_checking" if reason else "candidates", lang)))
        # No "matched:" under a candidate: below the answer threshold its best line is
        # usually the paste itself, not evidence of anything.
        blocks += [_candidate_block(match, kb, lang, incident_id) for match in candidates]
    # What the bot read as the error, so the reader can tell whether it read the right line;
    # not called "matched" (nothing did), and never a chat line ("배포 실패했습니다 ㅠ").
    if result.summary_line and is_error_line(result.summary_line):
        blocks.append(bk.context(t("error_line_read", lang,
                                   line=_evidence(result.summary_line)), id_="error_line"))
    blocks.append(bk.section(next_step_line(lang, logs_offered=logs_offered),
                             id_=NEXT_STEP_BLOCK))
    if incident_id is not None:
        # The team can say which entry it was (or a new problem): bot/slack/render_teaching.
        from bot.slack.render_teaching import entry_picker

        blocks += entry_picker(kb, incident_id=incident_id, lang=lang,
                               first=[match.entry_id for match in candidates]).blocks
    return blocks


def _history_blocks(answer: Answer, lang: str, links: IncidentLinks = NO_LINKS
                    ) -> list[bk.Block]:
    markup = links.markup(MRKDWN)
    lines = []
    if answer.last_fix is not None:
        lines.append(":wrench: " + last_fix_line(answer.last_fix, lang, markup))
    if answer.similar:
        lines.append(f"*{answers_t('similar', lang)}*")
        # The number (and its link) comes first, so a cut at the end never breaks the link.
        lines += ["• " + bk.truncate(similar_line(item, lang, markup), 400)
                  for item in answer.similar]
    return [bk.section("\n".join(lines), id_="similar")] if lines else []


def _evidence(text: str, limit: int = 300) -> str:
    return bk.inline_code(redact(text), limit)


def _match_title(match: Match, kb: KnowledgeBase, lang: str) -> str:
    entry = kb.get(match.entry_id)
    return entry.title_in(lang) if entry else match.title


# ----- updates to an answer after a click

def with_feedback(blocks: list[bk.Block], *, user: str, helpful: bool, lang: str
                  ) -> list[bk.Block]:
    """The answer's blocks with this person's vote shown (a second click replaces the first).
    A vote says whether the answer helped; it never says the incident is resolved."""
    line = t("feedback_helpful" if helpful else "feedback_wrong", lang, user=user)
    updated = [dict(block) for block in blocks]
    log = next((block for block in updated if block.get("block_id") == FEEDBACK_LOG_BLOCK), None)
    mention = f"<@{user}>"
    if log is None:
        log = bk.context(line, id_=FEEDBACK_LOG_BLOCK)
        updated.insert(_before_buttons(updated), log)
    else:
        kept = [element for element in log["elements"]
                if not element.get("text", "").startswith(mention)]
        log["elements"] = ([*kept, bk.mrkdwn(line)])[-bk.MAX_CONTEXT_ELEMENTS:]
    return bk.cap_blocks(updated)


def _before_buttons(blocks: list[bk.Block]) -> int:
    """Right above the 👍/👎 row, else above the last row of buttons."""
    for index, block in enumerate(blocks):
        if str(block.get("block_id", "")).startswith(FEEDBACK_BLOCK + ":"):
            return index
    for index in range(len(blocks) - 1, -1, -1):
        if blocks[index].get("type") == "actions":
            return index
    return len(blocks)


# ----- a candidate's fix, on demand

def render_candidate_fix(entry: Entry, *, incident_id: int | None, lang: str) -> Message:
    """What "Show fix" shows the person who asked: the candidate's cause and every step, and
    "This is it" to record it as the answer (when there is an incident to record it on)."""
    title = entry.title_in(lang)
    blocks: list[bk.Block] = [bk.section(t("candidate_fix_title", lang, title=bk.escape(title)),
                                         id_=f"candidate_fix:{entry.id}")]
    if entry.body_in(lang):
        blocks.append(bk.section(f"{t('cause', lang)}\n{_summary(entry, lang)}",
                                 id_=f"cause:{entry.id}"))
        blocks += step_blocks(entry, lang, first_only=False)
    if entry.source:
        blocks.append(bk.context(t("guide_line", lang, url=entry.source, label=t("guide", lang)),
                                 id_=f"source:{entry.id}"))
    if incident_id is not None:
        blocks.append(bk.actions(bk.button(
            t("button_this_one", lang), action_id=ACTION_THIS_ONE, style="primary",
            value={"incident_id": incident_id, "entry_id": entry.id}),
            id_=f"this_one:{incident_id}:{entry.id}"))
    return Message(bk.fallback(f"{title}: {_summary(entry, lang)}"), bk.cap_blocks(blocks))


def with_choice_recorded(blocks: Sequence[bk.Block], *, lang: str, proposed: bool
                         ) -> list[bk.Block]:
    """The shown fix once "This is it" was pressed: the button gives way to what it did
    (`proposed`: a proposal to teach the entry was posted in the incident's thread)."""
    kept = [dict(block) for block in blocks if block.get("type") != "actions"]
    said = t("candidate_chosen" if proposed else "candidate_chosen_only", lang)
    return [*kept, bk.context(said, id_="candidate_chosen")]


def resolve_modal(*, incident_id: int, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": RESOLVE_MODAL,
        "private_metadata": json.dumps(metadata, separators=(",", ":"))[:3000],
        "title": bk.plain(t("modal_title", lang)),
        "submit": bk.plain(t("modal_submit", lang)),
        "close": bk.plain(t("modal_cancel", lang)),
        "blocks": [
            bk.section(t("modal_intro", lang, id=incident_id)),
            {"type": "input", "block_id": NOTE_BLOCK, "optional": True,
             "label": bk.plain(t("modal_note_label", lang)),
             "element": {"type": "plain_text_input", "action_id": NOTE_ACTION,
                         "multiline": True, "max_length": 2000,
                         "placeholder": bk.plain(t("modal_note_placeholder", lang))}},
        ],
    }


# ----- replies to sub-commands

def render_help(lang: str, subcommands: Iterable[Subcommand]) -> Message:
    """Every sub-command of the app's registry, in its order, with its Korean word in Korean."""
    lines = [t("help_title", lang), "", f"• {t('help_paste', lang)}"]
    lines += [f"• {_subcommand_help(sub, lang)}" for sub in subcommands]
    lines += ["", t("help_mention", lang)]
    return Message(bk.fallback(t("help_title", lang).replace("*", "")),
                   [bk.section("\n".join(lines), id_="help")])


def _subcommand_help(sub: Subcommand, lang: str) -> str:
    text = sub.help(lang)
    if text.startswith(f"`{sub.name}"):  # it shows its own usage: complete it to the command
        text = "`/troubleshoot " + text[1:]
    elif not text.startswith("`/troubleshoot"):
        text = f"`/troubleshoot {sub.name}` — {text}"
    korean = [alias for alias in sub.aliases if any("가" <= ch <= "힣" for ch in alias)]
    if lang == "ko" and korean:
        text += f" (`{korean[0]}`)"
    return text


def render_incidents(incidents: Sequence[Any], kb: KnowledgeBase, lang: str, *,
                     workspace_scope: bool, hidden: int = 0,
                     links: IncidentLinks = NO_LINKS) -> Message:
    """`hidden`: open incidents of private channels and DMs, counted but never shown here."""
    scope = t("scope_workspace" if workspace_scope else "scope_channel", lang)
    private_note = [t("private_not_listed", lang, count=hidden)] if hidden else []
    if not incidents:
        text = "\n".join([t("incidents_none", lang, scope=scope), *private_note])
        return Message(bk.fallback(text), [bk.section(text)])
    lines = [t("incidents_title", lang, scope=scope)]
    lines += [incident_line(incident, kb, lang, links) for incident in incidents] + private_note
    return Message(bk.fallback(lines[0].replace("*", "")),
                   bk.cap_blocks(bk.sections("\n".join(lines), id_prefix="incidents")))


def incident_line(incident: Any, kb: KnowledgeBase, lang: str,
                  links: IncidentLinks = NO_LINKS) -> str:
    entry = kb.get(incident.entry_id) if incident.entry_id else None
    if entry:
        title = entry.title_in(lang)
    else:
        summary = redact(incident.summary or "")
        title = f"`{bk.inline_code(summary, 100)}`" if summary.strip() else t("unknown_error",
                                                                              lang)
    line = "• " + t("incident_line", lang, ref=links.ref(incident.id), title=title,
                    count=incident.occurrence_count, last=slack_date(incident.last_seen))
    if incident.channel:
        line += f" · <#{incident.channel}>"
    return line


def slack_date(moment: datetime | None) -> str:
    """A date every reader sees in their own time zone (Slack's <!date> token)."""
    if moment is None:
        return "-"
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are stored in UTC
        moment = moment.replace(tzinfo=UTC)
    fallback_text = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback_text}>"


def render_text(text: str) -> Message:
    return Message(bk.fallback(text), [bk.section(text)])


def render_resolved(*, incident_id: int, user: str, note: str, lang: str) -> Message:
    shown = bk.escape(redact(note)) if note.strip() else t("resolved_no_note", lang)
    return render_text(t("resolve_done", lang, id=incident_id, user=user, note=shown))


def render_apology(reference: str, lang: str) -> Message:
    return render_text(t("apology", lang, ref=reference))


def render_progress(lang: str, size: int | None = None) -> Message:
    text = t("working_long", lang, size=f"{size:,}") if size else t("working", lang)
    return Message(bk.fallback(text), [bk.context(text, id_="progress")])


# ----- the Home tab

def render_home(incidents: Sequence[Any], kb: KnowledgeBase, *, lang: str,
                default_lang: str, hidden: int = 0,
                links: IncidentLinks = NO_LINKS) -> dict[str, Any]:
    """`hidden`: open incidents of private channels and DMs, counted but never shown here."""
    blocks: list[bk.Block] = [
        bk.header(t("home_title", lang)),
        bk.section(t("home_language", lang,
                     default=t(f"language_name_{default_lang}", lang)), id_="language"),
        bk.actions(
            bk.button(t("home_use_en", lang), action_id=f"{ACTION_SET_LANGUAGE}_en", value="en",
                      style="primary" if lang == "en" else None),
            bk.button(t("home_use_ko", lang), action_id=f"{ACTION_SET_LANGUAGE}_ko", value="ko",
                      style="primary" if lang == "ko" else None),
            id_="language_buttons"),
        bk.divider(),
        bk.section(t("home_open", lang)),
    ]
    if not incidents:
        blocks.append(bk.section(t("home_none", lang)))
    shown = list(incidents)[:MAX_HOME_INCIDENTS]
    for incident in shown:
        blocks.append(bk.section(incident_line(incident, kb, lang, links),
                                 id_=f"home:{incident.id}"))
    if len(incidents) > len(shown):
        blocks.append(bk.context(t("home_more", lang, count=len(incidents) - len(shown))))
    if hidden:
        blocks.append(bk.context(t("private_not_listed", lang, count=hidden)))
    return {"type": "home", "blocks": blocks[:100]}


def blocks_as_text(blocks: Sequence[bk.Block]) -> str:
    """A plain-text view of blocks, for logs, the CLI and the README transcript."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("header", "section") and "text" in block:
            lines.append(block["text"]["text"])
        elif kind == "context":
            lines.append("  ".join(element.get("text", "") for element in block["elements"]))
        elif kind == "actions":
            lines.append(" ".join(f"[{element['text']['text']}]"
                                  for element in block["elements"]))
        elif kind == "context_actions":  # feedback buttons: [👍] [👎]
            lines.append(" ".join(f"[{element[side]['text']['text']}]"
                                  for element in block["elements"]
                                  for side in ("positive_button", "negative_button")
                                  if side in element))
        elif kind == "divider":
            lines.append("---")
        if kind == "section" and block.get("accessory", {}).get("type") == "button":
            lines[-1] += f"  [{block['accessory']['text']['text']}]"
    return "\n".join(lines)
