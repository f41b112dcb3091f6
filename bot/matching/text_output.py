"""The answer as a person wants it in a terminal: title, one-line cause, numbered steps, link.

Shared by `troubleshoot-bot match` and `troubleshoot-bot ask`. Plain text, no colours, so it
reads the same in a pipe, a log file or a CI job.
"""

from __future__ import annotations

import textwrap

from bot.i18n import Catalog
from bot.knowledge.model import KnowledgeBase
from bot.matching.error_lines import only_chat
from bot.matching.extraction import HEAD_CHARS, MAX_CHARS
from bot.matching.result import Match, MatchResult
from bot.textcut import shorten

# Keys start with `term_`: they are the terminal's words, distinct from the Slack app's.
STRINGS: dict[str, dict[str, str]] = {
    "term_unread_note": {
        "en": "Note: this paste is {total:,} characters long; only its first {head:,} and last "
              "{tail:,} characters were read, the {unread:,} in between were not. If the error "
              "is in the middle, paste that part on its own.",
        "ko": "참고: 이 붙여넣기는 {total:,}자입니다. 앞 {head:,}자와 뒤 {tail:,}자만 읽었고 그 "
              "사이 {unread:,}자는 읽지 않았습니다. 오류가 중간에 있다면 그 부분만 따로 붙여 "
              "넣어 주세요."},
    "term_cause": {"en": "Cause", "ko": "원인"},
    "term_fix": {"en": "Fix", "ko": "조치 방법"},
    "term_source": {"en": "More", "ko": "자세히"},
    "term_evidence": {"en": "Matched", "ko": "일치한 부분"},
    "term_score": {"en": "score", "ko": "점수"},
    # An answer found from a description alone ("모델 배포가 계속 실패해요"): the paste's words
    # are not shown back as "the part that matched".
    "term_from_description": {
        "en": "Guessed from your description: the paste has no error line. Paste the error "
              "message or the log around it for a surer answer.",
        "ko": "오류 줄 없이 설명만 보고 추정한 답입니다. 오류 메시지나 그 앞뒤 로그를 붙여넣으면 "
              "더 정확하게 찾을 수 있습니다."},
    # Under "no known fix" for a description: what would let the bot find an answer.
    "term_paste_the_error": {
        "en": "The paste has no error line. Paste the error message or the log around it.",
        "ko": "붙여넣은 내용에 오류 줄이 없습니다. 오류 메시지나 그 앞뒤 로그를 붙여넣어 주세요."},
    "term_no_fix": {"en": "No known fix for this error.",
                    "ko": "이 오류에 대해 알려진 조치 방법이 없습니다."},
    "term_closest": {"en": "Closest known problems (not confident):",
                     "ko": "가장 가까운 알려진 문제 (확실하지 않음):"},
    # The first candidate rests only on a cause the person wonders about ("메모리 문제인지
    # 모르겠어요", "could this be OOM?"): the paste does not show it, so the bot cannot tell.
    "term_cannot_tell": {
        "en": "I can't tell the cause from this: nothing in the paste shows the failure you "
              "are asking about.",
        "ko": "붙여넣은 내용만으로는 원인을 알 수 없습니다. 말씀하신 원인을 보여 주는 오류가 "
              "내용에 없습니다."},
    # Nothing in the paste shows a deployment (MatchResult.setting_unseen).
    "term_setting_unseen": {
        "en": "Nothing here shows a deployment, so I can't be sure this is yours. If it comes "
              "from your model's container or endpoint, the first candidate is the likely cause.",
        "ko": "붙여넣은 내용에 배포를 보여 주는 부분이 없어서 확실히 말씀드리기 어렵습니다. 모델 "
              "컨테이너나 엔드포인트에서 난 오류라면 첫 번째 후보가 원인일 가능성이 큽니다."},
    "term_name_the_setting": {
        "en": "Name the endpoint or deployment, or paste its log, to be sure.",
        "ko": "엔드포인트나 배포 이름을 알려 주시거나 로그를 붙여 주시면 확인할 수 있습니다."},
    "term_worth_checking": {"en": "Worth checking:", "ko": "확인해 볼 만한 후보:"},
    "term_show_which": {
        "en": "Paste the error message, the pod's status or the log around the failure to "
              "tell which one it is.",
        "ko": "오류 메시지나 파드 상태, 실패 앞뒤의 로그를 붙여넣어 주시면 어느 쪽인지 확인할 수 "
              "있습니다."},
    "term_nothing": {"en": "Nothing in the knowledge base resembles it.",
                     "ko": "지식 베이스에 비슷한 항목이 없습니다."},
    "term_also": {"en": "Also possible:", "ko": "다른 가능성:"},
    "term_probably": {"en": "Probably: {title}  [{entry_id}]  (not certain: check the cause)",
                      "ko": "아마: {title}  [{entry_id}]  (확실하지 않음: 원인을 확인하세요)"},
    "term_first_step": {"en": "First step:", "ko": "첫 단계:"},
    "term_others": {"en": "Other candidates:", "ko": "다른 후보:"},
}
t = Catalog(STRINGS)


def unread_note(result: MatchResult, lang: str) -> str | None:
    """What every answer to an over-long paste says (terminal and Slack): its middle was not
    read. None for the usual paste."""
    if not result.unread_chars:
        return None
    return t("term_unread_note", lang, total=MAX_CHARS + result.unread_chars, head=HEAD_CHARS,
             tail=MAX_CHARS - HEAD_CHARS, unread=result.unread_chars)


def render_answer_text(result: MatchResult, kb: KnowledgeBase, lang: str) -> str:
    """The human rendering of a match result; ends with a newline."""
    text = _render_result(result, kb, lang)
    note = unread_note(result, lang)
    return f"{text}\n{note}\n" if note else text


def _render_result(result: MatchResult, kb: KnowledgeBase, lang: str) -> str:
    # A likely match is a tentative answer ("probably ..."): its cause, its first step and the
    # other candidates, not "no known fix".
    answer = result.answer or result.likely
    if answer is None:
        return _render_abstention(result, lang)
    tentative = result.answer is None
    entry = kb.get(answer.entry_id)
    head = (t("term_probably", lang, title=answer.title, entry_id=answer.entry_id) if tentative
            else f"{answer.title}  [{answer.entry_id}]")
    lines = [head, ""]
    body = entry.body_in(lang) if entry else None
    if body is not None:
        if body.summary:
            lines += [f"{t('term_cause', lang)}: {body.summary}", ""]
        steps = body.steps[:1] if tentative else body.steps
        if steps:
            lines.append(t("term_first_step", lang) if tentative else f"{t('term_fix', lang)}:")
            for number, step in enumerate(steps, start=1):
                lines.append(_numbered(number, step))
            lines.append("")
    if entry is not None and entry.source:
        lines += [f"{t('term_source', lang)}: {entry.source}"]
    if answer.evidence and only_chat(answer.evidence):  # the question itself: not evidence
        lines += [t("term_from_description", lang)]
    elif answer.evidence:
        lines += [f"{t('term_evidence', lang)}: {_one_line(answer.evidence)}"]
    others = [match for match in result.matches[1:] if match.score > 0]
    if others:
        lines += ["", t("term_others" if tentative else "term_also", lang)]
        lines += [_candidate_line(match, lang) for match in others]
    return "\n".join(lines).rstrip() + "\n"


def _render_abstention(result: MatchResult, lang: str) -> str:
    candidates = [match for match in result.matches if match.score > 0]
    if result.hedged_cause and candidates:
        return _render_cannot_tell(candidates, lang, "term_cannot_tell", "term_show_which")
    if result.setting_unseen and candidates:
        return _render_cannot_tell(candidates, lang, "term_setting_unseen",
                                   "term_name_the_setting")
    lines = [t("term_no_fix", lang)]
    if not candidates:
        lines.append(t("term_nothing", lang))
        return "\n".join(lines) + "\n"
    lines += ["", t("term_closest", lang)]
    described = False  # some candidate's evidence is the asker's own words
    for match in candidates:
        lines.append(_candidate_line(match, lang))
        if not match.evidence:
            continue
        # A question or a description ("모델 배포가 계속 실패해요") is not something the
        # knowledge base matched: shown back as "Matched:" it reads as if it were.
        if only_chat(match.evidence):
            described = True
        else:
            lines.append(f"      {t('term_evidence', lang)}: {_one_line(match.evidence)}")
    if described:
        lines += ["", t("term_paste_the_error", lang)]
    return "\n".join(lines) + "\n"


def _render_cannot_tell(candidates: list[Match], lang: str, why: str, ask: str) -> str:
    """The bot cannot tell from the paste (`why`: a cause it only wonders about, or nothing
    that shows a deployment): it lists what to check and asks for what would settle it."""
    lines = [t(why, lang), "", t("term_worth_checking", lang)]
    lines += [_candidate_line(match, lang) for match in candidates]
    lines += ["", t(ask, lang)]
    return "\n".join(lines) + "\n"


def _candidate_line(match: Match, lang: str) -> str:
    return f"  - {match.title} [{match.entry_id}] ({t('term_score', lang)} {match.score:.0f})"


def _numbered(number: int, step: str) -> str:
    """`1. first line` with continuation lines (commands, code) indented under the text."""
    prefix = f"  {number}. "
    # Code fences are Markdown for Slack; in a terminal the indentation already sets code apart.
    step_lines = [line for line in step.splitlines() if not line.strip().startswith("```")]
    step_lines = step_lines or [""]
    first = textwrap.fill(step_lines[0], width=96, initial_indent=prefix,
                          subsequent_indent=" " * len(prefix)) if step_lines[0] else prefix
    rest = [(" " * len(prefix) + line) if line.strip() else "" for line in step_lines[1:]]
    return "\n".join([first, *rest])


def _one_line(text: str, limit: int = 200) -> str:
    return shorten(" ".join(text.split()), limit)
