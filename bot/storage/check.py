"""Is this database ready for the bot? One sentence for the person when it is not.

Commands that read or write incidents and digests ask first, so that a database never migrated,
behind the code, or out of reach gets one clear line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.i18n import Catalog, KeyedMessage
from bot.storage.errors import database_error_reason
from bot.storage.migrations import current, head_revision
from bot.storage.sqlite_readonly import READ_ONLY_HINT
from bot.storage.urls import printable_url

STRINGS = {
    "not_initialised": {"en": "database not initialised: run `troubleshoot-bot db upgrade`",
                        "ko": "데이터베이스가 아직 준비되지 않았습니다: "
                              "`troubleshoot-bot db upgrade`를 실행하세요"},
    "unreachable": {"en": "cannot use the database at {url}: {reason}",
                    "ko": "데이터베이스({url})를 쓸 수 없습니다: {reason}"},
    "behind": {"en": "database schema is at {revision}, this version needs {head}: run "
                     "`troubleshoot-bot db upgrade`",
               "ko": "데이터베이스 스키마가 이 버전과 맞지 않습니다(현재 {revision}, 필요 {head}): "
                     "`troubleshoot-bot db upgrade`를 실행하세요"},
    "not_a_url": {"en": "DATABASE_URL is not a database URL: {url}",
                  "ko": "`DATABASE_URL`이 데이터베이스 주소가 아닙니다: {url}"},
    "read_only": {"en": READ_ONLY_HINT,  # the sentence database_error_reason gives
                  "ko": "이 사용자는 데이터베이스 파일(SQLite)을 읽기만 할 수 있습니다: "
                        "읽기만 하는 명령은 되지만 이 명령은 기록합니다. 파일 주인인 사용자로 "
                        "실행하거나 파일과 그 폴더에 쓰기 권한을 주세요"},
}

t = Catalog(STRINGS)


class DatabaseProblem(KeyedMessage):
    """Why the database cannot be used yet: a STRINGS key and its values, said in either
    language (`said_in`); `str()` is English."""

    catalog = t

    def __init__(self, key: str, **values: str) -> None:
        self.key, self.values = key, values

    @property
    def unreachable(self) -> bool:
        """Out of reach (down, refused) rather than reached but not ready for this version."""
        return self.key == "unreachable"

    def __str__(self) -> str:
        return self.said_in("en")

    def __repr__(self) -> str:
        return f"DatabaseProblem({self.key!r}, **{self.values!r})"


def database_reason(error: BaseException, lang: str) -> str:
    """Why a database call failed, in `lang` when the sentence is ours (a read-only SQLite
    file), else the driver's first line."""
    reason = database_error_reason(error)
    return t("read_only", lang) if reason == READ_ONLY_HINT else reason


def database_problem(url: str) -> DatabaseProblem | None:
    """None when the database is at the newest migration, else what to tell the person.

    Never creates anything: a missing SQLite file is reported, not made.
    """
    try:
        parsed = make_url(url)
    except Exception:
        return DatabaseProblem("not_a_url", url=printable_url(url))
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                                 ":memory:")
    if is_file and not Path(str(parsed.database)).exists():
        return DatabaseProblem("not_initialised")
    try:
        revision = current(url)
    except SQLAlchemyError as error:
        return DatabaseProblem("unreachable", url=printable_url(url),
                               reason=database_error_reason(error))
    if revision is None:
        return DatabaseProblem("not_initialised")
    if revision != head_revision():
        return DatabaseProblem("behind", revision=revision, head=head_revision())
    return None
