"""The declarative Base every domain's tables derive from, and what they share.

One Base means one MetaData: Alembic compares the migrations with it (see `all_models`), and
foreign keys between domains (a log fetch points at an incident) resolve by table name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Named constraints make migrations portable and downgrades possible on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Column types the domains share, so that one id is as wide in every table that stores it.
# An id a chat platform hands out: a workspace, channel or user (Slack's are about 11 characters;
# the deployment watcher and the CLI store names of their own).
ChatId = Annotated[str, mapped_column(String(64))]
# A message's timestamp, which is also how Slack names a thread (`1712345678.123456`).
MessageTs = Annotated[str, mapped_column(String(32))]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}
