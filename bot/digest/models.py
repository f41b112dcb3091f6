"""The digest tables: which channels get a weekly digest, and the claim that posts it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, ChatId, MessageTs, utcnow


class DigestSubscription(Base):
    __tablename__ = "digest_subscriptions"

    channel: Mapped[ChatId] = mapped_column(primary_key=True)
    workspace: Mapped[ChatId]
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    time_of_day: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM local
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    language: Mapped[str | None] = mapped_column(String(2))
    created_by: Mapped[ChatId | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[ChatId | None]  # who last changed it
    updated_at: Mapped[datetime | None] = mapped_column()
    # What the digest covers (bot.digest.scope): channel / channels / workspace
    scope: Mapped[str] = mapped_column(String(16), default="channel", server_default="channel")
    scope_channels: Mapped[str | None] = mapped_column(Text)  # listed ids, space-separated


class DigestRun(Base):
    """The claim that makes a channel's weekly digest post exactly once."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[ChatId]
    week: Mapped[str] = mapped_column(String(8))  # ISO week, YYYY-Www
    status: Mapped[str] = mapped_column(String(16))  # claimed / posted / failed
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column()
    message_ts: Mapped[MessageTs | None]
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("channel", "week", name="uq_digest_runs_channel_week"),)
