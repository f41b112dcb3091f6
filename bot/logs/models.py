"""The audit of log fetches: who asked for which logs, where, and how it went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.incidents.models import Incident
from bot.storage.base import Base, ChatId, MessageTs, utcnow


class LogFetch(Base):
    """Audit of every log fetch: who asked for what, where, and how it went."""

    __tablename__ = "log_fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The column, not the name "incidents.id": importing this table then registers the one it
    # points at, which a flush needs to order the tables (the incidents domain owns it).
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey(Incident.id, ondelete="SET NULL"))
    workspace: Mapped[ChatId]
    user: Mapped[ChatId]
    channel: Mapped[ChatId]
    thread_ts: Mapped[MessageTs | None]
    target: Mapped[str] = mapped_column(String(255))  # service or endpoint[/deployment]
    backend: Mapped[str | None] = mapped_column(String(32))  # azureml-v1 / azureml-v2 / ...
    lines: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))  # ok / denied / not_found / timeout / ...
    detail: Mapped[str | None] = mapped_column(Text)  # short, redacted
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_log_fetches_user_created_at", "user", "created_at"),)
