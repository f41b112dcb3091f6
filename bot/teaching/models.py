"""The tables of team knowledge: drafts, team entries and signatures, the audit, the version row
and the labelled examples.

A team entry is stored as the Markdown text of an entry file (front matter and ko/en bodies), so
it has exactly the schema of a shipped entry and `kb export` writes it back unchanged. A team
signature extends an entry (shipped or team) by id; a team entry with a shipped id overrides it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.incidents.models import Incident
from bot.storage import Base, utcnow

KIND_ENTRY = "entry"
KIND_SIGNATURE = "signature"
STATUS_PROPOSED = "proposed"
STATUS_APPROVED = "approved"
STATUS_REJECTED = "rejected"


class KnowledgeDraft(Base):
    """A proposed entry (after a resolution note) or signature (after "Not this one" / teach)."""

    __tablename__ = "kb_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # entry / signature
    status: Mapped[str] = mapped_column(String(16), default=STATUS_PROPOSED)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey(Incident.id, ondelete="SET NULL"))
    entry_id: Mapped[str] = mapped_column(String(128))  # the new entry's id, or the taught one
    title: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    fix: Mapped[str] = mapped_column(Text, default="")  # the resolution note, redacted
    signatures: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, masked + redacted
    example: Mapped[str | None] = mapped_column(Text)  # the paste, redacted (a labelled example)
    proposed_by: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where the draft was posted in Slack (None from the CLI), to update it after a decision.
    channel: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_kb_drafts_status_created_at", "status", "created_at"),)


class TeamEntry(Base):
    """An approved entry, as the Markdown text of an entry file."""

    __tablename__ = "kb_team_entries"

    entry_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    markdown: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    draft_id: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamSignature(Base):
    """An approved signature that extends an entry (shipped or team) by id."""

    __tablename__ = "kb_team_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128))
    signature: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    draft_id: Mapped[int | None] = mapped_column(Integer)
    added_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_kb_team_signatures_entry_id", "entry_id"),)


class KnowledgeAudit(Base):
    """Every change to team knowledge: who, when, what."""

    __tablename__ = "kb_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # propose / approve / reject / disable / ...
    draft_id: Mapped[int | None] = mapped_column(Integer)
    entry_id: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_kb_audit_at", "at"),)


class KnowledgeVersion(Base):
    """One row: bumped on every approved change, so each process knows cheaply when to reload."""

    __tablename__ = "kb_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabelledExample(Base):
    """A paste and the entry the team said it was (None: a new problem): training data."""

    __tablename__ = "kb_examples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey(Incident.id, ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)  # redacted
    entry_id: Mapped[str | None] = mapped_column(String(128))
    labelled_by: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # teach / resolve / picker
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("incident_id", "entry_id", name="uq_kb_examples_label"),)
