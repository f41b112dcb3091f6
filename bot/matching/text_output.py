"""The answer as a person wants it in a terminal: title, one-line cause, numbered steps, link.

Shared by `troubleshoot-bot match` and `troubleshoot-bot ask`. Plain text, no colours, so it
reads the same in a pipe, a log file or a CI job.
"""

from __future__ import annotations

import textwrap

from bot.knowledge.model import KnowledgeBase
from bot.matching.extraction import HEAD_CHARS, MAX_CHARS
from bot.matching.result import MatchResult

_UNREAD_NOTE = {
    "en": "Note: this paste is {total:,} characters long; only its first {head:,} and last "
          "{tail:,} characters were read, the {unread:,} in between were not. If the error is "
          "in the middle, paste that part on its own.",
    "ko": "참고: 이 붙여넣기는 {total:,}자입니다. 앞 {head:,}자와 뒤 {tail:,}자만 읽었고 그 사이 "
          "{unread:,}자는 읽지 않았습니다. 오류가 중간에 있다면 그 부분만 따로 붙여 넣어 주세요.",
}

_LABELS = {
    "en": {
        "cause": "Cause",
        "fix": "Fix",
        "source": "More",
        "evidence": "Matched",
        "score": "score",
        "no_fix": "No known fix for this error.",
        "closest": "Closest known problems (not confident):",
        "nothing": "Nothing in the knowledge base resembles it.",
        "also": "Also possible:",
        "probably": "Probably: {title}  [{entry_id}]  (not certain: check the cause)",
        "first_step": "First step:",
        "others": "Other candidates:",
    },
    "ko": {
        "cause": "원인",
        "fix": "조치 방법",
        "source": "자세히",
        "evidence": "일치한 부분",
        "score": "점수",
        "no_fix": "이 오류에 대해 알려진 조치 방법이 없습니다.",
        "closest": "가장 가까운 알려진 문제 (확실하지 않음):",
        "nothing": "지식 베이스에 비슷한 항목이 없습니다.",
        "also": "다른 가능성:",
        "probably": "아마: {title}  [{entry_id}]  (확실하지 않음: 원인을 확인하세요)",
        "first_step": "첫 단계:",
        "others": "다른 후보:",
    },
}


def unread_note(result: MatchResult, lang: str) -> str | None:
    """What every answer to an over-long paste says (terminal and Slack): its middle was not
    read. None for the usual paste."""
    if not result.unread_chars:
        return None
    return _UNREAD_NOTE.get(lang, _UNREAD_NOTE["en"]).format(
        total=MAX_CHARS + result.unread_chars, head=HEAD_CHARS, tail=MAX_CHARS - HEAD_CHARS,
        unread=result.unread_chars)


def render_answer_text(result: MatchResult, kb: KnowledgeBase, lang: str) -> str:
    """The human rendering of a match result; ends with a newline."""
    text = _render_result(result, kb, lang)
    note = unread_note(result, lang)
    return f"{text}\n{note}\n" if note else text


def _render_result(result: MatchResult, kb: KnowledgeBase, lang: str) -> str:
    labels = _LABELS.get(lang, _LABELS["en"])
    # A likely match is a tentative answer ("probably ..."): its cause, its first step and the
    # other candidates, not "no known fix".
    answer = result.answer or result.likely
    if answer is None:
        return _render_abstention(result, labels)
    tentative = result.answer is None
    entry = kb.get(answer.entry_id)
    head = (labels["probably"].format(title=answer.title, entry_id=answer.entry_id) if tentative
            else f"{answer.title}  [{answer.entry_id}]")
    lines = [head, ""]
    body = entry.body_in(lang) if entry else None
    if body is not None:
        if body.summary:
            lines += [f"{labels['cause']}: {body.summary}", ""]
        steps = body.steps[:1] if tentative else body.steps
        if steps:
            lines.append(labels["first_step"] if tentative else f"{labels['fix']}:")
            for number, step in enumerate(steps, start=1):
                lines.append(_numbered(number, step))
            lines.append("")
    if entry is not None and entry.source:
        lines += [f"{labels['source']}: {entry.source}"]
    if answer.evidence:
        lines += [f"{labels['evidence']}: {_one_line(answer.evidence)}"]
    others = [match for match in result.matches[1:] if match.score > 0]
    if others:
        lines += ["", labels["others" if tentative else "also"]]
        lines += [f"  - {match.title} [{match.entry_id}] ({labels['score']} {match.score:.0f})"
                  for match in others]
    return "\n".join(lines).rstrip() + "\n"


def _render_abstention(result: MatchResult, labels: dict[str, str]) -> str:
    lines = [labels["no_fix"]]
    candidates = [match for match in result.matches if match.score > 0]
    if not candidates:
        lines.append(labels["nothing"])
        return "\n".join(lines) + "\n"
    lines += ["", labels["closest"]]
    for match in candidates:
        lines.append(f"  - {match.title} [{match.entry_id}] ({labels['score']} {match.score:.0f})")
        if match.evidence:
            lines.append(f"      {labels['evidence']}: {_one_line(match.evidence)}")
    return "\n".join(lines) + "\n"


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
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
