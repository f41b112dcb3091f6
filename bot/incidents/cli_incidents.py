"""`troubleshoot-bot incidents list|show|resolve|purge`."""

from __future__ import annotations

import argparse
import getpass
import json
import unicodedata
from datetime import datetime

from bot.cli_errors import command_language as _lang  # the team's: no `--lang` here
from bot.cli_errors import t
from bot.i18n import Catalog
from bot.incidents.cli_support import duration, fail, incident_json, iso, occurrence_json
from bot.incidents.models import STATUS_RESOLVED, Feedback
from bot.incidents.service import (
    IncidentNotFound,
    IncidentNotOpen,
    as_utc,
    get_incident,
    list_incidents,
    occurrences_of,
    purge_old_texts,
    resolve_incident,
)
from bot.settings import settings
from bot.storage import database_url, session_scope
from bot.storage.check import database_problem
from bot.textcut import shorten

# What these commands say when they did what was asked, in BOT_LANGUAGE. (The table of `list`
# keeps its English column names, as `kubectl` and `git` do; `show` is sentences, in Korean too.)
STRINGS = {
    "none_open": {"en": "no open incidents", "ko": "열린 인시던트가 없습니다"},
    "none_resolved": {"en": "no resolved incidents", "ko": "해결된 인시던트가 없습니다"},
    "none_dismissed": {"en": "no dismissed incidents", "ko": "종료 처리된 인시던트가 없습니다"},
    "none_all": {"en": "no incidents", "ko": "인시던트가 없습니다"},
    "resolved": {"en": "Incident #{id} resolved after {took}: {note}",
                 "ko": "#{id}번 인시던트를 해결 처리했습니다 (걸린 시간 {took}): {note}"},
    "resolved_by": {"en": "Incident #{id} resolved by @{who} after {took}: {note}",
                    "ko": "@{who} 님이 #{id}번 인시던트를 해결 처리했습니다 (걸린 시간 {took}): "
                          "{note}"},
    "draft_proposed": {"en": "Proposed knowledge draft #{id} ({entry}): {signature}; a KB "
                             "maintainer approves it with `troubleshoot-bot kb drafts approve "
                             "{id} --by USER`",
                       "ko": "지식 초안 #{id}({entry})을 제안했습니다: {signature}. KB 관리자가 "
                             "`troubleshoot-bot kb drafts approve {id} --by USER`로 승인합니다"},
    "no_draft": {"en": "No knowledge draft: {reason}",
                 "ko": "지식 초안은 만들지 않았습니다: {reason}"},
    "purged": {"en": "purged the texts of {count} occurrence(s) older than {days} days",
               "ko": "{days}일보다 오래된 발생 {count}건의 원문을 지웠습니다"},
    # `incidents show`: one label per line (Korean labels are not padded to a column: Hangul is
    # two cells wide in a terminal, so padding by characters would not line them up anyway)
    "show_title": {"en": "Incident #{id}  [{status}]  {summary}",
                   "ko": "#{id}번 인시던트  [{status}]  {summary}"},
    # the columns of `incidents list`
    "col_id": {"en": "ID", "ko": "번호"},
    "col_status": {"en": "STATUS", "ko": "상태"},
    "col_seen": {"en": "SEEN", "ko": "발생"},
    "col_last_seen": {"en": "LAST SEEN (UTC)", "ko": "마지막 발생 (UTC)"},
    "col_entry": {"en": "ENTRY", "ko": "항목"},
    "col_channel": {"en": "CHANNEL", "ko": "채널"},
    "col_summary": {"en": "SUMMARY", "ko": "요약"},
    "status_open": {"en": "open", "ko": "열림"},
    "status_resolved": {"en": "resolved", "ko": "해결됨"},
    "status_dismissed": {"en": "dismissed", "ko": "종료됨"},
    "show_entry": {"en": "  entry:       {entry}", "ko": "  항목: {entry}"},
    "no_entry": {"en": "(no confident match)", "ko": "(확실히 맞는 항목 없음)"},
    "show_seen": {"en": "  seen:        {times}, first {first}, last {last}",
                  "ko": "  발생: {times}, 처음 {first}, 마지막 {last}"},
    "once": {"en": "once", "ko": "1회"},
    "times": {"en": "{count} times", "ko": "{count}회"},
    "show_where": {"en": "  where:       workspace {workspace}, channel {channel}",
                   "ko": "  위치: 워크스페이스 {workspace}, 채널 {channel}"},
    "show_service": {"en": ", service {service}", "ko": ", 서비스 {service}"},
    "show_reported_by": {"en": "  reported by: {who}", "ko": "  보고한 사람: {who}"},
    "show_fingerprint": {"en": "  fingerprint: {fingerprint}", "ko": "  지문: {fingerprint}"},
    "show_recurrence": {"en": "  recurrence of #{id}", "ko": "  #{id}번 인시던트의 재발"},
    "show_owner": {"en": "  owner:       {who} since {when}", "ko": "  담당: {who} ({when}부터)"},
    "show_resolved": {"en": "  resolved by: {who} at {when} (after {took})",
                      "ko": "  해결: {who}, {when} (걸린 시간 {took})"},
    "show_note": {"en": "  note:        {note}", "ko": "  메모: {note}"},
    "show_timeline": {"en": "Occurrences ({count} shown, UTC):",
                      "ko": "발생 기록 ({count}건, UTC):"},
    "text_purged": {"en": "(text purged)", "ko": "(원문 삭제됨)"},
    "feedback_helpful": {"en": "  feedback: {user} found {what} helpful",
                         "ko": "  피드백: {user} 님이 {what} 도움이 된다고 했습니다"},
    "feedback_unhelpful": {"en": "  feedback: {user} found {what} not helpful",
                           "ko": "  피드백: {user} 님이 {what} 도움이 안 된다고 했습니다"},
    "the_answer": {"en": "the answer", "ko": "답변이"},
    "entry_answer": {"en": "{entry}", "ko": "{entry} 답변이"},
}

say = Catalog(STRINGS)


def _not_open(url: str, incident_id: int, lang: str) -> str:
    """Why an incident cannot be resolved: who resolved it and when, or its status."""
    with session_scope(url) as session:
        incident = get_incident(session, incident_id)
        if incident is None:  # deleted in between
            return t("incident_missing", lang, id=incident_id)
        if incident.status != STATUS_RESOLVED:
            return t("incident_not_open", lang, id=incident_id, status=incident.status)
        if incident.resolved_by and incident.resolved_at:
            return t("incident_resolved_by", lang, id=incident_id, who=incident.resolved_by,
                     when=_minute(incident.resolved_at))
        return t("incident_resolved", lang, id=incident_id)


def current_user() -> str | None:
    try:
        return getpass.getuser()  # the login name (LOGNAME, USER, ..., else the passwd entry)
    except Exception:  # no passwd entry in some containers
        return None


def run_list(args: argparse.Namespace) -> int:
    url = database_url()
    if problem := database_problem(url):
        return fail(problem)
    if args.limit < 1:
        return fail(t("limit_positive", _lang()), 2)
    with session_scope(url) as session:
        incidents = list_incidents(session, status=args.status, limit=args.limit)
        rows = [incident_json(incident) for incident in incidents]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(say(f"none_{args.status}", _lang()))
        return 0
    print(_table(rows, _lang()))
    return 0


def _table(rows: list[dict[str, object]], lang: str) -> str:
    """The list as columns in `lang` (`--json` keeps the English keys and values for scripts),
    padded by how wide a terminal draws each character: a Hangul syllable takes two cells."""
    header = tuple(say(f"col_{name}", lang) for name in
                   ("id", "status", "seen", "last_seen", "entry", "channel", "summary"))
    lines = [(str(row["id"]), _status(str(row["status"]), lang), str(row["occurrences"]),
              str(row["last_seen"])[:16].replace("T", " "),
              str(row["entry_id"] or say("no_entry", lang)),
              str(row["channel"] or "-"), _cut(str(row["summary"] or ""), 60)) for row in rows]
    widths = [max(cells(column) for column in columns) for columns in zip(header, *lines,
                                                                           strict=False)]
    return "\n".join("  ".join(cell + " " * (width - cells(cell))
                               for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in (header, *lines))


def _status(status: str, lang: str) -> str:
    return say(f"status_{status}", lang) if f"status_{status}" in STRINGS else status


def cells(text: str) -> int:
    """How many terminal cells `text` takes (East Asian wide and full-width characters: 2)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cut(text: str, limit: int) -> str:
    return shorten(text, limit)


def run_show(args: argparse.Namespace) -> int:
    url = database_url()
    if problem := database_problem(url):
        return fail(problem)
    with session_scope(url) as session:
        incident = get_incident(session, args.id)
        if incident is None:
            return fail(t("incident_missing", _lang(), id=args.id))
        data = incident_json(incident)
        data["timeline"] = [occurrence_json(item) for item in occurrences_of(session, args.id)]
        data["feedback"] = [
            {"user": vote.user, "entry_id": vote.entry_id, "helpful": vote.helpful,
             "at": iso(vote.created_at)}
            for vote in session.query(Feedback).filter(Feedback.incident_id == args.id)]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(_describe(data, _lang()))
    return 0


def _describe(data: dict[str, object], lang: str) -> str:
    def line(key: str, **values: object) -> str:
        return say(key, lang, **values)

    status = str(data["status"])
    shown_status = _status(status, lang)
    lines = [line("show_title", id=data["id"], status=shown_status, summary=data["summary"]),
             line("show_entry", entry=data["entry_id"] or say("no_entry", lang)),
             line("show_seen", times=_times(data["occurrences"], lang),
                  first=_minute(data["first_seen"]), last=_minute(data["last_seen"])),
             line("show_where", workspace=data["workspace"], channel=data["channel"] or "-")
             + (line("show_service", service=data["service"]) if data["service"] else ""),
             line("show_reported_by", who=data["reported_by"] or "-"),
             line("show_fingerprint", fingerprint=data["fingerprint"])]
    if data["previous_incident_id"]:
        lines.append(line("show_recurrence", id=data["previous_incident_id"]))
    if data.get("owner"):
        lines.append(line("show_owner", who=data["owner"], when=_minute(data["owned_at"])))
    if data["resolved_at"] is not None:
        took = duration(data["time_to_resolve_s"], lang)  # type: ignore[arg-type]
        lines.append(line("show_resolved", who=data["resolved_by"] or "-",
                          when=_minute(data["resolved_at"]), took=took))
        lines.append(line("show_note", note=data["resolution_note"] or "-"))
    timeline = data["timeline"]
    lines.append("")
    lines.append(line("show_timeline", count=len(timeline)))  # type: ignore[arg-type]
    for item in timeline:  # type: ignore[attr-defined]
        text = item["text"]
        shown = say("text_purged", lang) if text is None else _cut(" ".join(text.split()), 100)
        lines.append(f"  {_second(item['created_at'])}  {item['source']:<7} "
                     f"{item['user'] or '-':<12} {shown}")
    for vote in data["feedback"]:  # type: ignore[attr-defined]
        what = (line("entry_answer", entry=vote["entry_id"]) if vote["entry_id"]
                else line("the_answer"))
        lines.append(line("feedback_helpful" if vote["helpful"] else "feedback_unhelpful",
                          user=vote["user"], what=what))
    return "\n".join(lines)


def run_resolve(args: argparse.Namespace) -> int:
    url = database_url()
    if problem := database_problem(url):
        return fail(problem)
    note = (args.note or "").strip()
    if not note:
        return fail(t("note_required", _lang()), 2)
    user = current_user()
    try:
        with session_scope(url) as session:
            incident = resolve_incident(session, args.id, user=user, note=note)
            took, stored_note = incident.time_to_resolve_s, incident.resolution_note
    except IncidentNotFound:
        return fail(t("incident_missing", _lang(), id=args.id))
    except IncidentNotOpen:
        return fail(_not_open(url, args.id, _lang()))
    lang = _lang()
    print(say("resolved_by" if user else "resolved", lang, id=args.id, who=user,
              took=duration(took, lang), note=stored_note))
    _propose_draft(url, args.id, note, user)
    return 0


def _propose_draft(url: str, incident_id: int, note: str, user: str | None) -> None:
    """As Slack does: an incident without a confident entry becomes a draft entry."""
    from bot.teaching.flows import propose_after_resolution

    after = propose_after_resolution(url, settings().knowledge_path, incident_id=incident_id,
                                     note=note, by=user)
    if after.draft is not None:
        print(say("draft_proposed", _lang(), id=after.draft.id, entry=repr(after.draft.entry_id),
                  signature=repr(after.draft.signatures[0])))
    elif after.refusal:
        from bot.teaching.cli_kb import refusal_in

        print(say("no_draft", _lang(), reason=refusal_in(after.refusal, _lang())))


def run_purge(args: argparse.Namespace) -> int:
    url = database_url()
    if problem := database_problem(url):
        return fail(problem)
    days = args.days if args.days is not None else settings().retention_days
    if days < 0:
        return fail(t("retention_negative", _lang()), 2)
    with session_scope(url) as session:
        purged = purge_old_texts(session, older_than_days=days)
    print(say("purged", _lang(), count=purged, days=days))
    return 0


def _minute(moment: object) -> str:
    """A stored time as people write it: `2026-11-30 22:39 UTC`, no seconds or microseconds."""
    return _format(moment, "%Y-%m-%d %H:%M UTC")


def _second(moment: object) -> str:
    """To the second, for the timeline (two pastes in one minute stay in order)."""
    return _format(moment, "%Y-%m-%d %H:%M:%S")


def _format(moment: object, shape: str) -> str:
    if moment is None:
        return "-"
    when = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return as_utc(when).strftime(shape)


def _times(count: object, lang: str) -> str:
    return say("once", lang) if count == 1 else say("times", lang, count=count)
