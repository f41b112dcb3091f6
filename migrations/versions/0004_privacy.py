"""Privacy of channels and who changed channel settings (issue 9, items 5 and 6).

- channel_privacy: conversations.info's answer per channel, cached for every worker.
- incidents.resolved_in: the channel a resolution note was written in.
- channel_settings / digest_subscriptions: updated_by, updated_at.

Revision ID: 0004_privacy
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0004_privacy"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SETTINGS_TABLES = ("channel_settings", "digest_subscriptions")


def upgrade() -> None:
    op.create_table(
        "channel_privacy",
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workspace", "channel", name=op.f("pk_channel_privacy")),
    )
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("resolved_in", sa.String(length=64), nullable=True))
    for table in SETTINGS_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("updated_by", sa.String(length=64), nullable=True))
            batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in SETTINGS_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_at")
            batch.drop_column("updated_by")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("resolved_in")
    op.drop_table("channel_privacy")
