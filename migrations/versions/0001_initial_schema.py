"""Initial schema: incidents, occurrences, feedback, log-fetch audit, processed Slack events,
digest subscriptions and runs, user and channel settings (bot/incidents/models.py).

The partial unique index uq_incidents_open_fingerprint (one OPEN incident per workspace and
fingerprint) is what concurrent pastes upsert against; both SQLite and PostgreSQL support it.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 18:12:12.420701

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('channel_settings',
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('watch', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('workspace', 'channel', name=op.f('pk_channel_settings'))
    )
    op.create_table('digest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('claimed_by', sa.String(length=128), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_runs')),
    sa.UniqueConstraint('channel', 'week', name='uq_digest_runs_channel_week')
    )
    op.create_table('digest_subscriptions',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('time_of_day', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_digest_subscriptions'))
    )
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.Column('service', sa.String(length=255), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('occurrence_count', sa.Integer(), nullable=False),
    sa.Column('reported_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('time_to_resolve_s', sa.Float(), nullable=True),
    sa.Column('previous_incident_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['previous_incident_id'], ['incidents.id'], name=op.f('fk_incidents_previous_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_channel_thread_ts', ['channel', 'thread_ts'], unique=False)
        batch_op.create_index('ix_incidents_resolved_at', ['resolved_at'], unique=False)
        batch_op.create_index('ix_incidents_workspace_entry_id_last_seen', ['workspace', 'entry_id', 'last_seen'], unique=False)
        batch_op.create_index('ix_incidents_workspace_fingerprint', ['workspace', 'fingerprint'], unique=False)
        batch_op.create_index('ix_incidents_workspace_last_seen', ['workspace', 'last_seen'], unique=False)
        batch_op.create_index('ix_incidents_workspace_status_last_seen', ['workspace', 'status', 'last_seen'], unique=False)
        batch_op.create_index('uq_incidents_open_fingerprint', ['workspace', 'fingerprint'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('processed_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_processed_events'))
    )
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.create_index('ix_processed_events_received_at', ['received_at'], unique=False)

    op.create_table('user_settings',
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.PrimaryKeyConstraint('workspace', 'user', name=op.f('pk_user_settings'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.String(length=128), nullable=True),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_feedback_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('incident_id', 'entry_id', 'user', name='uq_feedback_vote')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_created_at', ['created_at'], unique=False)

    op.create_table('log_fetches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('backend', sa.String(length=32), nullable=True),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_log_fetches_incident_id_incidents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_fetches'))
    )
    with op.batch_alter_table('log_fetches', schema=None) as batch_op:
        batch_op.create_index('ix_log_fetches_user_created_at', ['user', 'created_at'], unique=False)

    op.create_table('occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('text_truncated', sa.Boolean(), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('confident', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_occurrences_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occurrences'))
    )
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.create_index('ix_occurrences_channel_created_at', ['channel', 'created_at'], unique=False)
        batch_op.create_index('ix_occurrences_channel_thread_ts', ['channel', 'thread_ts'], unique=False)
        batch_op.create_index('ix_occurrences_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_occurrences_incident_id', ['incident_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.drop_index('ix_occurrences_incident_id')
        batch_op.drop_index('ix_occurrences_created_at')
        batch_op.drop_index('ix_occurrences_channel_thread_ts')
        batch_op.drop_index('ix_occurrences_channel_created_at')

    op.drop_table('occurrences')
    with op.batch_alter_table('log_fetches', schema=None) as batch_op:
        batch_op.drop_index('ix_log_fetches_user_created_at')

    op.drop_table('log_fetches')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_created_at')

    op.drop_table('feedback')
    op.drop_table('user_settings')
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.drop_index('ix_processed_events_received_at')

    op.drop_table('processed_events')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('uq_incidents_open_fingerprint', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_incidents_workspace_status_last_seen')
        batch_op.drop_index('ix_incidents_workspace_last_seen')
        batch_op.drop_index('ix_incidents_workspace_fingerprint')
        batch_op.drop_index('ix_incidents_workspace_entry_id_last_seen')
        batch_op.drop_index('ix_incidents_resolved_at')
        batch_op.drop_index('ix_incidents_channel_thread_ts')

    op.drop_table('incidents')
    op.drop_table('digest_subscriptions')
    op.drop_table('digest_runs')
    op.drop_table('channel_settings')
