"""Team knowledge (issue 11): drafts, team entries and signatures, audit, version, examples.

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "kb_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("fix", sa.Text(), nullable=False),
        sa.Column("signatures", sa.Text(), nullable=False),
        sa.Column("example", sa.Text(), nullable=True),
        sa.Column("proposed_by", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", MOMENT, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="SET NULL",
                                name=op.f("fk_kb_drafts_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_drafts")),
    )
    op.create_index("ix_kb_drafts_status_created_at", "kb_drafts", ["status", "created_at"])
    op.create_table(
        "kb_team_entries",
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_kb_team_entries")),
    )
    op.create_table(
        "kb_team_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_team_signatures")),
    )
    op.create_index("ix_kb_team_signatures_entry_id", "kb_team_signatures", ["entry_id"])
    op.create_table(
        "kb_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.String(length=128), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_audit")),
    )
    op.create_index("ix_kb_audit_at", "kb_audit", ["at"])
    op.create_table(
        "kb_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_version")),
    )
    op.create_table(
        "kb_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=True),
        sa.Column("labelled_by", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="SET NULL",
                                name=op.f("fk_kb_examples_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_examples")),
        sa.UniqueConstraint("incident_id", "entry_id", name="uq_kb_examples_label"),
    )


def downgrade() -> None:
    op.drop_table("kb_examples")
    op.drop_table("kb_version")
    op.drop_index("ix_kb_audit_at", table_name="kb_audit")
    op.drop_table("kb_audit")
    op.drop_index("ix_kb_team_signatures_entry_id", table_name="kb_team_signatures")
    op.drop_table("kb_team_signatures")
    op.drop_table("kb_team_entries")
    op.drop_index("ix_kb_drafts_status_created_at", table_name="kb_drafts")
    op.drop_table("kb_drafts")
