"""Digest scope per subscription (issue 13): the channel's own incidents (the default), listed
channels, or the whole workspace's public channels.

- digest_subscriptions.scope: channel / channels / workspace
- digest_subscriptions.scope_channels: the listed channel ids, space-separated

Revision ID: 0006
Revises: 0005_deployments
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005_deployments"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as batch:
        # Existing subscriptions keep what they had: their own channel only.
        batch.add_column(sa.Column("scope", sa.String(length=16), nullable=False,
                                   server_default="channel"))
        batch.add_column(sa.Column("scope_channels", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as batch:
        batch.drop_column("scope_channels")
        batch.drop_column("scope")
