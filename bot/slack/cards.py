"""The compact answer card a channel sees, and the state it follows (open, resolved, reopened).

A busy incident channel reads the card in a few seconds: the incident's state and number on top,
the title, one line of cause, how this problem was fixed last time, the first step, what is
affected, the buttons. Everything else (all the steps, the evidence, similar incidents) is the
full answer (bot.slack.render.render_answer), posted as the card's first thread reply.

The state lives in blocks with known ids, so a click can change it in place without the answer:
`state` (marker, incident number, owner), `resolution` (who resolved it, their note), the step
blocks (`fix:*`, folded into a `folded:*` placeholder while resolved), and the buttons.

The controls under an answer are two rows: Slack's feedback buttons (👍/👎, a `context_actions`
block: a vote is about the answer, never the incident's state) and the incident's buttons
(Resolve or Reopen, "I'm on it", Fetch logs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.answers.lines import MRKDWN, last_fix_line
from bot.answers.models import Answer, IncidentFacts
from bot.knowledge.model import Entry, KnowledgeBase
from bot.matching.result import MatchResult
from bot.redaction import redact
from bot.slack import blocks as bk
from bot.slack.i18n import t
from bot.slack.permalinks import NO_LINKS, IncidentLinks, shown_text

ACTION_RESOLVE = "resolve_incident"  # opens the resolution modal (bot.slack.listeners.actions)
ACTION_REOPEN = "reopen_incident"
ACTION_OWN = "own_incident"  # "I'm on it": the clicker becomes the incident's owner
ACTION_FEEDBACK = "answer_feedback"  # the 👍/👎 feedback buttons
ACTION_FETCH_LOGS = "fetch_logs"  # handled by bot.slack.listeners.logs
VOTE_UP, VOTE_DOWN = "up", "down"
STATE_BLOCK = "state"
FEEDBACK_BLOCK = "feedback"
NEXT_STEP_BLOCK = "next_step"
RESOLUTION_BLOCK = "resolution"
FOLDED_PREFIX = "folded:"
STEPS_PREFIX = "fix:"
MAX_CARD_CHARS = 900  # visible text of a card, buttons included
CAUSE_CHARS = 200
STEP_CHARS = 360  # at most; less when the lines above take more of the card
LAST_FIX_CHARS = 200
NOTE_ON_CARD_CHARS = 300  # a resolution note on a card; the whole note is in the database
MIN_NOTE_ON_CARD_CHARS = 60  # however full the card, this much of the note shows
OWNER_RESERVE = 40  # room kept on a card for the owner a click may add to its state line
CANDIDATES_ON_CARD = 3

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s|(?<=다\.)\s")


# ----- the state line

def incident_ref(incident: IncidentFacts, lang: str, links: IncidentLinks = NO_LINKS) -> str:
    """"#10 · #2의 재발", "#10 · 3번째 발생", "#10" (each number linked to its thread)."""
    parts = [links.ref(incident.id)]
    if incident.recurrence_of is not None:
        parts.append(t("card_recurrence_of", lang, ref=links.ref(incident.recurrence_of)))
    if incident.occurrences > 1:
        parts.append(t("card_seen_times", lang, count=incident.occurrences))
    return " · ".join(parts)


def state_block(incident: IncidentFacts | None, lang: str, *, resolved: bool = False,
                links: IncidentLinks = NO_LINKS) -> bk.Block | None:
    """The top line: open/resolved marker, the incident's number, its owner if it has one
    (none of it without history)."""
    if incident is None:
        return None
    marker = t("card_resolved" if resolved else "card_open", lang)
    owner = owner_line(incident.owner, lang) if incident.owner else ""
    return bk.context(marker, incident_ref(incident, lang, links), owner,
                      id_=f"{STATE_BLOCK}:{incident.id}")


def owner_line(user: str, lang: str) -> str:
    """The state line's third element: who is on it."""
    return t("card_owner", lang, user=user)


# ----- the controls: feedback on the answer, the incident's buttons

def feedback_block(*, incident_id: int | None, entry_id: str, lang: str) -> bk.Block:
    """👍/👎 on the answer (Slack's feedback buttons). Each button's value says which answer
    and which way, since the click reports only the value of the button pressed."""
    def value(vote: str) -> str:
        return json.dumps({"incident_id": incident_id, "entry_id": entry_id, "vote": vote},
                          separators=(",", ":"))

    return bk.context_actions(bk.feedback_buttons(
        action_id=ACTION_FEEDBACK,
        positive=("👍", value(VOTE_UP), t("feedback_up_label", lang)),
        negative=("👎", value(VOTE_DOWN), t("feedback_down_label", lang))),
        id_=f"{FEEDBACK_BLOCK}:{incident_id}:{entry_id}")


def own_button(ids: dict[str, Any], lang: str) -> bk.Block:
    """"I'm on it"; `ids`: the incident's and the answer's, as on Resolve."""
    return bk.button(t("button_own", lang), action_id=ACTION_OWN, value=ids)


def incident_buttons(*, entry_id: str | None, incident_id: int | None, lang: str,
                     logs_offered: bool) -> bk.Block | None:
    """Resolve and "I'm on it" (with an incident), and "Fetch logs" only where the logs policy
    allows fetching (a button that can only be refused is a dead end)."""
    ids = {"incident_id": incident_id, "entry_id": entry_id}
    elements = []
    if incident_id is not None:
        elements += [bk.button(t("button_resolve", lang), action_id=ACTION_RESOLVE, value=ids),
                     own_button(ids, lang)]
    if logs_offered:
        elements.append(bk.button(t("button_fetch_logs", lang), action_id=ACTION_FETCH_LOGS,
                                  value={**ids, "service": None}))
    if not elements:  # Slack refuses an actions block without elements
        return None
    return bk.actions(*elements, id_=f"buttons:{incident_id}:{entry_id or '-'}")


def answer_controls(*, entry_id: str | None, incident_id: int | None, lang: str,
                    logs_offered: bool) -> list[bk.Block]:
    """The rows under an answer: 👍/👎 when there is an answer to vote on, then the buttons."""
    controls = []
    if entry_id:
        controls.append(feedback_block(incident_id=incident_id, entry_id=entry_id, lang=lang))
    if (buttons := incident_buttons(entry_id=entry_id, incident_id=incident_id, lang=lang,
                                    logs_offered=logs_offered)) is not None:
        controls.append(buttons)
    return controls


# ----- the card

def one_line_cause(entry: Entry, lang: str) -> str:
    """The entry's summary cut to its first sentence, and to CAUSE_CHARS."""
    body = entry.body_in(lang)
    if body is None:
        return ""
    text = " ".join(bk.markdown_to_mrkdwn(body.summary).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return bk.truncate(first, CAUSE_CHARS)


def cut_at_line(text: str, limit: int) -> str:
    """`text` cut to whole lines within `limit` (a code block left open is closed), "…" when
    something was left out: a command cut in the middle would be copied and run as it is."""
    if len(text) <= limit:
        return text
    limit -= 4  # room for the "# …" line a cut code block ends with
    kept: list[str] = []
    in_code = False
    for line in text.split("\n"):
        closing = "\n```" if in_code ^ (line.count("```") % 2 == 1) else ""
        if len("\n".join([*kept, line])) + len(closing) + 2 > limit:
            break
        kept.append(line)
        in_code ^= line.count("```") % 2 == 1
    if in_code and kept[-1].strip().startswith("```") and kept[-1].count("```") == 1:
        # The block opened on the last line kept and nothing of it fits: closing it at once
        # would draw an empty box. The "…" says the rest is elsewhere.
        kept.pop()
        in_code = False
    if not kept:  # one long line: cut it, outside any code
        return bk.truncate(text.replace("```", ""), limit)
    if in_code:
        # Inside the box, as a comment (shell, Python, YAML): a lone "…" under a code box read
        # as a rendering fault, and a copied block still runs.
        return "\n".join(kept) + "\n# …\n```"
    return "\n".join(kept) + "\n…"


def step_blocks(entry: Entry, lang: str, *, first_only: bool, limit: int = STEP_CHARS,
                rest_key: str = "card_more_steps", accessory: bk.Block | None = None
                ) -> list[bk.Block]:
    """The fix: step 1 on a card (and on a tentative answer), every step in a full answer.

    `rest_key` says where the other steps are: in the thread, from a card; behind the
    `accessory` button (Show fix), from a tentative answer that is itself the thread."""
    body = entry.body_in(lang)
    if body is None or not body.steps:
        return []
    shown = body.steps[:1] if first_only else body.steps
    steps = "\n".join(f"{number}. {bk.markdown_to_mrkdwn(step.strip())}"
                      for number, step in enumerate(shown, start=1))
    if first_only:
        label = t("first_step", lang)
        if len(body.steps) > 1:
            label += " " + t(rest_key, lang, count=len(body.steps) - 1)
        steps = cut_at_line(steps, max(limit - len(label) - 1, 80))
        return [bk.section(f"{label}\n{steps}", id_=f"{STEPS_PREFIX}{entry.id}:first",
                           accessory=accessory if len(body.steps) > 1 else None)]
    return bk.sections(f"{t('fix', lang)}\n{steps}", id_prefix=f"{STEPS_PREFIX}{entry.id}")


def next_step_line(lang: str, *, logs_offered: bool) -> str:
    """What to do when the bot abstains: fetch logs where allowed, else what to paste."""
    return t("card_next_step_logs" if logs_offered else "card_next_step_paste", lang)


def cannot_tell(result: MatchResult) -> str | None:
    """Why the bot abstains though it has candidates worth checking, as the i18n key of the
    line that says so, or None ("no known fix" and the closest candidates). "cannot_tell":
    only the cause the person wonders about put its first candidate first
    (MatchResult.hedged_cause, bot/matching/hedges.py). "setting_unseen": the first candidate
    would be "probably" the answer if the paste showed a deployment (MatchResult.setting_unseen).
    Every surface (card, notification, full answer, terminal) says the same."""
    if not result.matches:
        return None
    if result.hedged_cause:
        return "cannot_tell"
    return "setting_unseen" if result.setting_unseen else None


def render_card_blocks(answer: Answer, kb: KnowledgeBase, *, controls: Sequence[bk.Block],
                       context_lines: Sequence[str] = (), logs_offered: bool = True,
                       links: IncidentLinks = NO_LINKS) -> list[bk.Block]:
    """The compact card's blocks (see the module's docstring)."""
    lang = answer.context.language
    shown = answer.shown_match
    entry = kb.get(shown.entry_id) if shown else None
    blocks: list[bk.Block] = []
    if (state := state_block(answer.incident, lang, links=links)) is not None:
        blocks.append(state)
    if shown and entry:
        title = entry.title_in(lang)
        if answer.result.answer is None:  # likely: said tentatively
            blocks.append(bk.section(t("probably", lang, title=bk.escape(title)),
                                     id_=f"likely:{entry.id}"))
        else:
            blocks.append(bk.header(title, id_=f"answer:{entry.id}"))
        if cause := one_line_cause(entry, lang):
            blocks.append(bk.section(f"{t('cause', lang)} {cause}", id_=f"cause:{entry.id}"))
        blocks += last_fix_blocks(answer, lang, links)
        steps_at = len(blocks)  # the first step gets what the rest leaves of the budget
    else:
        reason = cannot_tell(answer.result)
        blocks.append(bk.section(t(reason or "no_known_fix", lang), id_="no_known_fix"))
        blocks += last_fix_blocks(answer, lang, links)  # the team's own fix counts most here
        candidates = [kb.get(match.entry_id) for match in answer.result.matches]
        titles = [entry.title_in(lang) for entry in candidates if entry][:CANDIDATES_ON_CARD]
        if titles:
            key = "card_worth_checking" if reason else "card_candidates"
            blocks.append(bk.context(t(key, lang, titles=" · ".join(
                bk.truncate(title, 80) for title in titles)), id_="candidates"))
        blocks.append(bk.section(next_step_line(lang, logs_offered=logs_offered),
                                 id_=NEXT_STEP_BLOCK))
    if affected := affected_line(answer, lang):
        blocks.append(bk.context(affected, id_="affected"))
    lines = [line for line in context_lines if line]
    if lines:
        blocks.append(bk.context(*lines, id_="card_context"))
    blocks += controls
    if shown and entry:
        room = MAX_CARD_CHARS - len(visible_text(blocks)) - 1
        if answer.incident is not None and not answer.incident.owner:
            room -= OWNER_RESERVE
        blocks[steps_at:steps_at] = step_blocks(entry, lang, first_only=True,
                                                limit=min(room, STEP_CHARS))
    return bk.cap_blocks(blocks)


def last_fix_blocks(answer: Answer, lang: str, links: IncidentLinks = NO_LINKS
                    ) -> list[bk.Block]:
    """"Last fixed by @mina: added a gpupool node pool (#2, 6×)", when this channel may see it."""
    if answer.last_fix is None:
        return []
    markup = links.markup(MRKDWN)
    line = last_fix_line(answer.last_fix, lang, markup)
    over = len(shown_text(line)) - LAST_FIX_CHARS
    if over > 0:  # the note gives way, so that the linked number after it stays whole
        room = max(len(MRKDWN.note(answer.last_fix.resolution_note or "")) - over, 20)
        line = last_fix_line(answer.last_fix, lang, replace(
            markup, note=lambda note: bk.truncate(MRKDWN.note(note), room)))
    return [bk.section(":wrench: " + line, id_="last_fix")]


def affected_line(answer: Answer, lang: str) -> str:
    """The service / endpoint / namespace the paste names, when the answer knows it."""
    service = (answer.context.service or "").strip()
    if not service:
        return ""
    return t("card_affected", lang, service=bk.inline_code(redact(service), 120))


def visible_text(blocks: Sequence[bk.Block]) -> str:
    """What a reader sees of blocks: headers, sections, context lines, button labels (a link
    as its label, not its address)."""
    parts: list[str] = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            parts.append(text["text"] if isinstance(text, dict) else str(text or ""))
            for side in ("positive_button", "negative_button"):  # feedback buttons
                if isinstance(element.get(side), dict):
                    parts.append(element[side]["text"]["text"])
        accessory = block.get("accessory") or {}
        if isinstance(accessory.get("text"), dict):
            parts.append(accessory["text"]["text"])
    return shown_text("\n".join(part for part in parts if part))


# ----- state changes on a posted answer (the card, or a full answer in a thread)

def _is_steps(block: bk.Block) -> bool:
    """The blocks folded while resolved: the fix's steps, an abstaining card's next step."""
    block_id = str(block.get("block_id", ""))
    return block_id.startswith(STEPS_PREFIX) or block_id == NEXT_STEP_BLOCK


def _swap_button(block: bk.Block, *, old: str, new: bk.Block) -> bk.Block:
    elements = [new if element.get("action_id") == old else element
                for element in block.get("elements", [])]
    return {**block, "elements": elements}


def _without_button(block: bk.Block, action_id: str) -> bk.Block:
    return {**block, "elements": [element for element in block.get("elements", [])
                                  if element.get("action_id") != action_id]}


def _with_own_button(block: bk.Block, ids: dict[str, Any], lang: str) -> bk.Block:
    """"I'm on it" back after Resolve (where an open card has it), once."""
    elements = list(block.get("elements", []))
    if ids.get("incident_id") is None or any(e.get("action_id") == ACTION_OWN
                                             for e in elements):
        return block
    at = next((index + 1 for index, element in enumerate(elements)
               if element.get("action_id") == ACTION_RESOLVE), len(elements))
    elements.insert(at, own_button(ids, lang))
    return {**block, "elements": elements}


def _set_state(blocks: list[bk.Block], lang: str, *, resolved: bool) -> None:
    marker = t("card_resolved" if resolved else "card_open", lang)
    for index, block in enumerate(blocks):
        if str(block.get("block_id", "")).startswith(STATE_BLOCK + ":"):
            elements = list(block.get("elements", []))
            if elements:
                elements[0] = bk.mrkdwn(marker)
            blocks[index] = {**block, "elements": elements}
            return


def with_owner(blocks: Sequence[bk.Block], *, user: str, lang: str) -> list[bk.Block]:
    """The answer with its owner on the state line (a later "I'm on it" replaces the name)."""
    updated = [dict(block) for block in blocks]
    for index, block in enumerate(updated):
        if str(block.get("block_id", "")).startswith(STATE_BLOCK + ":"):
            elements = list(block.get("elements", []))[:2]
            updated[index] = {**block, "elements": [*elements, bk.mrkdwn(owner_line(user, lang))]}
            break
    return updated


def _after_state(blocks: Sequence[bk.Block]) -> int:
    for index, block in enumerate(blocks):
        if str(block.get("block_id", "")).startswith(STATE_BLOCK + ":"):
            return index + 1
    return 0


def with_resolution(blocks: Sequence[bk.Block], *, user: str, note: str, lang: str,
                    incident_id: int | None = None, entry_id: str | None = None
                    ) -> list[bk.Block]:
    """The answer once resolved: marked resolved, who and how on top, its steps folded,
    Resolve swapped for Reopen. The note gets what the card's budget leaves (at most
    NOTE_ON_CARD_CHARS; the whole note is in the database and `incidents show`)."""
    updated: list[bk.Block] = []
    folded = False
    for block in blocks:
        block = dict(block)
        block_id = str(block.get("block_id", ""))
        if block_id == RESOLUTION_BLOCK:
            continue
        if _is_steps(block):
            if not folded:  # one placeholder remembers what was folded
                if block_id == NEXT_STEP_BLOCK:
                    kind, entry = "next", "-"
                else:
                    kind = "first" if block_id.endswith(":first") else "all"
                    entry = block_id[len(STEPS_PREFIX):].rsplit(":", 1)[0]
                updated.append(bk.context(t("card_steps_folded", lang),
                                          id_=f"{FOLDED_PREFIX}{kind}:{entry}"))
                folded = True
            continue
        if block.get("type") == "actions":
            value = _resolve_value(block)
            ids = {"incident_id": value.get("incident_id", incident_id),
                   "entry_id": value.get("entry_id", entry_id)}
            block = _swap_button(block, old=ACTION_RESOLVE, new=bk.button(
                t("button_reopen", lang), action_id=ACTION_REOPEN, value=ids))
            # Nobody takes on a resolved incident; Reopen brings the button back.
            block = _without_button(block, ACTION_OWN)
        updated.append(block)
    _set_state(updated, lang, resolved=True)
    updated.insert(_after_state(updated), bk.section(
        _resolution_line(updated, user=user, note=note, lang=lang), id_=RESOLUTION_BLOCK))
    return bk.cap_blocks(updated)


def _resolution_line(blocks: Sequence[bk.Block], *, user: str, note: str, lang: str) -> str:
    """"📝 Resolved by @carol: <note>", the note cut to what the card's budget leaves."""
    if not note.strip():
        return t("resolved_line", lang, user=user, note=t("resolved_no_note", lang))
    frame = t("resolved_line", lang, user=user, note="")
    room = MAX_CARD_CHARS - len(visible_text(blocks)) - len(shown_text(frame)) - 1
    limit = max(min(room, NOTE_ON_CARD_CHARS), MIN_NOTE_ON_CARD_CHARS)
    shown_note = bk.truncate(" ".join(redact(note).split()), limit)
    return t("resolved_line", lang, user=user, note=bk.escape(shown_note))


def with_reopened(blocks: Sequence[bk.Block], kb: KnowledgeBase, *, user: str, lang: str
                  ) -> list[bk.Block]:
    """The answer open again: marked open, the resolution replaced by who reopened it, its
    steps back (rebuilt from the knowledge base), Reopen swapped for Resolve."""
    updated: list[bk.Block] = []
    for block in blocks:
        block = dict(block)
        block_id = str(block.get("block_id", ""))
        if block_id == RESOLUTION_BLOCK:
            continue
        if block_id.startswith(FOLDED_PREFIX):
            kind, _, entry_id = block_id[len(FOLDED_PREFIX):].partition(":")
            entry = kb.get(entry_id)
            if kind == "next":
                logs_offered = any(element.get("action_id") == ACTION_FETCH_LOGS
                                   for other in blocks if other.get("type") == "actions"
                                   for element in other.get("elements", []))
                updated.append(bk.section(next_step_line(lang, logs_offered=logs_offered),
                                          id_=NEXT_STEP_BLOCK))
            elif entry is not None:
                updated += step_blocks(entry, lang, first_only=kind == "first")
            continue
        if block.get("type") == "actions":
            value = _resolve_value(block, action=ACTION_REOPEN)
            block = _swap_button(block, old=ACTION_REOPEN, new=bk.button(
                t("button_resolve", lang), action_id=ACTION_RESOLVE, value=value))
            block = _with_own_button(block, value, lang)
        updated.append(block)
    _set_state(updated, lang, resolved=False)
    updated.insert(_after_state(updated), bk.context(t("reopened_line", lang, user=user),
                                                     id_=RESOLUTION_BLOCK))
    return bk.cap_blocks(updated)


def _resolve_value(block: bk.Block, action: str | None = None) -> dict[str, Any]:
    wanted = action or ACTION_RESOLVE
    for element in block.get("elements", []):
        if element.get("action_id") == wanted:
            try:
                value = json.loads(element.get("value") or "{}")
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}
