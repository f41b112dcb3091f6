"""Deployments watch and Azure Monitor alerts (issue 14).

- deployment_watches: which channels watch which deployments (a glob per row);
- deployment_reports: one row per failure episode of a deployment, the claim that makes it post
  exactly once (unique resource + episode);
- deployment_alerts: every alert received, kept until handled (unique alert id).

Revision ID: 0005_deployments
Revises: 0004_privacy
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0005_deployments"
down_revision: Union[str, Sequence[str], None] = "0004_privacy"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "deployment_watches",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("pattern", sa.String(length=255), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "pattern", name=op.f("pk_deployment_watches")),
    )
    op.create_table(
        "deployment_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.String(length=512), nullable=False),
        sa.Column("episode", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("threads", sa.Text(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_reports")),
        sa.UniqueConstraint("resource", "episode", name="uq_deployment_reports_resource_episode"),
    )
    op.create_index("ix_deployment_reports_resource_recovered_at", "deployment_reports",
                    ["resource", "recovered_at"], unique=False)
    op.create_table(
        "deployment_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=512), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_alerts")),
        sa.UniqueConstraint("alert_id", name="uq_deployment_alerts_alert_id"),
    )
    op.create_index("ix_deployment_alerts_status", "deployment_alerts", ["status"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_deployment_alerts_status", table_name="deployment_alerts")
    op.drop_table("deployment_alerts")
    op.drop_index("ix_deployment_reports_resource_recovered_at",
                  table_name="deployment_reports")
    op.drop_table("deployment_reports")
    op.drop_table("deployment_watches")
