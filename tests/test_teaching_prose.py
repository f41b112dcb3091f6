"""A paste of only someone's own words teaches the knowledge base nothing (qa10, round 10).

Through the real `troubleshoot-bot` command (in-process, tests/support/cli.py) on SQLite and
PostgreSQL: an incident whose paste was plain Korean prose, resolved with a note, used to
propose a draft whose *signature was that prose* ("모델 배포가 계속 실패하는데 왜 그런지
모르겠어요"), which the matcher would then have found in other people's chatter. Now no draft is
proposed, the resolver is told in BOT_LANGUAGE to paste the error line, and the note is kept.
A paste with prose around an error line drafts from the error line, never from the prose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge_base
from bot.matching.error_lines import only_chat
from bot.storage import session_scope
from bot.teaching import service
from bot.teaching.drafting import signature_of
from bot.teaching.models import KIND_ENTRY, STATUS_PROPOSED, KnowledgeDraft
from tests.support.cli import Result, run_cli

PROSE = "모델 배포가 계속 실패하는데 왜 그런지 모르겠어요"
PROSE_EN = "Hi all, my endpoint deployment keeps failing and I don't know why, any idea?"
NOTE = "피처 스토어 방화벽이 새 서브넷을 막고 있었습니다. 허용 목록에 서브넷을 추가했습니다."
ERROR = ("2026-11-30T07:01:02Z scorer-7d9f8b6c5-x2kqz FeatureStoreError: connection to "
         "feature store 'prod-fs-42' refused after 30s (code FS_CONN_REFUSED)")


def cli(url: str, cwd: Path, *args: str, lang: str = "en") -> Result:
    env = {"DATABASE_URL": url, "USER": "dana", "BOT_LANGUAGE": lang, "KNOWLEDGE_PATH": None}
    return run_cli(args, env=env, cwd=cwd)


def asked(url: str, cwd: Path, paste: str) -> int:
    result = cli(url, cwd, "ask", paste)
    assert result.returncode == 0, result.stderr
    found = re.search(r"Incident #(\d+)", result.stdout)
    assert found, result.stdout
    return int(found.group(1))


def drafts(url: str, cwd: Path) -> list[dict[str, object]]:
    listed = cli(url, cwd, "kb", "drafts", "--json")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


@pytest.mark.parametrize(("paste", "lang", "said"), [
    (PROSE, "ko", "오류 줄이 없고 사람이 쓴 문장만 있습니다"),
    (PROSE_EN, "en", "has no error line to draft from, only someone's own words"),
])
def test_a_prose_only_paste_resolved_proposes_no_draft_and_asks_for_the_error_line(
        migrated_database_url: str, tmp_path: Path, paste: str, lang: str, said: str) -> None:
    url = migrated_database_url
    incident = asked(url, tmp_path, paste)
    resolved = cli(url, tmp_path, "incidents", "resolve", str(incident), "--note", NOTE,
                   lang=lang)
    assert resolved.returncode == 0, resolved.stderr
    assert said in resolved.stdout, resolved.stdout
    assert f"#{incident}" in resolved.stdout
    assert drafts(url, tmp_path) == []  # nothing for a maintainer to approve by mistake
    shown = json.loads(cli(url, tmp_path, "incidents", "show", str(incident), "--json").stdout)
    assert shown["status"] == "resolved" and shown["resolution_note"] == NOTE  # nothing lost
    with session_scope(url) as session:
        [row] = [row for row in service.audit_log(session) if row.action == "refuse"]
        assert "no error line" in row.detail


def test_prose_around_an_error_line_drafts_from_the_error_line_only(
        migrated_database_url: str, tmp_path: Path) -> None:
    url = migrated_database_url
    incident = asked(url, tmp_path, f"{PROSE}\n{ERROR}\n도와주세요 ㅠ")
    resolved = cli(url, tmp_path, "incidents", "resolve", str(incident), "--note", NOTE)
    assert resolved.returncode == 0, resolved.stderr
    [draft] = drafts(url, tmp_path)
    [signature] = draft["signatures"]  # type: ignore[misc]
    assert signature.startswith("FeatureStoreError: connection to feature store")
    assert "모델" not in signature and "도와주세요" not in signature
    assert not only_chat(signature)


def test_teaching_an_entry_from_a_prose_only_paste_is_refused_in_the_teams_language(
        migrated_database_url: str, tmp_path: Path) -> None:
    url = migrated_database_url
    incident = asked(url, tmp_path, PROSE)
    taught = cli(url, tmp_path, "kb", "teach", str(incident), "service-launch-fails", "--by",
                 "U0ALICE", lang="ko")
    assert taught.returncode != 0
    assert "가르칠 오류 줄이 없고" in taught.stderr, taught.stdout + taught.stderr
    assert drafts(url, tmp_path) == []
    with session_scope(url) as session:  # nor is the prose kept as a labelled example
        assert service.labelled_examples(session) == []


def test_a_prose_signature_drafted_before_the_fix_is_refused_at_approval(
        migrated_database_url: str, tmp_path: Path) -> None:
    """A database that already holds such a draft (made before this fix) cannot approve it."""
    url = migrated_database_url
    assert signature_of(PROSE) == ""
    with session_scope(url) as session:
        session.add(KnowledgeDraft(kind=KIND_ENTRY, status=STATUS_PROPOSED, entry_id="prose",
                                   title=PROSE, cause=NOTE, fix=NOTE,
                                   signatures=json.dumps([PROSE]), proposed_by="U0ALICE"))
    [draft] = drafts(url, tmp_path)
    for lang, said in (("en", "not an error line: "),
                       ("ko", "오류 줄이 아니라 사람이 쓴 문장이라")):
        approved = run_cli(["kb", "drafts", "approve", str(draft["id"]), "--by", "U0MAINT"],
                           env={"DATABASE_URL": url, "BOT_LANGUAGE": lang,
                                "KB_MAINTAINERS": "U0MAINT", "KNOWLEDGE_PATH": None},
                           cwd=tmp_path)
        assert approved.returncode != 0
        assert said in approved.stderr, approved.stdout + approved.stderr
    with session_scope(url) as session:
        kb = service.team_knowledge_base(session, load_knowledge_base(""))
        assert kb.get("prose") is None
