"""Block Kit for team knowledge: the draft in the thread, its edit modal, the drafts list."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import Catalog
from bot.knowledge.model import KnowledgeBase
from bot.mrkdwn import escape
from bot.slack import blocks as bk
from bot.slack.render import Message, render_text
from bot.teaching.flows import ProposedDraft
from bot.teaching.refusals import refusal_said_in
from bot.teaching.service import SignatureProblem

ACTION_APPROVE = "kb_draft_approve"
ACTION_EDIT = "kb_draft_edit"
ACTION_DISCARD = "kb_draft_discard"
EDIT_MODAL = "kb_draft_edit_modal"
ACTION_PICK = "kb_pick_entry"
NEW_PROBLEM = "__new__"
MAX_OPTIONS = 100  # Slack's limit for a static_select
TITLE_BLOCK, CAUSE_BLOCK, FIX_BLOCK = "kb_title", "kb_cause", "kb_fix"
INPUT_ACTION = "value"

STRINGS = {
    "draft_intro": {
        # Also after a likely answer ("Probably: ..." on the card): no sure answer, not "not
        # in the knowledge base", which the card above contradicted.
        "en": ":bulb: The knowledge base had no sure answer for this error. Draft entry from "
              "the resolution note (#{id}):",
        "ko": ":bulb: 지식 베이스에 확실한 답이 없던 오류입니다. 해결 메모로 만든 항목 "
              "초안(#{id}):"},
    "signature_intro": {
        "en": ":bulb: Proposed (#{id}): teach `{entry}` this error line, so the next paste like "
              "it is answered with it:",
        "ko": ":bulb: 제안(#{id}): 이 오류 줄을 `{entry}` 항목에 가르쳐, 다음에 비슷한 오류가 "
              "오면 이 항목으로 답합니다:"},
    "picker_prompt": {"en": "Which problem was it? Pick the entry (or *a new problem*):",
                      "ko": "어떤 문제였나요? 항목을 고르세요(또는 *새로운 문제*):"},
    "picker_placeholder": {"en": "Choose an entry", "ko": "항목 선택"},
    "picker_new": {"en": "A new problem (not in the knowledge base)",
                   "ko": "새로운 문제(지식 베이스에 없음)"},
    "picked_new": {"en": "Noted as a new problem. Resolve the incident with a note: the note "
                         "becomes a draft entry.",
                   "ko": "새로운 문제로 기록했습니다. 메모와 함께 해결 처리하면 그 메모가 항목 "
                         "초안이 됩니다."},
    "draft_title": {"en": "*Title:* {title}", "ko": "*제목:* {title}"},
    "draft_cause": {"en": "*Cause:* {cause}", "ko": "*원인:* {cause}"},
    "draft_fix": {"en": "*Fix:* {fix}", "ko": "*조치 방법:* {fix}"},
    "draft_signature": {"en": "*Signature (masked):* {signature}",
                        "ko": "*시그니처(마스킹됨):* {signature}"},
    "draft_who": {"en": "Anyone may edit; a KB maintainer adds it to the knowledge base.",
                  "ko": "누구나 편집할 수 있고, KB 관리자가 지식 베이스에 추가합니다."},
    "button_approve": {"en": "Add to knowledge base", "ko": "지식 베이스에 추가"},
    "button_edit": {"en": "Edit", "ko": "편집"},
    "button_discard": {"en": "Discard", "ko": "버리기"},
    "approved": {"en": ":white_check_mark: Added to the knowledge base as `{entry}` by <@{user}>.",
                 "ko": ":white_check_mark: <@{user}> 님이 `{entry}` 항목으로 지식 베이스에 "
                       "추가했습니다."},
    "discarded": {"en": ":wastebasket: Draft discarded by <@{user}>.",
                  "ko": ":wastebasket: <@{user}> 님이 초안을 버렸습니다."},
    "not_maintainer": {"en": "Only KB maintainers can add drafts to the knowledge base.",
                       "ko": "KB 관리자만 초안을 지식 베이스에 추가할 수 있습니다."},
    "not_allowed_discard": {"en": "Only KB maintainers or the one who proposed it can discard "
                                  "this draft.",
                            "ko": "KB 관리자나 초안을 제안한 사람만 버릴 수 있습니다."},
    "refused": {"en": "Not added: {reason}", "ko": "추가하지 않았습니다: {reason}"},
    # To the resolver only, after their resolution: why their note became no draft.
    "no_draft": {"en": "No knowledge draft from your note: {reason}",
                 "ko": "메모로 지식 초안을 만들지 않았습니다: {reason}"},
    # A signature refused (bot.teaching.service.SignatureProblem), said to whoever asked.
    "refused_not_error": {"en": "Not proposed: this is not an error line but someone's own "
                                "words; it would answer other people's messages, not *{entry}*'s "
                                "error.",
                          "ko": "제안하지 않았습니다: 이 줄은 오류 줄이 아니라 사람이 쓴 "
                                "문장이라 *{entry}* 항목의 오류가 아닌 다른 사람들의 메시지에 "
                                "답하게 됩니다."},
    "refused_general": {"en": "Not proposed: this error line is too general to name *{entry}* "
                              "alone; it would answer other errors too.",
                        "ko": "제안하지 않았습니다: 이 오류 줄은 너무 일반적이어서 *{entry}* "
                              "항목만 가리키지 못하고 다른 오류에도 답하게 됩니다."},
    "refused_other_entry": {"en": "Not proposed: the knowledge base answers this error line with "
                                  "*{other}* first, so it cannot name *{entry}* as it is. A KB "
                                  "maintainer can teach *{entry}* a more specific line.",
                            "ko": "제안하지 않았습니다: 지식 베이스는 이 오류 줄에 *{other}* "
                                  "항목으로 먼저 답하므로, 그대로는 *{entry}* 항목을 가리킬 수 "
                                  "없습니다. KB 관리자가 *{entry}* 항목에 더 구체적인 줄을 가르칠 "
                                  "수 있습니다."},
    "refused_not_confident": {"en": "Not proposed: this error line names *{entry}* too weakly; "
                                    "a more specific line is needed.",
                              "ko": "제안하지 않았습니다: 이 오류 줄로는 *{entry}* 항목을 "
                                    "확실히 가리키지 못합니다. 더 구체적인 줄이 필요합니다."},
    "modal_title": {"en": "Edit draft", "ko": "초안 편집"},
    "modal_submit": {"en": "Save", "ko": "저장"},
    "modal_cancel": {"en": "Cancel", "ko": "취소"},
    "label_title": {"en": "Title", "ko": "제목"},
    "label_cause": {"en": "Cause", "ko": "원인"},
    "label_fix": {"en": "Fix (one step per line)", "ko": "해결 방법(한 줄에 한 단계)"},
    "drafts_none": {"en": "No drafts are waiting for a decision.",
                    "ko": "결정을 기다리는 초안이 없습니다."},
    "drafts_title": {"en": "*Drafts waiting for a KB maintainer ({count}):*",
                     "ko": "*KB 관리자의 결정을 기다리는 초안 ({count}건):*"},
    "drafts_line": {"en": "#{id} {kind} `{entry}` (incident #{incident}): {title}",
                    "ko": "#{id} {kind} `{entry}` (인시던트 #{incident}): {title}"},
    "drafts_private": {"en": "_{count} more from private channels or DMs: listed only there._",
                       "ko": "_비공개 채널이나 DM의 초안 {count}건은 그곳에서만 보입니다._"},
    "drafts_only_maintainers": {"en": "Only KB maintainers can list the drafts.",
                                "ko": "KB 관리자만 초안 목록을 볼 수 있습니다."},
    "drafts_usage": {"en": "Usage: `/troubleshoot kb drafts` (KB maintainers).",
                     "ko": "사용법: `/troubleshoot kb drafts` (KB 관리자용)."},
}
t = Catalog(STRINGS)


def draft_message(draft: ProposedDraft, lang: str) -> Message:
    value = json.dumps({"draft_id": draft.id})
    if draft.kind == "signature":
        intro = t("signature_intro", lang, id=draft.id, entry=draft.entry_id)
        body = t("draft_signature", lang,
                 signature=bk.inline_code(draft.signatures[0] if draft.signatures else ""))
        return Message(bk.fallback(intro), [
            bk.section(intro, id_="kb_draft_intro"), bk.section(body, id_="kb_draft_body"),
            bk.context(t("draft_who", lang)),
            bk.actions(bk.button(t("button_approve", lang), action_id=ACTION_APPROVE,
                                 value=value, style="primary"),
                       bk.button(t("button_discard", lang), action_id=ACTION_DISCARD,
                                 value=value), id_="kb_draft_actions")])
    text = "\n".join([
        t("draft_title", lang, title=escape(draft.title)),
        t("draft_cause", lang, cause=escape(bk.truncate(draft.cause, 600))),
        t("draft_fix", lang, fix=escape(bk.truncate(draft.fix, 1500))),
        t("draft_signature", lang,
          signature=bk.inline_code(draft.signatures[0] if draft.signatures else "")),
    ])
    return Message(bk.fallback(t("draft_intro", lang, id=draft.id)), [
        bk.section(t("draft_intro", lang, id=draft.id), id_="kb_draft_intro"),
        bk.section(text, id_="kb_draft_body"),
        bk.context(t("draft_who", lang)),
        bk.actions(bk.button(t("button_approve", lang), action_id=ACTION_APPROVE, value=value,
                             style="primary"),
                   bk.button(t("button_edit", lang), action_id=ACTION_EDIT, value=value),
                   bk.button(t("button_discard", lang), action_id=ACTION_DISCARD, value=value),
                   id_="kb_draft_actions"),
    ])


def decided(blocks: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """The draft message without its buttons, with the decision below it."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    return [*kept, bk.context(note)]


def edit_modal(draft: ProposedDraft, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    def field(block_id: str, label: str, value: str, *, multiline: bool) -> dict[str, Any]:
        return {"type": "input", "block_id": block_id, "label": bk.plain(t(label, lang)),
                "element": {"type": "plain_text_input", "action_id": INPUT_ACTION,
                            "multiline": multiline, "initial_value": value[:2900]}}

    return {"type": "modal", "callback_id": EDIT_MODAL,
            "private_metadata": json.dumps(metadata, separators=(",", ":"))[:3000],
            "title": bk.plain(t("modal_title", lang)), "submit": bk.plain(t("modal_submit", lang)),
            "close": bk.plain(t("modal_cancel", lang)),
            "blocks": [field(TITLE_BLOCK, "label_title", draft.title, multiline=False),
                       field(CAUSE_BLOCK, "label_cause", draft.cause, multiline=True),
                       field(FIX_BLOCK, "label_fix", draft.fix, multiline=True)]}


def drafts_list(drafts: list[dict[str, Any]], lang: str, withheld: int = 0) -> str:
    """The drafts this channel may read; `withheld` others (private channels' ones) counted."""
    if not drafts and not withheld:
        return t("drafts_none", lang)
    lines = [t("drafts_title", lang, count=len(drafts))]
    lines += ["• " + t("drafts_line", lang, id=d["id"], kind=d["kind"], entry=d["entry_id"],
                       incident=d["incident_id"] or "-", title=escape(str(d["title"])))
              for d in drafts]
    if withheld:
        lines.append(t("drafts_private", lang, count=withheld))
    return "\n".join(lines)


def entry_picker(kb: KnowledgeBase, *, incident_id: int, lang: str, exclude: str | None = None,
                 first: list[str] | None = None) -> Message:
    """Which entry it was (the candidates `first`, then every entry), or a new problem: after
    "Not this one" and under an abstention."""
    def option(label: str, entry_id: str) -> dict[str, Any]:
        return {"text": bk.plain(bk.truncate(label, 75)),
                "value": json.dumps({"incident_id": incident_id, "entry_id": entry_id},
                                    separators=(",", ":"))[:150]}

    options = [option(t("picker_new", lang), NEW_PROBLEM)]
    order = {entry_id: rank for rank, entry_id in enumerate(first or [])}
    entries = sorted((entry for entry in kb.entries if entry.id != exclude),
                     key=lambda entry: order.get(entry.id, len(order)))
    options += [option(f"{entry.title_in(lang)} ({entry.id})", entry.id)
                for entry in entries][: MAX_OPTIONS - 1]
    select = {"type": "static_select", "action_id": ACTION_PICK, "options": options,
              "placeholder": bk.plain(t("picker_placeholder", lang))}
    return Message(bk.fallback(t("picker_prompt", lang)), [
        bk.section(t("picker_prompt", lang), id_="kb_picker", accessory=select)])


def render_no_draft(refusal: str, lang: str) -> Message:
    """Why a resolution's note drafted nothing and what to paste instead, for the resolver
    alone (the Resolve modal and `/troubleshoot resolve` both say it)."""
    return render_text(t("no_draft", lang, reason=escape(refusal_said_in(refusal, lang))))


def refusal_text(reason: str, lang: str, kb: KnowledgeBase) -> str:
    """Why a change to the knowledge base was refused, for the person who asked: a refused
    signature in their language, with the entries by title (the English reason named entry ids
    and told them to "teach it to" the very entry they had just voted down)."""
    if not isinstance(reason, SignatureProblem):
        return t("refused", lang, reason=escape(refusal_said_in(reason, lang)))

    def title(entry_id: str | None) -> str:
        entry = kb.get(entry_id) if entry_id else None
        return escape(entry.title_in(lang) if entry else entry_id or "?")

    return t(f"refused_{reason.kind}", lang, entry=title(reason.entry), other=title(reason.other))
