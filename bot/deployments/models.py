"""The SQL tables of the deployments domain: watches, reported failure episodes, alerts.

Migration 0005 creates them; a test compares the migrations with these models.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, ChatId, utcnow


class DeploymentWatch(Base):
    """A channel that wants to hear about failed deployments whose name matches `pattern`."""

    __tablename__ = "deployment_watches"

    channel: Mapped[ChatId] = mapped_column(primary_key=True)
    pattern: Mapped[str] = mapped_column(String(255), primary_key=True)  # glob, "*" for all
    workspace: Mapped[ChatId | None]  # Slack team; None from the CLI
    language: Mapped[str | None] = mapped_column(String(2))  # None: BOT_LANGUAGE
    created_by: Mapped[ChatId | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeploymentReport(Base):
    """The claim that makes one failure episode of one deployment post exactly once.

    `resource` is the backend and the name (`azureml-v2:endpoint/deployment`,
    `azureml-v1:service`); `episode` is what tells failures apart: the deployment's
    last-modified time (plus `#n` after n recoveries at that same time), or `alert:<id>` for
    an alert on a deployment that Azure does not report as failed (a metric alert).
    """

    __tablename__ = "deployment_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource: Mapped[str] = mapped_column(String(512))
    episode: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))  # claimed / posted
    origin: Mapped[str] = mapped_column(String(16))  # watch / alert
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column()
    threads: Mapped[str | None] = mapped_column(Text)  # JSON [[channel, ts], ...] of the posts
    incident_id: Mapped[int | None] = mapped_column(Integer)
    recovered_at: Mapped[datetime | None] = mapped_column()  # seen healthy again after this

    __table_args__ = (
        UniqueConstraint("resource", "episode", name="uq_deployment_reports_resource_episode"),
        Index("ix_deployment_reports_resource_recovered_at", "resource", "recovered_at"),
    )


class DeploymentAlert(Base):
    """An Azure Monitor alert as received: stored before it is acknowledged, so that an alert
    whose handling fails (Azure down, the process killed) is handled by the next cycle."""

    __tablename__ = "deployment_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(512))  # essentials.alertId (+ condition)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[str] = mapped_column(Text)  # the parsed essentials, JSON (no secrets)
    status: Mapped[str] = mapped_column(String(16))  # pending / done
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)  # what handling it did, or why it failed

    __table_args__ = (
        UniqueConstraint("alert_id", name="uq_deployment_alerts_alert_id"),
        Index("ix_deployment_alerts_status", "status"),
    )
