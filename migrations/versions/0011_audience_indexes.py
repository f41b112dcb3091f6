"""find_similar for a Slack audience read from indexes that hold the channel (round 11).

A Slack reader's candidate queries filter on the channels it may see. The recent-text slice went
through (workspace, last_seen, id, summary_key) and looked up each table row for its channel
(or, for a few channels, through (channel, thread_ts) with a sort of all their incidents); the
same-entry slice read every incident of the entry, a table row each, and sorted them by id.
Both indexes now hold the channel, so the filter is read from the index alone:
(workspace, last_seen, id, channel, summary_key) replaces 0010's index (the CLI's slice, with no
audience, reads it as before), and (workspace, entry_id, id, channel) replaces
(workspace, entry_id, last_seen), which only find_similar used and which it orders by id.

Revision ID: 0011
Revises: 0010
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_incidents_workspace_last_seen_id_channel_key", "incidents",
                    ["workspace", "last_seen", "id", "channel", "summary_key"])
    op.drop_index("ix_incidents_workspace_last_seen_id_key", table_name="incidents")
    op.create_index("ix_incidents_workspace_entry_id_id_channel", "incidents",
                    ["workspace", "entry_id", "id", "channel"])
    op.drop_index("ix_incidents_workspace_entry_id_last_seen", table_name="incidents")


def downgrade() -> None:
    op.create_index("ix_incidents_workspace_entry_id_last_seen", "incidents",
                    ["workspace", "entry_id", "last_seen"])
    op.drop_index("ix_incidents_workspace_entry_id_id_channel", table_name="incidents")
    op.create_index("ix_incidents_workspace_last_seen_id_key", "incidents",
                    ["workspace", "last_seen", "id", "summary_key"])
    op.drop_index("ix_incidents_workspace_last_seen_id_channel_key", table_name="incidents")
