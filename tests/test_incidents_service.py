"""Incident history on SQLite and PostgreSQL: grouping, recurrence, similar incidents, feedback,
retention, and the concurrency rule (twenty simultaneous pastes make one incident)."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.incidents.audience import Audience
from bot.incidents.models import Feedback, Incident, Occurrence
from bot.incidents.service import (
    TEXT_LIMIT,
    IncidentNotFound,
    IncidentNotOpen,
    IncidentStillOpen,
    ReopenConflict,
    find_similar,
    get_incident,
    incident_for_thread,
    incident_in_conversation,
    incident_summary,
    list_incidents,
    occurrences_of,
    purge_old_texts,
    record_feedback,
    record_occurrence,
    reopen_incident,
    resolve_incident,
    take_ownership,
    visible_incidents,
)
from bot.matching.matcher import default_matcher
from bot.matching.result import Match, MatchResult
from bot.storage import session_scope, utcnow

# An error the learned decision answers confidently (a bare scheduling line is only likely).
CRASH_ERROR = ("2026-11-25T10:{minute:02d}:00Z Warning  BackOff  pod/scoring-{pod}  "
               "Back-off restarting failed container")


def result_for(fingerprint: str, *, entry_id: str | None = None,
               key_line: str = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
               ) -> MatchResult:
    """What the matcher returns for a paste: the fingerprint of the masked key lines, and a
    confident answer when `entry_id` is given."""
    matches = (Match(entry_id=entry_id, title=entry_id, score=96.0, confident=True,
                     evidence=key_line),) if entry_id else ()
    return MatchResult(matches=matches, fingerprint=fingerprint, key_lines=(key_line,))


def paste(url: str, text: str, result: MatchResult, *, workspace: str = "T1",
          user: str = "U1", channel: str | None = "C1", thread_ts: str | None = "1.1"):
    with session_scope(url) as session:
        return record_occurrence(session, workspace=workspace, source="slash", text=text,
                                 result=result, user=user, channel=channel, thread_ts=thread_ts)


def resolve(url: str, incident_id: int, note: str, user: str = "alice"):
    with session_scope(url) as session:
        return resolve_incident(session, incident_id, user=user, note=note)


def test_twenty_simultaneous_pastes_make_one_incident(migrated_database_url: str) -> None:
    """Twenty threads, each with its own connection and transaction, paste the same error
    (different pod names and times, same fingerprint) at the same moment."""
    pastes = 20
    matcher = default_matcher()
    barrier = threading.Barrier(pastes)
    recorded, errors = [], []

    def worker(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            text = CRASH_ERROR.format(pod=f"7f9c6d5b8-{number:05d}", minute=number)
            recorded.append(paste(migrated_database_url, text, matcher.match(text),
                                  user=f"U{number}"))
        except Exception as error:  # surfaced below with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(pastes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len({item.incident_id for item in recorded}) == 1
    assert sum(item.is_new_incident for item in recorded) == 1
    assert sorted(item.occurrences for item in recorded) == list(range(1, pastes + 1))
    with session_scope(migrated_database_url) as session:
        incidents = session.scalars(select(Incident)).all()
        assert len(incidents) == 1
        assert incidents[0].occurrence_count == pastes
        assert incidents[0].entry_id == "service-launch-fails"
        # The summary is one paste's error line as written (people read it); what repeats
        # are compared by is its masked key: no pod name or time of one paste in it.
        assert re.search(r"pod/scoring-7f9c6d5b8-\d{5} Back-off restarting failed container",
                         incidents[0].summary)
        assert "7f9c6d5b8" not in incidents[0].summary_key
        assert "Back-off restarting failed container" in incidents[0].summary_key
        assert session.scalar(select(func.count()).select_from(Occurrence)) == pastes


def test_the_same_error_joins_the_open_incident(migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "error one", result_for("fp-a"))
    second = paste(migrated_database_url, "error one again", result_for("fp-a"), user="U2")
    assert first.is_new_incident and not second.is_new_incident
    assert second.incident_id == first.incident_id
    assert second.occurrences == 2
    with session_scope(migrated_database_url) as session:
        incident = get_incident(session, first.incident_id)
        assert incident is not None
        assert incident.reported_by == "U1"  # who reported first
        assert incident.last_seen >= incident.first_seen


def test_same_error_in_another_workspace_is_another_incident(migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "error", result_for("fp-a"), workspace="T1")
    other = paste(migrated_database_url, "error", result_for("fp-a"), workspace="T2")
    assert other.incident_id != first.incident_id and other.is_new_incident


def test_a_recurrence_after_resolution_opens_a_linked_incident(
        migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "gpu", result_for("fp-gpu", entry_id="gpu"))
    resolved = resolve(migrated_database_url, first.incident_id, "added a GPU node pool")
    assert resolved.status == "resolved"
    assert resolved.resolved_by == "alice"
    assert resolved.time_to_resolve_s is not None and resolved.time_to_resolve_s >= 0

    again = paste(migrated_database_url, "gpu again", result_for("fp-gpu", entry_id="gpu"))
    assert again.is_new_incident
    assert again.incident_id != first.incident_id
    assert again.previous_incident_id == first.incident_id
    # The old fix is what the answer shows for the new outbreak.
    assert again.similar[0].id == first.incident_id
    assert again.similar[0].resolution_note == "added a GPU node pool"
    assert again.similar[0].resolved_by == "alice"
    with session_scope(migrated_database_url) as session:
        old = get_incident(session, first.incident_id)
        assert old is not None and old.status == "resolved" and old.occurrence_count == 1


def test_resolving_twice_is_a_clear_error(migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "x", result_for("fp-x"))
    resolve(migrated_database_url, first.incident_id, "restarted")
    with pytest.raises(IncidentNotOpen, match=r"already resolved by @alice"):
        resolve(migrated_database_url, first.incident_id, "again")
    with pytest.raises(IncidentNotFound, match=r"#999 does not exist"):
        resolve(migrated_database_url, 999, "nope")


def test_resolution_note_is_redacted(migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "x", result_for("fp-x"))
    incident = resolve(migrated_database_url, first.incident_id,
                       "rotated the key, new one is AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0")
    assert "c2VjcmV0" not in (incident.resolution_note or "")
    assert incident.resolution_note.startswith("rotated the key")


def test_stored_text_is_redacted_and_long_text_is_cut_with_a_mark(
        migrated_database_url: str) -> None:
    secret = "xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx"
    long_text = (f"token {secret} Traceback (most recent call last):\n"
                 + "  File \"score.py\", line 1, in run\n" * 2_000
                 + "RuntimeError: CUDA out of memory")
    recorded = paste(migrated_database_url, long_text, result_for("fp-long"))
    with session_scope(migrated_database_url) as session:
        occurrence = session.get(Occurrence, recorded.occurrence_id)
        assert occurrence is not None and occurrence.text is not None
        assert secret not in occurrence.text
        assert occurrence.text_truncated
        assert len(occurrence.text) <= TEXT_LIMIT + 100
        assert "[truncated " in occurrence.text
        assert occurrence.text.startswith("token [REDACTED:slack-token] Traceback")
        assert occurrence.text.endswith("RuntimeError: CUDA out of memory")
        incident = session.get(Incident, recorded.incident_id)
        assert incident is not None and len(incident.summary) <= 300


def test_similar_incidents_put_resolved_ones_with_notes_first(
        migrated_database_url: str) -> None:
    url = migrated_database_url
    gpu = "container-cannot-be-scheduled"
    open_same_entry = paste(url, "a", result_for("fp-1", entry_id=gpu,
                                                 key_line="0/3 nodes: Insufficient gpu"))
    fixed = paste(url, "b", result_for("fp-2", entry_id=gpu,
                                       key_line="0/5 nodes: Insufficient nvidia.com/gpu"))
    resolve(url, fixed.incident_id, "added a GPU node pool", user="bob")
    no_note = paste(url, "c", result_for("fp-3", entry_id=gpu, key_line="unschedulable gpu"))
    resolve(url, no_note.incident_id, "")
    unrelated = paste(url, "d", result_for("fp-4", entry_id="http-status-code-502",
                                           key_line="502 Bad Gateway"))
    current = paste(url, "e", result_for("fp-5", entry_id=gpu,
                                         key_line="0/4 nodes: Insufficient nvidia.com/gpu"))

    ids = [similar.id for similar in current.similar]
    assert ids[0] == fixed.incident_id  # resolved with a note first
    assert set(ids) == {fixed.incident_id, open_same_entry.incident_id, no_note.incident_id}
    assert current.incident_id not in ids and unrelated.incident_id not in ids
    assert current.similar[0].resolution_note == "added a GPU node pool"
    assert current.similar[0].resolved_by == "bob"


def test_similar_by_text_when_nothing_matched(migrated_database_url: str) -> None:
    url = migrated_database_url
    line = "ModuleNotFoundError: No module named 'azureml.contrib.services' in score.py"
    earlier = paste(url, "a", result_for("fp-m1", key_line=line))
    resolve(url, earlier.incident_id, "pinned azureml-defaults", user="carol")
    paste(url, "b", result_for("fp-other", key_line="OSError: [Errno 28] No space left"))
    now = paste(url, "c", result_for("fp-m2", key_line=line.replace("score.py", "main.py")))
    assert [similar.id for similar in now.similar] == [earlier.incident_id]


def test_an_unknown_error_reads_as_pasted_and_its_repeats_are_still_found(
        migrated_database_url: str) -> None:
    """The summary keeps the request id, address and time people search their logs for; the
    next paste, with other values, still finds it by the masked line."""
    url = migrated_database_url
    line = "ERROR: request {id} to {ip}:8080 failed after {ms} ms"
    first = line.format(id="8b1e4c1a-2f3d-4e5f-9a8b-1c2d3e4f5a6b", ip="10.0.0.4", ms=30012)
    earlier = paste(url, "a", result_for("fp-r1", key_line=first))
    resolve(url, earlier.incident_id, "raised the request timeout", user="carol")
    again = paste(url, "b", result_for("fp-r2", key_line=line.format(
        id="0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f", ip="10.0.3.17", ms=29877)))
    assert [similar.id for similar in again.similar] == [earlier.incident_id]
    assert again.similar[0].summary == first
    with session_scope(url) as session:
        incident = get_incident(session, earlier.incident_id)
        assert incident is not None and incident.summary == first


def test_a_question_with_only_weak_candidates_is_not_quoted_as_the_incident(
        migrated_database_url: str) -> None:
    """A Korean question pasted alone gets weak candidates but no answer: the Home tab and the
    lists used to show the question itself as the incident's error line."""
    question = "이거 왜 이래요? 배포가 계속 실패합니다"
    result = default_matcher().match(question)
    assert result.matches and result.answer is None  # candidates, none of them an answer
    recorded = paste(migrated_database_url, question, result)
    with session_scope(migrated_database_url) as session:
        incident = get_incident(session, recorded.incident_id)
        assert incident is not None and incident.summary == ""


def test_a_traceback_in_a_long_log_is_named_by_its_exception(migrated_database_url: str) -> None:
    """The Home tab named this incident `File "/var/azureml-app/main.py", line 12, in init`:
    the frame the matcher decided on, which says nothing about what went wrong."""
    log = "\n".join([*(f"2026-11-30 10:00:{i % 60:02d} INFO worker {i} heartbeat ok"
                       for i in range(700)),
                     "Traceback (most recent call last):",
                     '  File "/var/azureml-app/main.py", line 12, in init',
                     "ModuleNotFoundError: No module named 'azureml.contrib'",
                     *(f"2026-11-30 10:01:{i % 60:02d} INFO shutting down {i}"
                       for i in range(300))])
    recorded = paste(migrated_database_url, log, default_matcher().match(log))
    with session_scope(migrated_database_url) as session:
        incident = get_incident(session, recorded.incident_id)
        assert incident is not None
        assert incident.summary == "ModuleNotFoundError: No module named 'azureml.contrib'"


def test_find_similar_with_no_history_is_empty(migrated_database_url: str) -> None:
    with session_scope(migrated_database_url) as session:
        assert find_similar(session, workspace="T1", result=result_for("fp")) == []


def test_feedback_is_one_vote_per_user_and_a_second_click_changes_it(
        migrated_database_url: str) -> None:
    url = migrated_database_url
    recorded = paste(url, "x", result_for("fp-x", entry_id="gpu"))
    for helpful in (True, False):
        with session_scope(url) as session:
            record_feedback(session, incident_id=recorded.incident_id, entry_id="gpu",
                            user="U1", helpful=helpful)
    with session_scope(url) as session:
        record_feedback(session, incident_id=recorded.incident_id, entry_id="gpu", user="U2",
                        helpful=True)
    for helpful in (True, True, False):  # no entry: "none of these helped"
        with session_scope(url) as session:
            record_feedback(session, incident_id=recorded.incident_id, entry_id=None,
                            user="U1", helpful=helpful)
    with session_scope(url) as session:
        votes = {(vote.entry_id, vote.user): vote.helpful
                 for vote in session.scalars(select(Feedback))}
    assert votes == {("gpu", "U1"): False, ("gpu", "U2"): True, (None, "U1"): False}


def test_purge_forgets_old_texts_and_keeps_the_counts(migrated_database_url: str) -> None:
    url = migrated_database_url
    old = paste(url, "old paste", result_for("fp-x"))
    new = paste(url, "new paste", result_for("fp-x"))
    with session_scope(url) as session:
        session.execute(update(Occurrence).where(Occurrence.id == old.occurrence_id)
                        .values(created_at=utcnow() - timedelta(days=91)))
    with session_scope(url) as session:
        assert purge_old_texts(session, older_than_days=90) == 1
    with session_scope(url) as session:
        assert purge_old_texts(session, older_than_days=90) == 0  # nothing left to purge
        assert session.get(Occurrence, old.occurrence_id).text is None
        assert session.get(Occurrence, new.occurrence_id).text == "new paste"
        assert session.get(Incident, old.incident_id).occurrence_count == 2


def test_list_and_thread_lookup(migrated_database_url: str) -> None:
    url = migrated_database_url
    first = paste(url, "a", result_for("fp-a"), channel="C1", thread_ts="100.1")
    second = paste(url, "b", result_for("fp-b"), channel="C2", thread_ts="200.1")
    joined = paste(url, "a", result_for("fp-a"), channel="C3", thread_ts="300.1")
    resolve(url, second.incident_id, "fixed")
    with session_scope(url) as session:
        assert [i.id for i in list_incidents(session, status="open")] == [first.incident_id]
        assert [i.id for i in list_incidents(session, status="resolved")] == [second.incident_id]
        assert {i.id for i in list_incidents(session, status="all")} == {
            first.incident_id, second.incident_id}
        assert list_incidents(session, status="all", channel="C2")[0].id == second.incident_id
        assert len(list_incidents(session, status="all", limit=1)) == 1
        found = incident_for_thread(session, workspace="T1", channel="C1", thread_ts="100.1")
        assert found is not None and found.id == first.incident_id
        # A thread where the error was pasted again leads to the incident it joined.
        found = incident_for_thread(session, workspace="T1", channel="C3", thread_ts="300.1")
        assert found is not None and found.id == joined.incident_id
        assert incident_for_thread(session, workspace="T1", channel="C9", thread_ts="1") is None
        assert [o.text for o in occurrences_of(session, first.incident_id)] == ["a", "a"]


def test_an_audience_sees_its_own_and_public_channels_incidents_and_notes(
        migrated_database_url: str) -> None:
    """Similar incidents and lists for a reader in channel CPUB2: private channels' incidents
    are left out, and so is a note written in a private channel (its incident stays)."""
    url = migrated_database_url
    public = {"CPUB1", "CPUB2"}
    audience = Audience(channel="CPUB2", public_among=lambda channels: channels & public)
    private_one = paste(url, "err", result_for("fp-x"), channel="GPRIV").incident_id
    resolve(url, private_one, "private fix")
    public_one = paste(url, "err", result_for("fp-x"), channel="CPUB1").incident_id
    with session_scope(url) as session:
        resolve_incident(session, public_one, user="bob", note="written in private",
                         channel="GPRIV")
    latest = paste(url, "err", result_for("fp-x"), channel="CPUB2")

    with session_scope(url) as session:
        seen = find_similar(session, workspace="T1", result=result_for("fp-x"),
                            exclude_incident_id=latest.incident_id, audience=audience)
        everything = find_similar(session, workspace="T1", result=result_for("fp-x"),
                                  exclude_incident_id=latest.incident_id)
        listed, hidden = visible_incidents(session, audience, workspace="T1", status="all")
    assert [(item.id, item.resolution_note, item.resolved_by) for item in seen] == [
        (public_one, None, None)]
    assert {item.resolution_note for item in everything} == {"private fix",
                                                             "written in private"}  # the CLI
    assert {incident.id for incident in listed} == {public_one, latest.incident_id}
    assert hidden == 1
    # In the private channel itself, its own incident and its note are there.
    inside = Audience(channel="GPRIV", public_among=lambda channels: channels & public)
    with session_scope(url) as session:
        notes = {item.resolution_note for item in find_similar(
            session, workspace="T1", result=result_for("fp-x"),
            exclude_incident_id=latest.incident_id, audience=inside)}
    assert notes == {"private fix", "written in private"}


def test_an_entry_answered_only_in_a_private_channel_is_not_a_public_reason_to_be_similar(
        migrated_database_url: str) -> None:
    """A public incident whose KB entry came from a private channel's paste (same fingerprint,
    only answered there) is no "same entry" candidate for a public reader, and shows no entry;
    in the private channel it is both."""
    url = migrated_database_url
    gpu = "container-cannot-be-scheduled"
    public = {"CPUB1", "CPUB2"}
    incident_id = paste(url, "err", result_for("fp-bare"), channel="CPUB1").incident_id
    paste(url, "err and words", result_for("fp-bare", entry_id=gpu), channel="GPRIV")
    question = result_for("fp-other", entry_id=gpu, key_line="something unlike the summary")

    def similar_for(channel: str) -> list[tuple[int, str | None]]:
        reader = Audience(channel=channel, public_among=lambda channels: channels & public)
        with session_scope(url) as session:
            return [(item.id, item.entry_id) for item in find_similar(
                session, workspace="T1", result=question, audience=reader)]

    assert similar_for("CPUB2") == []
    assert similar_for("GPRIV") == [(incident_id, gpu)]
    reader = Audience(channel="CPUB2", public_among=lambda channels: channels & public)
    with session_scope(url) as session:
        [listed], _hidden = visible_incidents(session, reader, workspace="T1")
    assert (listed.id, listed.entry_id) == (incident_id, None)


def _private_history(url: str, count: int, *, fingerprint: str | None = None,
                     entry_id: str | None = None, summary: str = "unrelated words",
                     resolved_every: int = 1) -> None:
    """`count` incidents in private channel GPRIV, newer than anything pasted before, every
    `resolved_every`-th one resolved with a note: a busy private channel's history, written
    in one statement (their own pastes do not matter to the candidates' windows)."""
    start = utcnow() + timedelta(minutes=1)
    rows = []
    for number in range(count):
        resolved = number % resolved_every == 0
        rows.append({
            "workspace": "T1", "channel": "GPRIV", "summary": summary,
            "fingerprint": fingerprint if resolved and fingerprint else f"fp-priv-{number}",
            "entry_id": entry_id, "status": "resolved" if resolved else "open",
            "first_seen": start + timedelta(seconds=number),
            "last_seen": start + timedelta(seconds=number), "occurrence_count": 1,
            "resolution_note": "private fix" if resolved else None,
            "resolved_by": "eve" if resolved else None, "resolved_in": None})
    with session_scope(url) as session:
        session.execute(Incident.__table__.insert(), rows)


def _public_fix(url: str, fingerprint: str, *, entry_id: str | None = None,
                key_line: str = "alpha bravo charlie delta") -> int:
    """A public channel's incident, resolved with a note."""
    incident_id = paste(url, "err", result_for(fingerprint, entry_id=entry_id,
                                               key_line=key_line), channel="CPUB1").incident_id
    resolve(url, incident_id, "public fix")
    return incident_id


PUBLIC = {"CPUB1", "CPUB2"}
PUBLIC_READER = Audience(channel="CPUB2", public_among=lambda channels: channels & PUBLIC)


def _similar_notes(url: str, question: MatchResult) -> list[tuple[int, str | None]]:
    with session_scope(url) as session:
        return [(item.id, item.resolution_note) for item in find_similar(
            session, workspace="T1", result=question, audience=PUBLIC_READER)]


@pytest.mark.parametrize("alike", ["fingerprint", "entry", "summary"])
def test_a_busy_private_channel_does_not_hide_a_public_fix_from_a_public_reader(
        migrated_database_url: str, alike: str) -> None:
    """Similar incidents are picked from bounded slices of history (the newest incidents of
    the same fingerprint, of the same entry, of the workspace). Slices of everyone's history
    filled with a private channel's newer incidents, and the public fix a public reader may
    see fell out before the reader's rule was applied: its "last fixed by" line went missing
    because of activity it may not know of. The slices hold what the reader may see."""
    url = migrated_database_url
    gpu = "container-cannot-be-scheduled"
    if alike == "fingerprint":
        fix = _public_fix(url, "fp-win")
        _private_history(url, 60, fingerprint="fp-win")
        question = result_for("fp-win", key_line="nothing like the other summary")
    elif alike == "entry":
        fix = _public_fix(url, "fp-one", entry_id=gpu)
        _private_history(url, 60, entry_id=gpu)
        question = result_for("fp-two", entry_id=gpu, key_line="nothing like the other")
    else:
        line = "Error: ImagePullBackOff while pulling image scorer from the registry"
        fix = _public_fix(url, "fp-one", key_line=line)
        question = result_for("fp-two", key_line=line)
        _private_history(url, 2_100, summary=incident_summary("", question), resolved_every=4)
    assert (fix, "public fix") in _similar_notes(url, question)


def test_private_pastes_into_public_incidents_do_not_push_a_public_one_out(
        migrated_database_url: str) -> None:
    """Within what a public reader may see, which incidents are candidates must not depend
    on where else they were pasted: 60 older public incidents of the same entry, each pasted
    again in a private channel a minute ago, came before the newer public one (the slice was
    ordered by `last_seen`, which those private pastes moved) and hid it."""
    url = migrated_database_url
    gpu = "container-cannot-be-scheduled"

    def gpu_paste(number: int, channel: str) -> int:
        return paste(url, "err", result_for(f"fp-old-{number}", entry_id=gpu,
                                            key_line=f"line {number}"),
                     channel=channel).incident_id

    older = [gpu_paste(number, "CPUB1") for number in range(60)]
    newest = gpu_paste(60, "CPUB1")
    for number in range(60):
        gpu_paste(number, "GPRIV")
    question = result_for("fp-two", entry_id=gpu, key_line="nothing like the other")
    found = [incident_id for incident_id, _note in _similar_notes(url, question)]
    assert found[0] == newest, (found, older)


def test_reopen_clears_the_resolution_and_refuses_a_second_open_copy(
        migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "x", result_for("fp-reopen"))
    resolve(migrated_database_url, first.incident_id, "restarted")
    with session_scope(migrated_database_url) as session:
        reopened = reopen_incident(session, first.incident_id)
        assert reopened.status == "open" and reopened.resolved_by is None
        assert reopened.resolution_note is None and reopened.resolved_at is None
    with session_scope(migrated_database_url) as session, pytest.raises(IncidentStillOpen):
        reopen_incident(session, first.incident_id)
    # The next paste joins the reopened incident, as it would have before the resolution.
    assert paste(migrated_database_url, "x", result_for("fp-reopen")).incident_id == \
        first.incident_id

    # Resolved again, then the problem comes back as a new incident: the old one cannot be
    # reopened beside it (one open incident per problem).
    resolve(migrated_database_url, first.incident_id, "restarted again")
    again = paste(migrated_database_url, "x", result_for("fp-reopen"))
    assert again.incident_id != first.incident_id
    with session_scope(migrated_database_url) as session, pytest.raises(ReopenConflict) as error:
        reopen_incident(session, first.incident_id)
    assert error.value.other_id == again.incident_id
    with session_scope(migrated_database_url) as session, pytest.raises(IncidentNotFound):
        reopen_incident(session, 999_999)


def test_an_owner_is_the_latest_to_take_it_on_and_only_while_open(
        migrated_database_url: str) -> None:
    first = paste(migrated_database_url, "x", result_for("fp-owner"))
    assert first.owner is None
    for user in ("UDAVE", "UERIN"):  # a later "I'm on it" takes it over
        with session_scope(migrated_database_url) as session:
            owned = take_ownership(session, first.incident_id, user=user)
            assert owned.owner == user and owned.owned_at is not None
    # The next paste of the same problem knows who is on it (its card names them).
    assert paste(migrated_database_url, "x", result_for("fp-owner")).owner == "UERIN"
    resolve(migrated_database_url, first.incident_id, "fixed")
    with session_scope(migrated_database_url) as session, pytest.raises(IncidentNotOpen):
        take_ownership(session, first.incident_id, user="UFRANK")
    with session_scope(migrated_database_url) as session:
        assert get_incident(session, first.incident_id).owner == "UERIN"  # type: ignore[union-attr]
    with session_scope(migrated_database_url) as session, pytest.raises(IncidentNotFound):
        take_ownership(session, 999_999, user="UDAVE")


def test_a_click_on_an_answer_whose_thread_is_not_attached_yet_is_from_its_conversation(
        migrated_database_url: str) -> None:
    """An incident first seen in C1 is pasted again in C2: the card in C2 is posted before its
    thread is attached to the occurrence, and a quick click on it must not be refused."""
    url = migrated_database_url
    first = paste(url, "boom", result_for("fp-quick"), channel="C1", thread_ts="1.1")
    paste(url, "boom", result_for("fp-quick"), channel="C2", thread_ts=None)
    with session_scope(url) as session:
        incident = get_incident(session, first.incident_id)
        assert incident_in_conversation(session, incident, channel="C2", thread_ts="2.2")
        assert not incident_in_conversation(session, incident, channel="C3", thread_ts="2.2")
