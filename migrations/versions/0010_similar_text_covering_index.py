"""find_similar's recent-text slice read from one index (round 10).

The slice is the 2,000 newest incidents of a workspace with their masked summaries. Through
(workspace, last_seen) SQLite looked up each of the 2,000 table rows for its summary_key: about
three quarters of find_similar's time at 100,000 incidents. This index holds the key too, and
the id as the tie-break the query orders by, so the slice is read from the index alone. It
replaces (workspace, last_seen), whose every use its leading columns still serve.

Revision ID: 0010
Revises: 0009
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_incidents_workspace_last_seen_id_key", "incidents",
                    ["workspace", "last_seen", "id", "summary_key"])
    op.drop_index("ix_incidents_workspace_last_seen", table_name="incidents")


def downgrade() -> None:
    op.create_index("ix_incidents_workspace_last_seen", "incidents", ["workspace", "last_seen"])
    op.drop_index("ix_incidents_workspace_last_seen_id_key", table_name="incidents")
