"""The answer use case (bot.answers.answer) on real SQLite and PostgreSQL databases: a new
incident, a repeat, a recurrence after a fix with its last fix, what a channel may see of other
channels' incidents, and a database outage (the answer still goes out; the paste waits)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import AnswerContext, answer
from bot.incidents import service
from bot.incidents.audience import OPERATOR, Audience
from bot.knowledge.loader import cached_knowledge_base
from bot.matching.matcher import Matcher, default_matcher
from bot.outbox import default_outbox
from bot.storage import session_scope

# Answered confidently (the incident records its entry). Pod names differ between repeats and
# are masked (their hash-like parts), so repeats share one fingerprint.
CRASH = "Warning  BackOff  pod/scoring-{pod}  Back-off restarting failed container"
PUBLIC, PRIVATE, OTHER_PUBLIC = "C0PUBLIC", "C0PRIVATE", "C0OTHER"


def readers_of(channel: str) -> Audience:
    """The people of `channel`; of the other channels only the public ones are visible."""
    return Audience(channel=channel,
                    public_among=lambda channels: channels & {PUBLIC, OTHER_PUBLIC})


def in_channel(channel: str, user: str = "U0ALICE") -> AnswerContext:
    return AnswerContext(workspace="T1", source="mention", language="en", user=user,
                         channel=channel, thread_ts="1700000000.000100",
                         audience=readers_of(channel))


def resolve(url: str, incident_id: int, note: str, channel: str) -> None:
    with session_scope(url) as session:
        service.resolve_incident(session, incident_id, user="U0DANA", note=note,
                                 channel=channel)


def test_a_new_incident_then_a_repeat_of_it(migrated_database_url: str) -> None:
    first = answer(CRASH.format(pod="7f9c6d5b8-x2k4q"), in_channel(PUBLIC),
                   database_url=migrated_database_url)
    assert first.tier == "confident"
    assert first.shown_match is not None
    assert first.shown_match.entry_id == "service-launch-fails"
    assert first.incident is not None and first.incident.is_new
    assert first.incident.occurrences == 1 and first.recurrence_of is None
    assert not first.history_unavailable and first.last_fix is None

    again = answer(CRASH.format(pod="5d4c9b7f2-q8w2n"), in_channel(PUBLIC),
                   database_url=migrated_database_url)
    assert again.fingerprint == first.fingerprint  # another pod, the same problem
    assert again.incident is not None and again.incident.id == first.incident.id
    assert again.incident.occurrences == 2 and not again.incident.is_new


def test_a_recurrence_after_a_fix_names_the_earlier_incident_and_its_fix(
        migrated_database_url: str) -> None:
    url = migrated_database_url
    first = answer(CRASH.format(pod="7f9c6d5b8-x2k4q"), in_channel(PUBLIC), database_url=url)
    assert first.incident is not None
    resolve(url, first.incident.id, "pinned the base image", PUBLIC)

    back = answer(CRASH.format(pod="9c8b7a6d5-zk2vb"), in_channel(PUBLIC), database_url=url)
    assert back.incident is not None and back.incident.is_new
    assert back.incident.id != first.incident.id
    assert back.recurrence_of == first.incident.id
    assert back.last_fix is not None and back.last_fix.id == first.incident.id
    assert back.last_fix.resolution_note == "pinned the base image"
    assert back.last_fix.resolved_by == "U0DANA"
    assert first.incident.id not in {item.id for item in back.similar}  # stated once


def test_another_channels_private_incident_stays_there(migrated_database_url: str) -> None:
    url = migrated_database_url
    private = answer(CRASH.format(pod="6b5a4c3d2-m7n8p"), in_channel(PRIVATE), database_url=url)
    assert private.incident is not None
    resolve(url, private.incident.id, "rotated the secret in vault-7", PRIVATE)

    public = answer(CRASH.format(pod="8e7d6c5b4-r2s3t"), in_channel(OTHER_PUBLIC), database_url=url)
    assert public.incident is not None and public.incident.is_new
    # Neither its fix, nor its number: not even that the private channel had this problem.
    assert public.last_fix is None and public.recurrence_of is None
    assert private.incident.id not in {item.id for item in public.similar}

    # Back in the private channel, its own history is there.
    resolve(url, public.incident.id, "restarted", OTHER_PUBLIC)
    own = answer(CRASH.format(pod="4a3b2c1d0-w9x8y"), in_channel(PRIVATE), database_url=url)
    assert own.recurrence_of == public.incident.id  # the newest closed one, public: visible
    shown = {item.id for item in own.similar} | {own.last_fix.id if own.last_fix else -1}
    assert {private.incident.id, public.incident.id} <= shown


def test_without_an_audience_no_past_incident_is_shown(migrated_database_url: str) -> None:
    url = migrated_database_url
    first = answer(CRASH.format(pod="7f9c6d5b8-x2k4q"), in_channel(PUBLIC), database_url=url)
    assert first.incident is not None
    resolve(url, first.incident.id, "pinned the base image", PUBLIC)
    blind = AnswerContext(workspace="T1", source="logs", channel=PUBLIC, audience=None)
    back = answer(CRASH.format(pod="9c8b7a6d5-zk2vb"), blind, database_url=url)
    assert back.incident is not None and back.incident.is_new
    assert back.recurrence_of is None and back.last_fix is None and not back.similar


def test_the_operator_reads_every_channel(migrated_database_url: str) -> None:
    url = migrated_database_url
    private = answer(CRASH.format(pod="6b5a4c3d2-m7n8p"), in_channel(PRIVATE), database_url=url)
    assert private.incident is not None
    resolve(url, private.incident.id, "rotated the secret", PRIVATE)
    local = AnswerContext(workspace="T1", source="cli", audience=OPERATOR)
    back = answer(CRASH.format(pod="8e7d6c5b4-r2s3t"), local, database_url=url)
    assert back.recurrence_of == private.incident.id
    assert back.last_fix is not None and back.last_fix.resolution_note == "rotated the secret"


def test_a_database_outage_costs_the_history_not_the_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.sqlite"))
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT_S", "1")
    down = "postgresql+psycopg://postgres@127.0.0.1:9/nothing-listens-here"  # refused at once
    secret = "AccountKey=" + "Zm9vYmFyYmF6cXV4" * 5 + "=="
    paste = CRASH.format(pod="3c2d1e0f9-k4l5m") + f"\nconnection {secret}"
    answered = answer(paste, in_channel(PUBLIC), database_url=down)
    assert answered.tier in ("confident", "likely")  # matching needs no database
    assert answered.incident is None and answered.history_unavailable
    assert answered.outbox_key is not None
    waiting = default_outbox().pending(down)
    assert [item.key for item in waiting] == [answered.outbox_key]
    assert waiting[0].channel == PUBLIC and waiting[0].source == "mention"
    assert "Zm9vYmFy" not in waiting[0].text  # only redacted text reaches the disk


class _BrokenModel:
    """A confidence model that fails, as a bug in the decision would."""

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        raise RuntimeError("the decision broke")

    def tier(self, probability: float, score: float = 100.0) -> str:
        raise RuntimeError("the decision broke")


def test_a_matcher_failure_reaches_the_caller_and_records_nothing(
        migrated_database_url: str) -> None:
    broken = Matcher(cached_knowledge_base(None), model=_BrokenModel())  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="the decision broke"):
        answer(CRASH.format(pod="7f9c6d5b8-x2k4q"), in_channel(PUBLIC),
               database_url=migrated_database_url, matcher=broken)
    with session_scope(migrated_database_url) as session:
        assert service.list_incidents(session, status="all") == []
    # The working matcher answers the same paste.
    assert default_matcher().match(CRASH.format(pod="7f9c6d5b8-x2k4q")).answer is not None
