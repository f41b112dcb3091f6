"""Alembic migrations on both databases: from empty, down to base and up again, and in step
with the models (autogenerate finds nothing to add)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot.storage import normalize_database_url
from bot.storage.all_models import metadata
from bot.storage.migrations import current, downgrade, head_revision, upgrade

EXPECTED_TABLES = {"incidents", "occurrences", "feedback", "log_fetches", "processed_events",
                   "digest_subscriptions", "digest_runs", "user_settings", "channel_settings",
                   "channel_privacy", "deployment_watches", "deployment_reports",
                   "deployment_alerts", "kb_drafts", "kb_team_entries", "kb_team_signatures",
                   "kb_audit", "kb_version", "kb_examples"}


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_database_url(url))
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_every_migrated_table_is_declared_by_a_domain() -> None:
    """bot.storage.all_models lists every domain's models: none is left out of autogenerate."""
    assert set(metadata().tables) == EXPECTED_TABLES


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    assert current(database_url) is None
    upgrade(database_url)
    assert current(database_url) == head_revision()
    assert _tables(database_url) == EXPECTED_TABLES


def test_upgrade_twice_is_a_no_op(migrated_database_url: str) -> None:
    upgrade(migrated_database_url)
    assert current(migrated_database_url) == head_revision()


def test_downgrade_to_base_and_up_again(migrated_database_url: str) -> None:
    downgrade(migrated_database_url, "base")
    assert current(migrated_database_url) is None
    assert _tables(migrated_database_url) == set()
    upgrade(migrated_database_url)
    assert _tables(migrated_database_url) == EXPECTED_TABLES


def test_models_and_migrations_agree(migrated_database_url: str) -> None:
    engine = create_engine(normalize_database_url(migrated_database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": metadata()})
            assert compare_metadata(context, metadata()) == []
    finally:
        engine.dispose()


def test_partial_unique_index_is_created_on_both_databases(migrated_database_url: str) -> None:
    engine = create_engine(normalize_database_url(migrated_database_url))
    try:
        indexes = {index["name"]: index for index in inspect(engine).get_indexes("incidents")}
    finally:
        engine.dispose()
    arbiter = indexes["uq_incidents_open_fingerprint"]
    assert arbiter["unique"]
    assert arbiter["column_names"] == ["workspace", "fingerprint"]
