"""`troubleshoot-bot kb drafts | drafts approve | drafts reject | teach | export | disable`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.incidents.cli_support import fail
from bot.knowledge.loader import cached_knowledge_base
from bot.settings import settings
from bot.storage import database_url, session_scope
from bot.storage.check import DatabaseProblem, database_problem
from bot.teaching import service


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
    if not drafts:
        print("no drafts")
    for draft in drafts:
        incident = f"incident #{draft['incident_id']}" if draft["incident_id"] else "-"
        print(f"#{draft['id']:<4} {draft['status']:<9} {draft['kind']:<9} "
              f"{draft['entry_id']}  ({incident})  {draft['title']}")
        for signature in draft["signatures"]:  # type: ignore[attr-defined]
            print(f"       signature: {signature}")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    try:
        with session_scope(database_url()) as session:
            draft = service.approve(session, args.id, by=args.by,
                                    maintainers=settings().kb_maintainers,
                                    base=cached_knowledge_base(settings().knowledge_path),
                                    entry_id=args.entry_id, title=args.title)
            entry_id, kind = draft.entry_id, draft.kind
    except service.NotMaintainer as error:
        return fail(f"approval refused: {error}", 3)
    except service.TeachingError as error:
        return fail(str(error))
    what = "entry" if kind == "entry" else "signature of"
    print(f"draft #{args.id} approved by {args.by}: {what} {entry_id!r}; every process "
          "answers it within 30 s")
    return 0


def run_reject(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    try:
        with session_scope(database_url()) as session:
            service.reject(session, args.id, by=args.by, maintainers=settings().kb_maintainers)
    except service.NotMaintainer as error:
        return fail(f"rejection refused: {error}", 3)
    except service.TeachingError as error:
        return fail(str(error))
    print(f"draft #{args.id} rejected by {args.by}")
    return 0


def run_teach(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    try:
        with session_scope(database_url()) as session:
            draft = service.propose_signature(
                session, args.incident_id, args.entry_id, by=args.by,
                base=cached_knowledge_base(settings().knowledge_path))
            draft_id, signatures = draft.id, json.loads(draft.signatures)
    except service.TeachingError as error:
        return fail(f"not proposed: {error}")
    print(f"draft #{draft_id} proposed: {signatures[0]!r} as a signature of "
          f"{args.entry_id!r}; a KB maintainer approves it with "
          f"`troubleshoot-bot kb drafts approve {draft_id} --by USER`")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    with session_scope(database_url()) as session:
        written = service.export(session, cached_knowledge_base(settings().knowledge_path),
                                 Path(args.out))
    for path in written:
        print(path)
    print(f"{len(written)} entr{'y' if len(written) == 1 else 'ies'} written to {args.out}; "
          f"load them with KNOWLEDGE_PATH={args.out}")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    if problem := _ready():
        return fail(problem)
    try:
        with session_scope(database_url()) as session:
            service.disable_entry(session, args.entry_id, by=args.by,
                                  maintainers=settings().kb_maintainers)
    except service.NotMaintainer as error:
        return fail(f"refused: {error}", 3)
    except service.TeachingError as error:
        return fail(str(error))
    print(f"{args.entry_id!r}: team knowledge disabled by {args.by}")
    return 0
