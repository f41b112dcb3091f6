"""The incident tables: incidents, their occurrences, and the feedback on answers.

Alembic migrations in `migrations/versions` must agree with every domain's models exactly (a test
runs autogenerate over `bot.storage.all_models` and expects no difference).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base, ChatId, MessageTs, utcnow

STATUS_OPEN = "open"
STATUS_RESOLVED = "resolved"
STATUS_DISMISSED = "dismissed"


class Incident(Base):
    """One problem in one workspace: repeats of the same fingerprint join it while it is open."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace: Mapped[ChatId]
    channel: Mapped[ChatId | None]
    thread_ts: Mapped[MessageTs | None]
    service: Mapped[str | None] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str | None] = mapped_column(String(128))  # None: no confident match
    # The key error line twice: as people read it (redacted) for lists, the Home tab and the
    # digest, and masked (`<num>/<num> nodes`) for comparing repeats in find_similar.
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_key: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=STATUS_OPEN)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    occurrence_count: Mapped[int] = mapped_column(Integer, default=0)
    reported_by: Mapped[ChatId | None]
    resolved_by: Mapped[ChatId | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # The channel the note was written in: a note written in a private channel is shown only
    # there, even when the incident itself belongs to a public channel. None: the CLI.
    resolved_in: Mapped[ChatId | None]
    resolved_at: Mapped[datetime | None] = mapped_column()
    time_to_resolve_s: Mapped[float | None] = mapped_column(Float)
    # A recurrence after resolution opens a new incident that points at the old one.
    previous_incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    # Who said "I'm on it" (the card's owner button); the latest one to say so.
    owner: Mapped[ChatId | None]
    owned_at: Mapped[datetime | None] = mapped_column()

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
        # Similar incidents by KB entry, newest id first, without sorting the whole entry; the
        # channel lets a Slack reader's filter skip the table rows (migration 0011).
        Index("ix_incidents_workspace_entry_id_id_channel", "workspace", "entry_id", "id",
              "channel"),
        # The bounded set of recent incidents that find_similar compares texts against, read
        # from the index alone (id as the tie-break, summary_key the text compared): through
        # (workspace, last_seen) SQLite looked up 2,000 table rows per paste (migration 0010).
        # The channel: a Slack reader's slice, of the channels it may see, also from the index
        # alone (migration 0011).
        Index("ix_incidents_workspace_last_seen_id_channel_key", "workspace", "last_seen", "id",
              "channel", "summary_key"),
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
    user: Mapped[ChatId | None]
    channel: Mapped[ChatId | None]
    thread_ts: Mapped[MessageTs | None]
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
    """A vote on an answer: 👍/👎 in Slack (or the older "Fixed it" / "Not this one")."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"))
    entry_id: Mapped[str | None] = mapped_column(String(128))
    user: Mapped[ChatId]
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # One vote per person per answer; a second click changes the vote.
        UniqueConstraint("incident_id", "entry_id", "user", name="uq_feedback_vote"),
        Index("ix_feedback_created_at", "created_at"),
    )
