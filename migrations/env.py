"""Alembic environment. The URL comes from `bot.storage.migrations.alembic_config`
(or DATABASE_URL); the target metadata is every domain's ORM models (`bot.storage.all_models`),
so autogenerate compares against all of them.
"""

from __future__ import annotations

from alembic import context

from bot.storage import database_url, make_engine, normalize_database_url
from bot.storage.all_models import metadata

config = context.config
target_metadata = metadata()


def _url() -> str:
    url = config.attributes.get("database_url")
    return normalize_database_url(url) if url else database_url()


def _options(dialect_name: str) -> dict[str, object]:
    # SQLite cannot ALTER most things in place: batch mode copies the table instead.
    return {"target_metadata": target_metadata, "compare_type": True,
            "render_as_batch": dialect_name == "sqlite"}


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"},
                      **_options(url.split(":", 1)[0].split("+", 1)[0]))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # a caller (a test) lends its own connection
        context.configure(connection=connection, **_options(connection.dialect.name))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **_options(connection.dialect.name))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
