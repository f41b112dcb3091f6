"""The SQL schema: incidents and their occurrences, feedback, audits and bot state.

Alembic migrations in `migrations/versions` must agree with these models exactly (a test runs
autogenerate and expects no difference).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints make migrations portable and downgrades possible on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


STATUS_OPEN = "open"
STATUS_RESOLVED = "resolved"
STATUS_DISMISSED = "dismissed"


class Incident(Base):
    """One problem in one workspace: repeats of the same fingerprint join it while it is open."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str | None] = mapped_column(String(128))  # None: no confident match
    summary: Mapped[str] = mapped_column(Text, default="")  # masked key error line, for lists
    status: Mapped[str] = mapped_column(String(16), default=STATUS_OPEN)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    occurrence_count: Mapped[int] = mapped_column(Integer, default=0)
    reported_by: Mapped[str | None] = mapped_column(String(64))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # The channel the note was written in: a note written in a private channel is shown only
    # there, even when the incident itself belongs to a public channel. None: the CLI.
    resolved_in: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column()
    time_to_resolve_s: Mapped[float | None] = mapped_column(Float)
    # A recurrence after resolution opens a new incident that points at the old one.
    previous_incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))

    occurrences: Mapped[list[Occurrence]] = relationship(back_populates="incident")

    __table_args__ = (
        # At most one open incident per fingerprint and workspace: concurrent pastes of the same
        # error upsert against this index instead of racing to insert.
        Index("uq_incidents_open_fingerprint", "workspace", "fingerprint", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        # Lists by status, newest first; also the "resolved with a note" similar candidates.
        Index("ix_incidents_workspace_status_last_seen", "workspace", "status", "last_seen"),
        # Every incident of one fingerprint, whatever its status: the previous incident a
        # recurrence links to, and "this exact error happened before" in find_similar.
        Index("ix_incidents_workspace_fingerprint", "workspace", "fingerprint"),
        # Similar incidents by KB entry, newest first, without sorting the whole entry.
        Index("ix_incidents_workspace_entry_id_last_seen", "workspace", "entry_id", "last_seen"),
        # The bounded set of recent incidents that find_similar compares texts against.
        Index("ix_incidents_workspace_last_seen", "workspace", "last_seen"),
        Index("ix_incidents_channel_thread_ts", "channel", "thread_ts"),
        Index("ix_incidents_resolved_at", "resolved_at"),
    )


class Occurrence(Base):
    """One paste, mention or log diagnosis that landed in an incident."""

    __tablename__ = "occurrences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(16))  # slash / mention / watch / logs / cli
    user: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)  # redacted and truncated; None once purged
    text_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    entry_id: Mapped[str | None] = mapped_column(String(128))  # the confident answer, if any
    score: Mapped[float | None] = mapped_column(Float)  # the best candidate's score
    confident: Mapped[bool] = mapped_column(Boolean, default=False)

    incident: Mapped[Incident] = relationship(back_populates="occurrences")

    __table_args__ = (
        Index("ix_occurrences_incident_id", "incident_id"),
        Index("ix_occurrences_created_at", "created_at"),
        Index("ix_occurrences_channel_created_at", "channel", "created_at"),
        # A thread's incident when the paste joined an incident first reported elsewhere.
        Index("ix_occurrences_channel_thread_ts", "channel", "thread_ts"),
    )


class Feedback(Base):
    """A "Fixed it" / "Not this one" click on an answer."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"))
    entry_id: Mapped[str | None] = mapped_column(String(128))
    user: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # One vote per person per answer; a second click changes the vote.
        UniqueConstraint("incident_id", "entry_id", "user", name="uq_feedback_vote"),
        Index("ix_feedback_created_at", "created_at"),
    )


class LogFetch(Base):
    """Audit of every log fetch: who asked for what, where, and how it went."""

    __tablename__ = "log_fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"))
    workspace: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(255))  # service or endpoint[/deployment]
    backend: Mapped[str | None] = mapped_column(String(32))  # azureml-v1 / azureml-v2 / ...
    lines: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))  # ok / denied / not_found / timeout / ...
    detail: Mapped[str | None] = mapped_column(Text)  # short, redacted
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_log_fetches_user_created_at", "user", "created_at"),)


class ProcessedEvent(Base):
    """Slack event ids already handled: Slack's retries must not produce a second answer."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_processed_events_received_at", "received_at"),)


class DigestSubscription(Base):
    __tablename__ = "digest_subscriptions"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64))
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    time_of_day: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM local
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    language: Mapped[str | None] = mapped_column(String(2))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))  # who last changed it
    updated_at: Mapped[datetime | None] = mapped_column()
    # What the digest covers (bot.digest.scope): channel / channels / workspace
    scope: Mapped[str] = mapped_column(String(16), default="channel", server_default="channel")
    scope_channels: Mapped[str | None] = mapped_column(Text)  # listed ids, space-separated


class DigestRun(Base):
    """The claim that makes a channel's weekly digest post exactly once."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(8))  # ISO week, YYYY-Www
    status: Mapped[str] = mapped_column(String(16))  # claimed / posted / failed
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column()
    message_ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("channel", "week", name="uq_digest_runs_channel_week"),)


class UserSetting(Base):
    __tablename__ = "user_settings"

    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))


class ChannelSetting(Base):
    __tablename__ = "channel_settings"

    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    watch: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str | None] = mapped_column(String(64))  # who last changed it
    updated_at: Mapped[datetime | None] = mapped_column()


CHANNEL_PUBLIC = "public"


class ChannelPrivacy(Base):
    """What Slack's conversations.info said about a channel, cached for every worker.

    `kind` is public / private / im / mpim / shared (Slack Connect) / unknown (the lookup
    failed). Only `public` channels' incidents are shown outside their own channel.
    """

    __tablename__ = "channel_privacy"

    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
