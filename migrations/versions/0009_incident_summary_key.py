"""The incident's error line in two forms (round 9): one to read, one to compare.

- incidents.summary: now the line as pasted, redacted, not masked: lists, the Home tab and the
  digest showed `<num>/<num> nodes are available` where the paste said `0/3`
- incidents.summary_key: the same line masked, what find_similar compares repeats by (other pod
  names, ids, times). Existing rows' summaries are masked already: they become their keys.

Revision ID: 0009
Revises: 0008
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("summary_key", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE incidents SET summary_key = summary")


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("summary_key")
