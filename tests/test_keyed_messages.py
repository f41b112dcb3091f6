"""A refusal, a `kb` problem, a start-up error, why a log fetch failed and why the database
cannot be used are each said in the reader's language from
their key and values (bot.i18n.KeyedMessage): every key of each catalogue, in Korean and in
English, with the values it was raised with. A key whose Korean went missing would reach a
Korean team in English (the catalogue's fallback); here it fails."""

from __future__ import annotations

import errno
import re
from collections.abc import Callable, Mapping

import pytest

from bot.i18n import KeyedMessage, placeholders
from bot.knowledge import cli_problems
from bot.knowledge.cli_problems import KbProblem
from bot.logs import source
from bot.logs.source import BackendError, LogFetchError, PermissionDenied
from bot.slack import config
from bot.slack.config import ConfigError
from bot.storage import check
from bot.storage.check import DatabaseProblem
from bot.teaching import refusals
from bot.teaching.refusals import Refused

HANGUL = re.compile(r"[가-힣]")

# Keys that read the same in both languages: the whole line is someone else's words.
SAME_IN_BOTH = {"import_guide_format"}  # "{path}: {reason}", the YAML parser's reason
# Pieces of config's sentences, never raised alone (they fill `mode` and `required`).
CONFIG_PIECES = {"http_mode", "socket_mode", "and"}

Make = Callable[[str, Mapping[str, str]], KeyedMessage]


def samples(template: str) -> dict[str, str]:
    """A recognisable value for each placeholder: `id` -> `<id:7>`."""
    return {name: f"<{name}:7>" for name in placeholders(template)}


def make_config_error(key: str, values: Mapping[str, str]) -> KeyedMessage:
    if key.startswith("missing_"):  # as load_settings raises it
        values = {**values, "mode": "http_mode",
                  "required": "SLACK_BOT_TOKEN,SLACK_SIGNING_SECRET"}
    return ConfigError(key, **values)


CASES: list[tuple[str, Make, str]] = [
    *[("refusals", lambda key, values: Refused(key, **values), key)
      for key in refusals.STRINGS],
    *[("cli_problems", lambda key, values: KbProblem(key, **values), key)
      for key in cli_problems.STRINGS],
    *[("config", make_config_error, key) for key in config.STRINGS if key not in CONFIG_PIECES],
    *[("log_reasons", lambda key, values: LogFetchError(key=key, **values), key)
      for key in source.REASONS],
    *[("database", lambda key, values: DatabaseProblem(key, **values), key)
      for key in check.STRINGS],
]
TABLES = {"refusals": refusals.STRINGS, "cli_problems": cli_problems.STRINGS,
          "config": config.STRINGS, "log_reasons": source.REASONS, "database": check.STRINGS}


@pytest.mark.parametrize(("catalogue", "make", "key"), CASES,
                         ids=[f"{catalogue}:{key}" for catalogue, _make, key in CASES])
def test_each_key_is_said_in_korean_and_english_with_its_values(
        catalogue: str, make: Make, key: str) -> None:
    values = samples(TABLES[catalogue][key]["en"])
    message = make(key, values)
    korean, english = message.said_in("ko"), message.said_in("en")
    for said in (korean, english):
        assert "{" not in said, said  # every placeholder filled
        for name, value in values.items():
            if name not in ("mode", "required"):
                assert value in said, (name, said)
    assert str(message) == english  # what logs and an English terminal read
    if key not in SAME_IN_BOTH:
        assert HANGUL.search(korean), korean  # Korean, not the English fallback
        assert not HANGUL.search(english), english


def test_a_start_up_error_names_its_mode_and_variables_in_the_readers_words() -> None:
    error = make_config_error("missing_one", {"missing": "SLACK_SIGNING_SECRET"})
    assert error.said_in("ko") == (
        "troubleshoot-bot serve: 설정되지 않은 변수: SLACK_SIGNING_SECRET (HTTP 모드에 필요한 "
        "변수: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET). 환경 변수나 .env 파일에 넣으세요"
        "(docs/slack.md 참고).")
    assert str(error) == error.said_in("en") == (
        "troubleshoot-bot serve: SLACK_SIGNING_SECRET is not set (HTTP mode needs "
        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET). Set it in the environment or in a .env "
        "file; see docs/slack.md.")


def test_a_file_reason_is_worded_for_the_reader_but_logged_as_raised() -> None:
    gone = FileNotFoundError(errno.ENOENT, "No such file or directory", "guide.md")
    problem = KbProblem("import_unreadable", path="guide.md", reason=gone)
    assert problem.said_in("ko") == "파일을 읽을 수 없습니다: guide.md (파일이 없습니다)"
    assert problem.said_in("en") == "cannot read guide.md: no such file"
    assert str(problem) == f"cannot read guide.md: {gone}"  # the system's own words, in logs


def test_each_keeps_the_base_its_callers_catch() -> None:
    assert isinstance(Refused("no_draft", id=3), str)
    assert isinstance(KbProblem("eval_folds"), ValueError)
    assert isinstance(ConfigError("not_bot_token"), SystemExit)
    assert isinstance(PermissionDenied(key="why_forbidden", workspace="ws"), LogFetchError)
    assert Refused("no_draft", id=3) == "no draft #3"


def test_a_log_fetch_error_keeps_its_english_for_the_audit_and_the_server_log() -> None:
    """The audit row and the server log read the same sentences as before they were keyed."""
    denied = PermissionDenied(key="why_forbidden", workspace="ml-prod")
    assert denied.message == str(denied) == (
        "the bot's identity has no access to workspace ml-prod: grant it a Reader role (or "
        "AzureML Data Scientist) on the workspace")
    assert denied.said_in("ko") == (
        "봇의 ID에 ml-prod 워크스페이스 접근 권한이 없습니다. 워크스페이스에 `Reader`(또는 "
        "`AzureML Data Scientist`) 역할을 주세요")
    # A sentence that names settings has no key: the server log's English, as written.
    unkeyed = BackendError("could not list services: KeyError")
    assert unkeyed.said_in("ko") == unkeyed.message == "could not list services: KeyError"


def test_a_database_problem_reads_as_its_english_sentence() -> None:
    behind = DatabaseProblem("behind", revision="0007", head="0009")
    assert str(behind) == ("database schema is at 0007, this version needs 0009: run "
                           "`troubleshoot-bot db upgrade`")
    assert "0007" in behind.said_in("ko") and HANGUL.search(behind.said_in("ko"))
    assert DatabaseProblem("unreachable", url="u", reason="r").unreachable
    assert not behind.unreachable
