"""What the bot remembers about the people and channels it talks with, whatever the chat platform.

Requests already handled (so that a retry never gets a second answer), each person's language,
each channel's watch mode, and whether a channel is public. The Slack front end fills them today
(bot.slack.dedup, preferences, privacy) with Slack's ids; a second front end would use the same
tables with its own ids rather than a migration of its own. They live outside `bot.slack` so that
the storage layer's list of models need not import the Slack package.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, ChatId, utcnow


class ProcessedEvent(Base):
    """Slack event ids already handled: Slack's retries must not produce a second answer."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_processed_events_received_at", "received_at"),)


class UserSetting(Base):
    __tablename__ = "user_settings"

    workspace: Mapped[ChatId] = mapped_column(primary_key=True)
    user: Mapped[ChatId] = mapped_column(primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))


class ChannelSetting(Base):
    __tablename__ = "channel_settings"

    workspace: Mapped[ChatId] = mapped_column(primary_key=True)
    channel: Mapped[ChatId] = mapped_column(primary_key=True)
    watch: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[ChatId | None]  # who last changed it
    updated_at: Mapped[datetime | None] = mapped_column()


CHANNEL_PUBLIC = "public"
# Conversations whose readers are all people of this workspace: they may be shown what public
# channels said. A Slack Connect conversation (any kind, "shared") is read by another
# organisation too, and one Slack would not describe ("unknown") may be; both see only their own.
INTERNAL_KINDS = frozenset({CHANNEL_PUBLIC, "private", "im", "mpim"})


class ChannelPrivacy(Base):
    """What Slack's conversations.info said about a channel, cached for every worker.

    `kind` is public / private / im / mpim / shared (Slack Connect) / unknown (the lookup
    failed). Only `public` channels' incidents are shown outside their own channel.
    """

    __tablename__ = "channel_privacy"

    workspace: Mapped[ChatId] = mapped_column(primary_key=True)
    channel: Mapped[ChatId] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
