"""What `kb eval`, `kb train` and `kb import` say when they cannot do what was asked.

A Korean team runs these commands too (BOT_LANGUAGE=ko, the default): their errors were the
last English lines in its terminal. Each problem is raised or printed by its key here, with the
values it was made from; `str()` of a `KbProblem` stays the English sentence (logs, English
readers), `said_in(lang)` is the sentence in the team's language.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from bot.cli_errors import command_language, error_line, file_reason
from bot.i18n import Catalog, KeyedMessage

# Korean puts the predicate after the values: no particle follows a placeholder.
STRINGS = {
    # reading a labelled JSONL file (kb eval, kb train)
    "eval_unreadable": {"en": "{path}: cannot read: {reason}",
                        "ko": "{path}: 파일을 읽을 수 없습니다 ({reason})"},
    "eval_not_utf8": {"en": "{path}: not UTF-8 text", "ko": "{path}: UTF-8 텍스트가 아닙니다"},
    "eval_not_json": {"en": "{path}:{line}: not JSON: {reason}",
                      "ko": "{path}:{line}: JSON이 아닙니다 ({reason})"},
    "eval_fields": {"en": '{path}:{line}: needs "text" and "expected" strings',
                    "ko": "{path}:{line}: `text`와 `expected` 문자열이 있어야 합니다"},
    # kb eval
    "eval_nothing": {"en": "give labelled FILEs, --feedback, or both",
                     "ko": "라벨이 붙은 `FILE`이나 `--feedback`, 또는 둘 다 주세요"},
    "eval_no_items": {"en": "{sources}: no items", "ko": "{sources}: 평가할 항목이 없습니다"},
    "eval_time_split": {"en": "--time-split N scores the last N of 2 or more FILEs (not "
                              "--feedback) with what the FILEs before each one teach",
                        "ko": "`--time-split N`은 `FILE` 2개 이상 중 마지막 N개를 그 앞의 "
                              "`FILE`로만 배운 것으로 평가합니다 (`--feedback`과는 함께 쓸 수 "
                              "없습니다)"},
    "eval_folds": {"en": "--cv needs 2 or more folds",
                   "ko": "`--cv`는 2 이상이어야 합니다"},
    # kb train
    "train_no_files": {"en": "no training files given and none found under tests/eval/",
                       "ko": "학습 파일을 주지 않았고 `tests/eval/`에서도 찾지 못했습니다"},
    "train_fresh_holdout": {
        "en": "{files}: a final holdout is never trained on before it is scored once; only the "
              "spent ones ({spent}) may be (bot/knowledge/training.py)",
        "ko": "{files}: 최종 홀드아웃은 한 번 평가하기 전에는 학습에 쓰지 않습니다. 이미 평가한 "
              "것({spent})만 쓸 수 있습니다 (bot/knowledge/training.py)"},
    "train_folds": {"en": "--folds needs 2 or more", "ko": "`--folds`는 2 이상이어야 합니다"},
    "train_too_little": {
        "en": "{items} items with {labels} label(s) is too little to learn from (at least 20 "
              "items, some labelled none, some with an entry)",
        "ko": "항목 {items}개, 라벨 {labels}종으로는 배울 수 없습니다 (항목 20개 이상, 일부는 "
              "none, 일부는 항목 id로 라벨이 있어야 합니다)"},
    # kb import
    "import_not_found": {"en": "guide not found: {path}", "ko": "가이드 파일이 없습니다: {path}"},
    "import_folder": {"en": "{path} is a folder; give the guide's .md file",
                      "ko": "폴더입니다. 가이드의 .md 파일을 주세요: {path}"},
    "import_not_markdown": {"en": "{path} is not a Markdown file (expected a .md guide)",
                            "ko": "Markdown 파일이 아닙니다 (.md 가이드를 주세요): {path}"},
    "import_unreadable": {"en": "cannot read {path}: {reason}",
                          "ko": "파일을 읽을 수 없습니다: {path} ({reason})"},
    "import_binary": {"en": "{path} is binary, not a Markdown text file",
                      "ko": "Markdown 텍스트가 아니라 바이너리 파일입니다: {path}"},
    "import_not_utf8": {"en": "{path} is not UTF-8 text (byte {byte}); save the guide as UTF-8",
                        "ko": "UTF-8 텍스트가 아닙니다 ({byte}번째 바이트): {path}. 가이드를 "
                              "UTF-8로 저장하세요"},
    "import_no_sections": {
        "en": "no sections found in {path}: expected `## ` headings such as "
              '`## <a name="my-error"></a>My error` with text under them',
        "ko": "섹션을 찾지 못했습니다: {path}. "
              '`## <a name="my-error"></a>My error`처럼 아래에 본문이 있는 `## ` 제목이 '
              "있어야 합니다"},
    "import_no_sections_skipped": {
        "en": "no sections found in {path}: expected `## ` headings such as "
              '`## <a name="my-error"></a>My error` with text under them (skipped as not '
              "problems or procedures: {sections})",
        "ko": "섹션을 찾지 못했습니다: {path}. "
              '`## <a name="my-error"></a>My error`처럼 아래에 본문이 있는 `## ` 제목이 '
              "있어야 합니다 (문제나 절차가 아니어서 건너뛴 섹션: {sections})"},
    "import_guide_format": {"en": "{path}: {reason}", "ko": "{path}: {reason}"},
    "import_conflict": {"en": "not overwriting finished entries in {out} (no `draft: true`): "
                              "{names}. Pass --force to replace them, or import into another "
                              "folder.",
                        "ko": "{out}의 완성된 항목(`draft: true` 없음)은 덮어쓰지 않습니다: "
                              "{names}. 바꾸려면 `--force`를 주거나 다른 폴더로 가져오세요."},
    "import_cannot_write": {"en": "cannot write drafts to {out}: {reason}",
                            "ko": "초안을 쓸 수 없습니다: {out} ({reason})"},
}

say = Catalog(STRINGS)


class KbProblem(KeyedMessage, ValueError):
    """A problem of a `kb` command: the English sentence as `str()`, and its key and values to
    say it in another language (`said_in`)."""

    catalog = say

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.english(key, values))

    def values_in(self, lang: str) -> Mapping[str, object]:
        # An OSError is kept as it was raised: its reason is worded in the reader's language.
        return {name: file_reason(value, lang) if isinstance(value, OSError) else value
                for name, value in self.values.items()}


def complain(command: str, problem: KbProblem, code: int = 2) -> int:
    """`troubleshoot-bot kb eval: 오류: ...` on stderr, in BOT_LANGUAGE; returns `code`."""
    lang = command_language()
    print(f"troubleshoot-bot {command}: {error_line(problem.said_in(lang), lang)}",
          file=sys.stderr)
    return code
