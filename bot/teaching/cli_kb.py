"""`troubleshoot-bot kb drafts | drafts approve | drafts reject | teach | export | disable`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.cli_errors import command_language
from bot.i18n import Catalog
from bot.incidents.cli_support import fail
from bot.knowledge.loader import cached_knowledge_base
from bot.settings import settings
from bot.storage import database_url, session_scope
from bot.storage.check import DatabaseProblem, database_problem
from bot.teaching import service
from bot.teaching.refusals import refusal_said_in

# What these commands say, in BOT_LANGUAGE. A refused signature (service.SignatureProblem) is
# said here in the team's language too, with entry ids as a terminal names them (Slack names
# the entries by title: bot.slack.render_teaching); the service's other refusals carry their own
# translations (bot.teaching.refusals).
STRINGS = {
    "no_drafts": {"en": "no drafts", "ko": "초안이 없습니다"},
    "draft_incident": {"en": "incident #{id}", "ko": "#{id}번 인시던트"},
    # a listed draft's state (KnowledgeDraft.status) and kind (.kind)
    "status_proposed": {"en": "proposed", "ko": "제안됨"},
    "status_approved": {"en": "approved", "ko": "승인됨"},
    "status_rejected": {"en": "rejected", "ko": "거절됨"},
    "kind_entry": {"en": "entry", "ko": "항목"},
    "kind_signature": {"en": "signature", "ko": "시그니처"},
    "draft_signature": {"en": "       signature: {signature}",
                        "ko": "       시그니처: {signature}"},
    "approved_entry": {"en": "draft #{id} approved by {by}: entry {entry}; every process "
                             "answers it within 30 s",
                       "ko": "{by} 님이 #{id} 초안을 승인했습니다: 새 항목 {entry}. 30초 안에 "
                             "모든 프로세스가 이 항목으로 답합니다"},
    "approved_signature": {"en": "draft #{id} approved by {by}: signature of {entry}; every "
                                 "process answers it within 30 s",
                           "ko": "{by} 님이 #{id} 초안을 승인했습니다: {entry} 항목의 시그니처. "
                                 "30초 안에 모든 프로세스가 이 항목으로 답합니다"},
    "approval_refused": {"en": "approval refused: {reason}", "ko": "승인할 수 없습니다: {reason}"},
    "rejected": {"en": "draft #{id} rejected by {by}", "ko": "{by} 님이 #{id} 초안을 거절했습니다"},
    "rejection_refused": {"en": "rejection refused: {reason}",
                          "ko": "거절할 수 없습니다: {reason}"},
    "not_proposed": {"en": "not proposed: {reason}", "ko": "제안하지 않았습니다: {reason}"},
    "proposed": {"en": "draft #{id} proposed: {signature} as a signature of {entry}; a KB "
                       "maintainer approves it with `troubleshoot-bot kb drafts approve {id} "
                       "--by USER`",
                 "ko": "#{id} 초안을 제안했습니다: {entry} 항목의 시그니처로 {signature}. KB "
                       "관리자가 `troubleshoot-bot kb drafts approve {id} --by USER`로 "
                       "승인합니다"},
    "exported": {"en": "{count} entries written to {out}; load them with KNOWLEDGE_PATH={out}",
                 "ko": "항목 {count}개를 {out}에 썼습니다. `KNOWLEDGE_PATH={out}`로 불러오세요"},
    "exported_one": {"en": "1 entry written to {out}; load it with KNOWLEDGE_PATH={out}",
                     "ko": "항목 1개를 {out}에 썼습니다. `KNOWLEDGE_PATH={out}`로 불러오세요"},
    "refused": {"en": "refused: {reason}", "ko": "할 수 없습니다: {reason}"},
    "disabled": {"en": "{entry}: team knowledge disabled by {by}",
                 "ko": "{by} 님이 {entry} 항목의 팀 지식을 껐습니다"},
    # service.SignatureProblem, by kind
    "signature_not_error": {"en": "this is not an error line but someone's own words; it would "
                                  "match other people's messages, not {entry}'s error",
                            "ko": "이 줄은 오류 줄이 아니라 사람이 쓴 문장이라 {entry} 항목의 "
                                  "오류가 아닌 다른 사람들의 메시지에 답하게 됩니다"},
    "signature_general": {"en": "this error line is too general to name {entry} alone; it "
                                "would answer other errors too",
                          "ko": "이 오류 줄은 너무 일반적이어서 {entry} 항목만 가리키지 못하고 "
                                "다른 오류에도 답하게 됩니다"},
    "signature_other_entry": {"en": "the knowledge base answers this error line with {other} "
                                    "first, so it cannot name {entry} as it is: teach a more "
                                    "specific line",
                              "ko": "지식 베이스는 이 오류 줄에 {other} 항목으로 먼저 답하므로, "
                                    "그대로는 {entry} 항목을 가리킬 수 없습니다. 더 구체적인 줄을 "
                                    "가르쳐 주세요"},
    "signature_not_confident": {"en": "this error line names {entry} too weakly; a more "
                                      "specific line is needed",
                                "ko": "이 오류 줄로는 {entry} 항목을 확실히 가리키지 못합니다. "
                                      "더 구체적인 줄이 필요합니다"},
}

say = Catalog(STRINGS)


def refusal_in(reason: str, lang: str) -> str:
    """Why a change was refused: in English the service's own sentence (it quotes the line
    and the figures); in Korean a refused signature by its kind, and the other refusals from
    their key (refusals.Refused)."""
    if lang != "en" and isinstance(reason, service.SignatureProblem):
        return say(f"signature_{reason.kind}", lang, entry=repr(reason.entry),
                   other=repr(reason.other or "?"))
    return str(refusal_said_in(reason, lang))


def _ready() -> DatabaseProblem | None:
    return database_problem(database_url())


def run_drafts(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    with session_scope(database_url()) as session:
        drafts = [service.draft_json(draft)
                  for draft in service.list_drafts(session, getattr(args, "status", None))]
    if args.json:
        print(json.dumps(drafts, ensure_ascii=False, indent=2))
        return 0
    lang = command_language()
    if not drafts:
        print(say("no_drafts", lang))
    for draft in drafts:
        incident = (say("draft_incident", lang, id=draft["incident_id"]) if draft["incident_id"]
                    else "-")
        status, kind = say(f"status_{draft['status']}", lang), say(f"kind_{draft['kind']}", lang)
        print(f"#{draft['id']:<4} {status:<9} {kind:<9} "
              f"{draft['entry_id']}  ({incident})  {draft['title']}")
        for signature in draft["signatures"]:  # type: ignore[attr-defined]
            print(say("draft_signature", lang, signature=signature))
    return 0


def run_approve(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    lang = command_language()
    try:
        with session_scope(database_url()) as session:
            draft = service.approve(session, args.id, by=args.by,
                                    maintainers=settings().kb_maintainers,
                                    base=cached_knowledge_base(settings().knowledge_path),
                                    entry_id=args.entry_id, title=args.title)
            entry_id, kind = draft.entry_id, draft.kind
    except service.NotMaintainer as error:
        return fail(say("approval_refused", lang, reason=refusal_in(error.reason, lang)), 3)
    except service.TeachingError as error:
        return fail(refusal_in(error.reason, lang))
    print(say("approved_entry" if kind == "entry" else "approved_signature", lang, id=args.id,
              by=args.by, entry=repr(entry_id)))
    return 0


def run_reject(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    lang = command_language()
    try:
        with session_scope(database_url()) as session:
            service.reject(session, args.id, by=args.by, maintainers=settings().kb_maintainers)
    except service.NotMaintainer as error:
        return fail(say("rejection_refused", lang,
                             reason=refusal_in(error.reason, lang)), 3)
    except service.TeachingError as error:
        return fail(refusal_in(error.reason, lang))
    print(say("rejected", lang, id=args.id, by=args.by))
    return 0


def run_teach(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    lang = command_language()
    try:
        with session_scope(database_url()) as session:
            draft = service.propose_signature(
                session, args.incident_id, args.entry_id, by=args.by,
                base=cached_knowledge_base(settings().knowledge_path))
            draft_id, signatures = draft.id, json.loads(draft.signatures)
    except service.TeachingError as error:
        return fail(say("not_proposed", lang, reason=refusal_in(error.reason, lang)))
    print(say("proposed", lang, id=draft_id, signature=repr(signatures[0]),
              entry=repr(args.entry_id)))
    return 0


def run_export(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    with session_scope(database_url()) as session:
        written = service.export(session, cached_knowledge_base(settings().knowledge_path),
                                 Path(args.out))
    for path in written:
        print(path)
    if len(written) == 1:
        print(say("exported_one", command_language(), out=args.out))
    else:
        print(say("exported", command_language(), count=len(written), out=args.out))
    return 0


def run_disable(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    lang = command_language()
    try:
        with session_scope(database_url()) as session:
            service.disable_entry(session, args.entry_id, by=args.by,
                                  maintainers=settings().kb_maintainers)
    except service.NotMaintainer as error:
        return fail(say("refused", lang, reason=refusal_in(error.reason, lang)), 3)
    except service.TeachingError as error:
        return fail(refusal_in(error.reason, lang))
    print(say("disabled", lang, entry=repr(args.entry_id), by=args.by))
    return 0
