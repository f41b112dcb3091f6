"""Team knowledge without Slack: drafting (pure) and the service on real SQLite and PostgreSQL.

The end-to-end flows over HTTP are in tests/e2e/test_team_knowledge_e2e.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.incidents.audience import Audience
from bot.incidents.models import Incident
from bot.incidents.service import record_occurrence, resolve_incident
from bot.knowledge.loader import load_knowledge_base, parse_entry
from bot.knowledge.model import Entry, LocalizedBody
from bot.matching.decision import EXACT_SCORE
from bot.matching.matcher import Matcher
from bot.matching.result import Match
from bot.slack.render_teaching import refusal_text
from bot.storage import session_scope
from bot.teaching import service
from bot.teaching.drafting import (
    cause_and_fix,
    entry_id_for,
    entry_markdown,
    generality_problem,
    signature_of,
    title_from,
)
from bot.teaching.flows import propose_after_resolution
from bot.teaching.live import LiveMatcher

MAINTAINERS = frozenset({"U0MAINT"})
UNKNOWN = ("2026-11-30T07:01:02Z scorer-7d9f8b6c5-x2kqz FeatureStoreError: connection to "
           "feature store 'prod-fs-42' refused after 30s (code FS_CONN_REFUSED) "
           "password=hunter2hunter2")
VARIANT = ("2026-12-01T09:11:12Z api-5c4d-abcd FeatureStoreError: connection to feature store "
           "'staging-fs-7' refused after 45s (code FS_CONN_REFUSED)")
NOTE = "The firewall blocked the new subnet. Add the subnet to the allow list."


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_knowledge_base("")


# ----- drafting (pure)

def test_signature_is_the_error_line_masked_and_redacted() -> None:
    signature = signature_of("some words first\n" + UNKNOWN)
    assert signature.startswith("FeatureStoreError: connection to feature store <quoted>")
    assert "FS_CONN_REFUSED" in signature
    for variable in ("2026", "scorer-7d9f8b6c5", "prod-fs-42", "30s", "hunter2"):
        assert variable not in signature
    # The secret and its key are left out: the next paste of the error has another or none.
    assert "password" not in signature and "<secret>" not in signature
    assert signature_of(VARIANT) == signature_of(UNKNOWN)


def test_a_signature_taught_from_a_paste_with_a_secret_answers_the_next_paste_confidently(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    signature = signature_of(UNKNOWN)
    title = title_from(signature)
    (tmp_path / "feature-store.md").write_text(entry_markdown(
        entry_id=entry_id_for(title, set()), title=title, cause="c", fix=NOTE,
        signatures=[signature], incident_id=7), encoding="utf-8")
    matcher = Matcher(load_knowledge_base(str(tmp_path)))
    [first, *_] = matcher.match(VARIANT).matches
    assert first.entry_id == entry_id_for(title, set())
    # Found whole (an exact match, which has its own confident threshold), not nearly.
    assert first.score >= EXACT_SCORE and first.confident


def test_resource_names_become_placeholders_but_code_names_stay() -> None:
    signature = signature_of("Error: ModelStoreError: model churn-classifier version 12 not "
                             "resolved by get_model_path on nvidia.com/gpu")
    assert "model <name> version <num>" in signature
    assert "get_model_path" in signature and "nvidia.com/gpu" in signature


@pytest.mark.parametrize("signature", ["Error: <num>", "<quoted> failed <num> <num> <url>",
                                       "Error <name> <num> <quoted> <num> <num> ok fine"])
def test_too_general_signatures_are_refused_with_the_reason(signature: str) -> None:
    problem = generality_problem(signature)
    assert problem is not None and problem.startswith("too general")


def test_specific_signature_is_not_too_general() -> None:
    assert generality_problem(signature_of(UNKNOWN)) is None


def test_drafted_entry_parses_with_both_languages_and_numbered_steps() -> None:
    cause, steps = cause_and_fix(NOTE)
    assert cause == "The firewall blocked the new subnet."
    assert len(steps) == 2
    signature = signature_of(UNKNOWN)
    title = title_from(signature)
    assert title == "FeatureStoreError: connection to feature store refused after"
    entry = parse_entry(entry_markdown(entry_id=entry_id_for(title, set()), title=title,
                                       cause=cause, fix=NOTE, signatures=[signature],
                                       incident_id=7))
    assert entry.source == "team:incident/7" and entry.signatures == (signature,)
    for lang in ("ko", "en"):
        assert entry.title[lang] == title
        assert entry.body[lang].steps == ("The firewall blocked the new subnet.",
                                          "Add the subnet to the allow list.")


def test_new_entry_ids_never_collide() -> None:
    assert entry_id_for("Disk full on node", set()) == "disk-full-on-node"
    assert entry_id_for("Disk full on node", {"disk-full-on-node"}) == "disk-full-on-node-2"


def test_signature_answered_by_another_entry_first_is_refused(shipped) -> None:  # type: ignore[no-untyped-def]
    body = LocalizedBody(cause="c", steps=("s",))
    entry = Entry(id="team-gpu", title={"en": "t", "ko": "t"}, signatures=(),
                  body={"en": body, "ko": body})
    signature = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
    problem = service.signature_problem(signature, entry, shipped)
    assert problem is not None and "container-cannot-be-scheduled" in problem


def test_signature_that_matches_unrelated_pastes_is_refused(shipped) -> None:  # type: ignore[no-untyped-def]
    signature = ("Failed to pull image <quoted>: rpc error: code = Unknown desc = Error "
                 "response from daemon: Head <quoted>: unauthorized: authentication required, "
                 "visit <url> for more information.")
    body = LocalizedBody(cause="c", steps=("s",))
    entry = Entry(id="team-pull", title={"en": "t", "ko": "t"}, signatures=(),
                  body={"en": body, "ko": body})
    problem = service.signature_problem(signature, entry, shipped)
    assert problem is not None and "unrelated pastes of the evaluation set" in problem


# ----- the service, on both databases

def _unknown_incident(url: str, text: str = UNKNOWN) -> int:
    result = Matcher(load_knowledge_base("")).match(text)
    assert not any(match.confident for match in result.matches)
    with session_scope(url) as session:
        return record_occurrence(session, workspace="T1", source="cli", text=text,
                                 result=result, user="U0ALICE").incident_id


def _resolve_and_propose(url: str, shipped, incident_id: int):  # type: ignore[no-untyped-def]
    with session_scope(url) as session:
        resolve_incident(session, incident_id, user="U0ALICE", note=NOTE)
    with session_scope(url) as session:
        proposal = service.propose_entry(session, session.get(Incident, incident_id),
                                         note=NOTE, by="U0ALICE", base=shipped)
        assert proposal.draft is not None, proposal.refusal
        return proposal.draft.id, proposal.draft.entry_id


def test_approval_is_maintainers_only_audited_and_bumps_the_version(
        migrated_database_url: str, shipped) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    draft_id, entry_id = _resolve_and_propose(url, shipped, _unknown_incident(url))
    with pytest.raises(service.NotMaintainer, match="not a KB maintainer"), \
            session_scope(url) as session:
        service.approve(session, draft_id, by="U0BOB", maintainers=MAINTAINERS, base=shipped)
    with pytest.raises(service.NotMaintainer, match="no KB maintainers"), \
            session_scope(url) as session:
        service.approve(session, draft_id, by="U0MAINT", maintainers=frozenset(),
                        base=shipped)
    with session_scope(url) as session:
        assert service.knowledge_version(session) == 0
        service.approve(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS, base=shipped)
    with session_scope(url) as session:
        assert service.knowledge_version(session) == 1
        assert [row.action for row in reversed(service.audit_log(session))] == [
            "propose", "refuse-approve", "refuse-approve", "approve"]
        kb = service.team_knowledge_base(session, shipped)
        assert kb.get(entry_id) is not None
        assert [service.draft_json(d)["status"] for d in service.list_drafts(session)] == [
            "approved"]
        [example] = service.labelled_examples(session)
        assert example["expected"] == entry_id and "hunter2" not in str(example["text"])
        with pytest.raises(service.TeachingError, match="already approved") as refused:
            service.reject(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS)
    # A Korean maintainer who clicks a stale "Reject" reads why in Korean (it was English in a
    # Korean line); the audit row and an English reader keep the service's sentence.
    assert refusal_text(refused.value.reason, "ko", kb) == (
        f"추가하지 않았습니다: #{draft_id}번 초안은 이미 U0MAINT 님이 승인했습니다")
    assert refusal_text(refused.value.reason, "en", kb) == (
        f"Not added: draft #{draft_id} is already approved by U0MAINT")
    best = Matcher(kb).match(VARIANT).matches[0]
    assert best.entry_id == entry_id and best.confident


def test_an_answered_incident_proposes_no_entry(migrated_database_url: str,
                                                shipped) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    text = "Back-off restarting failed container"
    with session_scope(url) as session:
        incident_id = record_occurrence(session, workspace="T1", source="cli", text=text,
                                        result=Matcher(shipped).match(text)).incident_id
    with session_scope(url) as session:
        incident = session.get(Incident, incident_id)
        assert incident.entry_id is not None
        proposal = service.propose_entry(session, incident, note=NOTE, by="U0A", base=shipped)
        assert proposal.draft is None and "was answered by" in (proposal.refusal or "")


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements any engine runs inside the block, as sent to the database."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def test_a_resolution_reads_what_its_channel_saw_of_the_incident_once(
        migrated_database_url: str, shipped) -> None:  # type: ignore[no-untyped-def]
    """Resolving an incident the bot had no answer for drafts an entry; whether it was
    answered (for the resolving channel's readers) is one look at its pastes, not one per
    layer."""
    url = migrated_database_url
    with session_scope(url) as session:
        incident_id = record_occurrence(
            session, workspace="T1", source="slack", text=UNKNOWN, channel="CPUB",
            result=Matcher(shipped).match(UNKNOWN)).incident_id
        resolve_incident(session, incident_id, user="U0A", note=NOTE, channel="CPUB")
    readers = Audience(channel="CPUB", public_among=lambda _channels: set())
    with statements() as sent:
        after = propose_after_resolution(url, None, incident_id=incident_id, note=NOTE,
                                         by="U0A", channel="CPUB", audience=readers)
    assert after.draft is not None, after.refusal
    looks = [statement for statement in sent if "max(occurrences.created_at)" in statement]
    assert len(looks) == 1, looks


def test_a_private_channels_answer_does_not_stop_a_public_channels_draft(
        migrated_database_url: str, shipped) -> None:  # type: ignore[no-untyped-def]
    """The same error pasted in a public and in a private channel is one incident; the private
    channel's paste was answered confidently there (its fuller log, or a team entry approved in
    between), so the incident's entry column holds that answer. Whether the public channel's
    resolution drafts an entry, and whether a vote there is an abstention, must not tell the
    public channel so: both judge by the pastes the channel may see."""
    url = migrated_database_url
    public = Matcher(shipped).match(UNKNOWN)
    assert public.answer is None
    # What the private channel was told: the same error (fingerprint), answered. Built here
    # because the shipped model answers no unknown line confidently by its surroundings alone.
    said = public.matches[0] if public.matches else None
    answered_privately = replace(public, matches=(Match(
        entry_id="service-launch-fails", title="t", score=97.0, confident=True,
        evidence=said.evidence if said else UNKNOWN, tier="confident"),))
    with session_scope(url) as session:
        incident_id = record_occurrence(session, workspace="T1", source="slack", text=UNKNOWN,
                                        result=public, user="U0ALICE",
                                        channel="CPUBLIC").incident_id
        assert record_occurrence(session, workspace="T1", source="slack", text=UNKNOWN,
                                 result=answered_privately, user="U0EVE",
                                 channel="GPRIVATE").incident_id == incident_id
    public_readers = Audience(channel="CPUBLIC", public_among=lambda _channels: set())
    private_readers = Audience(channel="GPRIVATE", public_among=lambda channels: channels)
    with session_scope(url) as session:
        incident = session.get(Incident, incident_id)
        assert incident.entry_id == "service-launch-fails"  # the column took the answer
        assert service.answered_for(session, incident, public_readers) is None
        assert service.answered_for(session, incident, private_readers) == "service-launch-fails"
        proposal = service.propose_entry(session, incident, note=NOTE, by="U0ALICE",
                                         base=shipped, channel="CPUBLIC",
                                         audience=public_readers)
        assert proposal.draft is not None, proposal.refusal
        assert "hunter2" not in str(service.draft_json(proposal.draft))


def test_reject_by_the_proposer_or_a_maintainer_only(migrated_database_url: str,
                                                     shipped) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    draft_id, _ = _resolve_and_propose(url, shipped, _unknown_incident(url))
    with pytest.raises(service.NotMaintainer), session_scope(url) as session:
        service.reject(session, draft_id, by="U0BOB", maintainers=MAINTAINERS)
    with session_scope(url) as session:
        service.reject(session, draft_id, by="U0ALICE", maintainers=MAINTAINERS)
        assert service.get_draft(session, draft_id).status == "rejected"
        assert service.knowledge_version(session) == 0  # nothing the matcher answers changed


def test_disabled_team_knowledge_is_no_longer_answered(migrated_database_url: str,
                                                       shipped) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    draft_id, entry_id = _resolve_and_propose(url, shipped, _unknown_incident(url))
    with session_scope(url) as session:
        service.approve(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS, base=shipped)
    with session_scope(url) as session:
        service.disable_entry(session, entry_id, by="U0MAINT", maintainers=MAINTAINERS)
    with session_scope(url) as session:
        assert service.team_knowledge_base(session, shipped).get(entry_id) is None
        assert service.knowledge_version(session) == 2


def test_taught_signature_extends_a_shipped_entry_and_exports_it(
        migrated_database_url: str, shipped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    paste = ("Error: ModelStoreError: blob 'models/churn/v12/model.pkl' could not be resolved "
             "by get_model_path for model churn-classifier version 12")
    incident_id = _unknown_incident(url, paste)
    target = "function-fails-get_model_path"
    with session_scope(url) as session:
        draft = service.propose_signature(session, incident_id, target, by="U0BOB",
                                          base=shipped)
        draft_id, [signature] = draft.id, json.loads(draft.signatures)
    with session_scope(url) as session:
        service.approve(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS, base=shipped)
    with session_scope(url) as session:
        entry = service.team_knowledge_base(session, shipped).get(target)
        assert entry is not None and entry.signatures[-1] == signature
        assert entry.signatures[:-1] == shipped.get(target).signatures  # extended, not replaced
        [written] = service.export(session, shipped, tmp_path)
    exported = parse_entry(written.read_text(encoding="utf-8"), written)
    assert exported.id == target and signature in exported.signatures
    assert exported.body == shipped.get(target).body


def test_teaching_an_unknown_entry_is_refused(migrated_database_url: str,
                                              shipped) -> None:  # type: ignore[no-untyped-def]
    incident_id = _unknown_incident(migrated_database_url)
    with pytest.raises(service.TeachingError, match="no entry 'no-such-entry'"), \
            session_scope(migrated_database_url) as session:
        service.propose_signature(session, incident_id, "no-such-entry", by="U0B", base=shipped)


# ----- every process reloads

def test_live_matcher_reloads_on_a_version_change_only(migrated_database_url: str,
                                                       shipped) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database_url
    live = LiveMatcher(url, None, check_every_s=0)
    first = live.current()
    assert live.current() is first  # nothing changed: the same matcher, not rebuilt
    draft_id, entry_id = _resolve_and_propose(url, shipped, _unknown_incident(url))
    assert live.current() is first  # a draft is not knowledge yet
    with session_scope(url) as session:
        service.approve(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS, base=shipped)
    reloaded = live.current()
    assert reloaded is not first and reloaded.kb.get(entry_id) is not None


def test_live_matcher_keeps_answering_when_the_database_cannot_be_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    live = LiveMatcher(f"sqlite:///{tmp_path / 'never-migrated.db'}", None, check_every_s=0)
    matcher = live.current()  # no tables: the shipped knowledge answers
    assert matcher.match("Back-off restarting failed container").matches
    assert live.current() is matcher


def test_the_weekly_digest_counts_pending_drafts(migrated_database_url: str,
                                                 shipped) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.digest.figures import compute_digest
    from bot.digest.render import render_text
    from bot.digest.weeks import IsoWeek
    from bot.storage import engine_for

    url = migrated_database_url
    _resolve_and_propose(url, shipped, _unknown_incident(url))
    week = IsoWeek.containing(datetime.now(UTC).date())
    digest = compute_digest(engine_for(url), week, ZoneInfo("UTC"))
    assert digest.pending_drafts == 1 and digest.to_json()["pending_drafts"] == 1
    elsewhere = compute_digest(engine_for(url), week, ZoneInfo("UTC"), channel="C0OTHER")
    assert elsewhere.pending_drafts == 0  # a channel's digest counts its own drafts
    assert "1 knowledge draft(s)" in render_text(digest, "en")


def test_every_surface_answers_with_approved_team_knowledge(migrated_database_url: str,
                                                           shipped) -> None:  # type: ignore[no-untyped-def]
    """The answer service (behind `ask`, log diagnoses and the deployment watcher) uses the
    team's approved entries when its surface passes no matcher of its own."""
    from bot.answers import AnswerContext, answer
    from bot.logs.diagnose import diagnose
    from bot.teaching.live import current_matcher

    url = migrated_database_url
    draft_id, entry_id = _resolve_and_propose(url, shipped, _unknown_incident(url))
    with session_scope(url) as session:
        service.approve(session, draft_id, by="U0MAINT", maintainers=MAINTAINERS, base=shipped)
    answered = answer(VARIANT, AnswerContext(workspace="T1", source="logs", language="en"),
                      database_url=url)
    assert answered.result.matches[0].entry_id == entry_id
    assert answered.result.matches[0].confident
    log = f"2026-12-01 09:11:10 INFO starting\n{VARIANT}\n2026-12-01 09:11:13 INFO exiting\n"
    diagnosis = diagnose(log, lang="en", matcher=current_matcher(url, None))
    assert diagnosis.result.matches[0].entry_id == entry_id


def _said_in(url: str, channel: str, text: str) -> int:
    result = Matcher(load_knowledge_base("")).match(text)
    with session_scope(url) as session:
        return record_occurrence(session, workspace="T1", source="slack", text=text,
                                 result=result, user="U0ALICE", channel=channel).incident_id


def test_a_draft_shown_in_a_channel_quotes_only_what_was_said_there(
        migrated_database_url: str, shipped) -> None:  # type: ignore[no-untyped-def]
    """An error first pasted in a private channel recurs in a public one: the same incident.
    A draft proposed from the public channel (a resolution there, "This is it" there) is
    posted there: it is made from the public paste, never from the private one."""
    url = migrated_database_url
    private_paste = UNKNOWN.replace("prod-fs-42", "vault-privatewalrus-7")
    public_paste = UNKNOWN.replace("prod-fs-42", "staging-fs-9").replace("07:01", "09:11")
    incident_id = _said_in(url, "G0PRIVATE", private_paste)
    assert _said_in(url, "C0PUBLIC", public_paste) == incident_id  # one incident, two channels
    with session_scope(url) as session:
        incident = session.get(Incident, incident_id)
        assert "staging-fs-9" in service.paste_of(session, incident, channel="C0PUBLIC")
        assert "privatewalrus" in service.paste_of(session, incident)  # the operator's view
        proposal = service.propose_entry(session, incident, note=NOTE, by="U0BOB",
                                         base=shipped, channel="C0PUBLIC")
        assert proposal.draft is not None, proposal.refusal
        assert "privatewalrus" not in proposal.draft.example
        assert "staging-fs-9" in proposal.draft.example
    target = "function-fails-get_model_path"
    with session_scope(url) as session:
        # Nothing was said in this channel: nothing to draft from, and the refusal says so
        # without quoting the private paste.
        with pytest.raises(service.TeachingError) as refused:
            service.propose_signature(session, incident_id, target, by="U0BOB", base=shipped,
                                      channel="C0ELSEWHERE")
        assert "privatewalrus" not in str(refused.value)
