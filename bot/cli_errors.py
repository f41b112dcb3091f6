"""What `troubleshoot-bot` says when it cannot do what was asked, in the team's language.

A Korean team (BOT_LANGUAGE=ko) reads its answers in Korean; an error in the same terminal must
not switch to English. The language is the command's `--lang`, else BOT_LANGUAGE. Argument
mistakes are caught by argparse before any setting is read, so `parser_language` reads the
environment (and `--lang` in the argument list) directly, and `translate_argparse` turns the
argparse sentences a person meets into Korean (what it does not know stays as argparse wrote it).
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from collections.abc import Sequence

from bot.i18n import Catalog, normalize_language
from bot.settings import configured_language, settings

STRINGS = {
    "error": {"en": "error: {message}", "ko": "오류: {message}"},
    # argparse's own sentences, for ko (see translate_argparse)
    "required": {"en": "the following arguments are required: {names}",
                 "ko": "꼭 필요한 인자가 빠졌습니다: {names}"},
    "unrecognized": {"en": "unrecognized arguments: {names}",
                     "ko": "알 수 없는 인자입니다: {names}"},
    "invalid_choice": {"en": "argument {name}: invalid choice: {value} (choose from {choices})",
                       "ko": "{name}에 쓸 수 없는 값입니다: {value} (가능한 값: {choices})"},
    "invalid_number": {"en": "argument {name}: invalid int value: {value}",
                       "ko": "{name}에는 정수를 주세요: {value}"},
    "invalid_value": {"en": "argument {name}: invalid {kind} value: {value}",
                      "ko": "{name}의 값이 올바르지 않습니다({kind}): {value}"},
    "expected_one": {"en": "argument {name}: expected one argument",
                     "ko": "{name} 뒤에 값을 하나 주세요"},
    "not_allowed_with": {"en": "argument {name}: not allowed with argument {other}",
                         "ko": "함께 쓸 수 없는 인자입니다: {name}, {other}"},
    "one_of_required": {"en": "one of the arguments {names} is required",
                        "ko": "다음 인자 중 하나가 필요합니다: {names}"},
    "ambiguous": {"en": "ambiguous option: {option} could match {matches}",
                  "ko": "여러 옵션에 해당하는 옵션입니다: {option} ({matches})"},
    "help_hint": {"en": "`{prog} --help` shows how to use it",
                  "ko": "`{prog} --help`로 사용법을 볼 수 있습니다"},
    # a file named on the command line that cannot be read
    "file_missing": {"en": "no such file", "ko": "파일이 없습니다"},
    "file_forbidden": {"en": "permission denied", "ko": "읽을 권한이 없습니다"},
    "file_is_folder": {"en": "it is a folder, not a file", "ko": "파일이 아니라 폴더입니다"},
    "cannot_read": {"en": "cannot read {path}: {reason}",
                    "ko": "파일을 읽을 수 없습니다: {path} ({reason})"},
    # pastes
    "nothing_to_ask": {"en": "nothing to ask about: give the error as TEXT, or paste it on "
                             "standard input with `-`",
                       "ko": "물어볼 내용이 없습니다: 오류를 인자로 주거나 `-`를 주고 표준 "
                             "입력에 붙여넣으세요"},
    "nothing_to_match": {"en": "nothing to match: give the error as TEXT, or paste it on "
                               "standard input with `-`",
                         "ko": "찾아볼 내용이 없습니다: 오류를 인자로 주거나 `-`를 주고 표준 "
                               "입력에 붙여넣으세요"},
    "binary": {"en": "that looks like binary data, not an error message: paste the error text "
                     "or the log lines around it",
               "ko": "오류 메시지가 아니라 바이너리 데이터로 보입니다: 오류 문구나 그 앞뒤 로그 "
                     "줄을 붙여넣으세요"},
    "matcher_failed": {"en": "the matcher failed on this paste ({kind}); this is a bug: run "
                             "with -v for the trace and report it",
                       "ko": "이 붙여넣기를 찾아보다가 실패했습니다({kind}). 봇의 버그입니다: "
                             "`-v`를 붙여 다시 실행해 추적 내용을 확인하고 알려 주세요"},
    "top_positive": {"en": "--top must be 1 or more", "ko": "`--top`은 1 이상이어야 합니다"},
    "text_or_batch": {"en": "give either TEXT or --batch FILE, not both",
                      "ko": "붙여넣은 오류와 `--batch FILE` 중 하나만 주세요"},
    # incidents
    "incident_missing": {"en": "incident #{id} does not exist",
                         "ko": "#{id}번 인시던트는 없습니다"},
    "incident_resolved": {"en": "incident #{id} is already resolved",
                          "ko": "#{id}번 인시던트는 이미 해결되었습니다"},
    "incident_resolved_by": {"en": "incident #{id} is already resolved by @{who} on {when}",
                             "ko": "#{id}번 인시던트는 {when}에 @{who} 님이 이미 해결했습니다"},
    "incident_not_open": {"en": "incident #{id} is {status}, not open",
                          "ko": "#{id}번 인시던트는 열려 있지 않습니다 (상태: {status})"},
    "limit_positive": {"en": "--limit must be at least 1", "ko": "`--limit`은 1 이상이어야 합니다"},
    "note_required": {"en": "--note must say how it was fixed",
                      "ko": "`--note`에 무엇으로 고쳤는지 적어 주세요"},
    "retention_negative": {"en": "the retention must be 0 days or more",
                           "ko": "보관 기간은 0일 이상이어야 합니다"},
    # a knowledge file or folder that was not loaded (its problem stays as the loader wrote it)
    "kb_problem_skipped": {"en": "warning: knowledge base: {problem} (skipped; "
                                 "`troubleshoot-bot kb check` lists every problem)",
                           "ko": "경고: 지식 베이스: {problem} (건너뜀. 모든 문제는 "
                                 "`troubleshoot-bot kb check`로 볼 수 있습니다)"},
    "kb_problem_refused": {"en": "knowledge base: {problem}", "ko": "지식 베이스: {problem}"},
    "kb_invalid_not_starting": {
        "en": "not starting with an invalid knowledge base: fix the files above "
              "(`troubleshoot-bot kb check`) or KNOWLEDGE_PATH",
        "ko": "지식 베이스가 올바르지 않아 시작하지 않습니다: 위 파일을 고치거나"
              "(`troubleshoot-bot kb check`) `KNOWLEDGE_PATH`를 확인하세요"},
    "database_refused": {"en": "the database refused: {reason}",
                         "ko": "데이터베이스가 요청을 거부했습니다: {reason}"},
}

t = Catalog(STRINGS)


def command_language(given: str | None = None) -> str:
    """The language a command speaks once its arguments are read: its `--lang` (`given`),
    else BOT_LANGUAGE. (Before they are read, argparse's errors use `parser_language`.)"""
    return given or settings().bot_language


def error_line(message: str, lang: str) -> str:
    """`error: ...` / `오류: ...`, the one shape every command's failure is printed in."""
    return t("error", lang, message=message)


def file_problem(path: object, error: OSError, lang: str) -> str:
    """Why a file named on the command line cannot be read, in words rather than an errno."""
    return t("cannot_read", lang, path=path, reason=file_reason(error, lang))


def file_reason(error: OSError, lang: str) -> str:
    """`no such file` / `파일이 없습니다` for the usual errnos; the system's words otherwise."""
    reasons = {errno.ENOENT: "file_missing", errno.EACCES: "file_forbidden",
               errno.EPERM: "file_forbidden", errno.EISDIR: "file_is_folder"}
    key = reasons.get(error.errno or 0)
    return t(key, lang) if key else (error.strerror or str(error))


def parser_language(argv: Sequence[str] | None) -> str:
    """The language of an argument error: `--lang` if the arguments give one, else
    BOT_LANGUAGE (argparse runs before the settings are checked: a bad value elsewhere is
    reported after it, so here it only means the default language)."""
    args = list(argv) if argv is not None else []
    for index, arg in enumerate(args):
        if arg.startswith("--lang="):
            return normalize_language(arg.partition("=")[2], configured_language())
        if arg == "--lang" and index + 1 < len(args):
            return normalize_language(args[index + 1], configured_language())
    return configured_language()  # BOT_LANGUAGE, even when another variable is wrong


# argparse's sentences (Python 3.11-3.13), most specific first, as key -> pattern. Values stay
# as argparse quoted them; only the words around them change.
_ARGPARSE = (
    ("required", r"the following arguments are required: (?P<names>.+)"),
    ("unrecognized", r"unrecognized arguments: (?P<names>.+)"),
    ("invalid_choice", r"argument (?P<name>\S+?): invalid choice: (?P<value>.+?) "
                       r"\(choose from (?P<choices>.+)\)"),
    ("invalid_number", r"argument (?P<name>\S+?): invalid int value: (?P<value>.+)"),
    ("invalid_value", r"argument (?P<name>\S+?): invalid (?P<kind>\S+) value: (?P<value>.+)"),
    ("expected_one", r"argument (?P<name>\S+?): expected one argument"),
    ("not_allowed_with", r"argument (?P<name>\S+?): not allowed with argument (?P<other>.+)"),
    ("one_of_required", r"one of the arguments (?P<names>.+) is required"),
    ("ambiguous", r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
)


def translate_argparse(message: str, lang: str) -> str:
    if lang == "en":
        return message
    for key, pattern in _ARGPARSE:
        if found := re.fullmatch(pattern, message):
            return t(key, lang, **found.groupdict())
    return message


class TranslatedParser(argparse.ArgumentParser):
    """argparse, whose error line speaks the team's language and says where help is.

    Sub-command parsers are made from the parent's class, so one class covers every command.
    """

    language = "en"  # a subclass per language: `parser_class(lang)`

    def error(self, message: str) -> None:  # type: ignore[override]
        lang = self.language
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {error_line(translate_argparse(message, lang), lang)}\n"
                     f"{t('help_hint', lang, prog=self.prog)}\n")


def parser_class(lang: str) -> type[TranslatedParser]:
    """The parser class for a command run in `lang` (its sub-command parsers inherit it)."""
    return type(f"TranslatedParser_{lang}", (TranslatedParser,), {"language": lang})
