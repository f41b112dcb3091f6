"""`troubleshoot-bot db upgrade|downgrade|current`: migrations from the command line.

Database and Alembic errors become one clear line on stderr, never a traceback. Everything is
said in BOT_LANGUAGE (revision ids, URLs and Alembic's own messages stay as they are).
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.cli_errors import command_language, error_line
from bot.i18n import Catalog
from bot.storage.check import database_reason
from bot.storage.check import t as database_says
from bot.storage.migrations import current, downgrade, head_revision, upgrade
from bot.storage.urls import database_url, printable_url

STRINGS = {
    "already_at_head": {"en": "{url}: already at {revision} (head)",
                        "ko": "{url}: 이미 최신 버전입니다 ({revision})"},
    "upgraded": {"en": "{url}: upgraded {before} -> {after}",
                 "ko": "{url}: 업그레이드했습니다 ({before} -> {after})"},
    "empty": {"en": "<empty>", "ko": "<빈 데이터베이스>"},
    "downgraded": {"en": "{url}: now at {revision}", "ko": "{url}: 이제 버전 {revision}"},
    "base": {"en": "<base>", "ko": "<base: 테이블 없음>"},
    "drops": {"en": "db downgrade {revision} on {url} drops tables or columns and the data in "
                    "them",
              "ko": "`db downgrade {revision}`: {url}의 테이블이나 열이 그 안의 데이터와 함께 "
                    "지워집니다"},
    "drops_everything": {"en": " (every incident and occurrence)",
                         "ko": " (모든 인시던트와 발생 기록)"},
    "not_without_yes": {"en": "{warning}; nothing was changed. Re-run with --yes to do it.",
                        "ko": "{warning}. 아무것도 바꾸지 않았습니다. 그래도 하려면 `--yes`를 "
                              "붙여 다시 실행하세요"},
    "type_yes": {"en": "{warning}. Type 'yes' to go on: ",
                 "ko": "{warning}. 계속하려면 yes를 입력하세요: "},
    "nothing_changed": {"en": "nothing was changed", "ko": "아무것도 바꾸지 않았습니다"},
    "not_initialised": {"en": "{url}: not initialised (run `troubleshoot-bot db upgrade`)",
                        "ko": "{url}: 아직 준비되지 않았습니다 (`troubleshoot-bot db upgrade`를 "
                              "실행하세요)"},
    "at_head": {"en": "{revision} (head)", "ko": "{revision} (최신 버전)"},
    "behind_head": {"en": "{revision} (behind head: run db upgrade)",
                    "ko": "{revision} (최신 버전이 아닙니다: `troubleshoot-bot db upgrade`를 "
                          "실행하세요)"},
}

say = Catalog(STRINGS)


def run_upgrade(args: argparse.Namespace) -> int:
    url, lang = database_url(), command_language()
    before = _guarded(lambda: current(url), url, lang)
    if before is _FAILED:
        return 1
    if _guarded(lambda: upgrade(url), url, lang) is _FAILED:
        return 1
    after = current(url)
    if before == after:
        print(say("already_at_head", lang, url=printable_url(url), revision=after))
    else:
        print(say("upgraded", lang, url=printable_url(url), before=before or say("empty", lang),
                  after=after))
    return 0


def run_downgrade(args: argparse.Namespace) -> int:
    url, lang = database_url(), command_language()
    if not args.yes and not _confirmed_downgrade(url, args.revision, lang):
        return 2
    if _guarded(lambda: downgrade(url, args.revision), url, lang) is _FAILED:
        return 1
    print(say("downgraded", lang, url=printable_url(url),
              revision=current(url) or say("base", lang)))
    return 0


def _confirmed_downgrade(url: str, revision: str, lang: str) -> bool:
    """A downgrade drops tables or columns and what they hold (`base`: every incident): ask on a
    terminal, refuse elsewhere unless `--yes` was given."""
    warning = (say("drops", lang, revision=revision, url=printable_url(url))
               + (say("drops_everything", lang) if revision == "base" else ""))
    if not sys.stdin.isatty():
        print(error_line(say("not_without_yes", lang, warning=warning), lang), file=sys.stderr)
        return False
    try:
        answer = input(say("type_yes", lang, warning=warning))
    except EOFError:
        answer = ""
    if answer.strip().lower() == "yes":
        return True
    print(say("nothing_changed", lang), file=sys.stderr)
    return False


def run_current(args: argparse.Namespace) -> int:
    url, lang = database_url(), command_language()
    revision = _guarded(lambda: current(url), url, lang)
    if revision is _FAILED:
        return 1
    if revision is None:
        print(say("not_initialised", lang, url=printable_url(url)))
    else:
        print(say("at_head" if revision == head_revision() else "behind_head", lang,
                  revision=revision))
    return 0


_FAILED = object()


def _guarded(action, url: str, lang: str):  # type: ignore[no-untyped-def]
    """Run a migration step; turn database and Alembic errors into one clear line on stderr."""
    from alembic.util import CommandError

    try:
        return action()
    except CommandError as error:
        print(error_line(str(error), lang), file=sys.stderr)
    except SQLAlchemyError as error:
        print(error_line(database_says("unreachable", lang, url=printable_url(url),
                                       reason=database_reason(error, lang)), lang),
              file=sys.stderr)
    return _FAILED
