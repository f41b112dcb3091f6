"""The one list of every domain's tables, for Alembic and for checks that need the whole schema.

Each domain declares its tables in its own `models.py` on the shared Base (bot.storage.base), and
a table exists in `Base.metadata` only once its module is imported. Alembic's autogenerate, the
test that migrations and models agree, and any `create_all` must see all of them: they ask here,
so a forgotten import cannot make a table look dropped. This is the only place where the storage
layer names domain packages, and it imports them only when called.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from bot.storage.base import Base

# A new domain with tables adds its module here (and a migration in migrations/versions).
MODEL_MODULES = (
    "bot.incidents.models",  # incidents, occurrences, feedback
    "bot.logs.models",  # log_fetches
    "bot.digest.models",  # digest_subscriptions, digest_runs
    "bot.chat.models",  # processed_events, user_settings, channel_settings, channel_privacy
    "bot.deployments.models",  # deployment_watches, deployment_reports, deployment_alerts
    "bot.teaching.models",  # kb_drafts, kb_team_entries, kb_team_signatures, kb_audit, ...
)


def metadata() -> MetaData:
    """`Base.metadata` with every domain's tables registered."""
    for module_name in MODEL_MODULES:
        importlib.import_module(module_name)
    return Base.metadata
