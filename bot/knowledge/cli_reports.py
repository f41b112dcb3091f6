"""What `kb import` and `kb train` tell the person who ran them when they succeed.

Their problems were already said in BOT_LANGUAGE (cli_problems); what they made, what the
import skipped and why, and which files training wrote were the last English lines in a Korean
team's terminal. The draft planner (drafts.py) says why it skipped a section as an `ImportNote`,
a key and its values, so the planner stays free of languages and the report says it in the
reader's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import Catalog, KeyedMessage

# Korean puts the predicate after the values: no particle follows a placeholder.
STRINGS = {
    # kb import: what was made
    # `_one` / `_many`: English counts one thing in the singular (`counted`)
    "imported_one": {"en": "Imported {count} draft entry from {guide} into {out}:",
                     "ko": "초안 항목 {count}개를 만들었습니다 (가이드: {guide}, 폴더: {out}):"},
    "imported_many": {"en": "Imported {count} draft entries from {guide} into {out}:",
                      "ko": "초안 항목 {count}개를 만들었습니다 (가이드: {guide}, 폴더: {out}):"},
    "signature_count_one": {"en": "{count} signature", "ko": "시그니처 {count}개"},
    "signature_count_many": {"en": "{count} signatures", "ko": "시그니처 {count}개"},
    "skipped_one": {"en": "Skipped {count} section:", "ko": "건너뛴 섹션 {count}개:"},
    "skipped_many": {"en": "Skipped {count} sections:", "ko": "건너뛴 섹션 {count}개:"},
    "skipped_row": {"en": "{anchor} row {row}", "ko": "{anchor} 표 {row}행"},
    "note": {"en": "Note: {note}", "ko": "참고: {note}"},
    "next": {"en": "Next: rewrite each draft in your own words, then delete its `draft: true` "
                   "line; `troubleshoot-bot kb check` validates the result.",
             "ko": "다음 단계: 초안마다 내용을 직접 다시 쓴 뒤 `draft: true` 줄을 지우세요. "
                   "`troubleshoot-bot kb check`로 결과를 검사할 수 있습니다."},
    "older_drafts_one": {"en": "Note: {count} older draft in {out} was not made by this import "
                               "and was left as it is: {names}",
                         "ko": "참고: 이번 가져오기가 만들지 않은 예전 초안 {count}개는 그대로 "
                               "두었습니다 (폴더: {out}): {names}"},
    "older_drafts_many": {"en": "Note: {count} older drafts in {out} were not made by this "
                                "import and were left as they are: {names}",
                          "ko": "참고: 이번 가져오기가 만들지 않은 예전 초안 {count}개는 그대로 "
                                "두었습니다 (폴더: {out}): {names}"},
    # kb import: why the planner skipped a section (drafts.py)
    "skip_page_title": {"en": "page title and introduction", "ko": "페이지 제목과 소개"},
    "skip_well_known": {"en": "not a problem or procedure (well-known section)",
                        "ko": "문제나 절차가 아닌 정해진 섹션 (사전 요구 사항, 다음 단계 등)"},
    "skip_no_text": {"en": "no text under the heading", "ko": "제목 아래에 본문이 없음"},
    "skip_split_rows": {"en": "split into {count} entries, one per table row",
                        "ko": "표의 행마다 항목 하나씩, {count}개로 나눔"},
    "skip_lead_in": {"en": "lead-in to {count} subsections, each an entry",
                     "ko": "하위 섹션 {count}개를 안내하는 도입부 (하위 섹션이 각각 항목이 됨)"},
    "skip_not_an_error": {"en": "a success or redirect status, not an error",
                          "ko": "오류가 아니라 성공이나 리디렉션 상태 코드"},
    # kb import: a note on the plan (drafts.choose_base_url)
    "base_url_assumed": {
        "en": "ms.service is {service}: source links assume {url}; pass --base-url if the "
              "guide lives elsewhere",
        "ko": "`ms.service`({service})에 맞는 주소를 몰라 출처 링크를 기본 주소({url}) 기준으로 "
              "만들었습니다. 가이드가 다른 곳에 게시되어 있으면 `--base-url`을 주세요"},
    "base_url_no_service": {
        "en": "ms.service is 'missing': source links assume {url}; pass --base-url if the "
              "guide lives elsewhere",
        "ko": "가이드에 `ms.service`가 없어 출처 링크를 기본 주소({url}) 기준으로 만들었습니다. "
              "가이드가 다른 곳에 게시되어 있으면 `--base-url`을 주세요"},
    # kb train: the files it wrote
    "wrote_model": {
        "en": "wrote {out}: {items} items from {files}; thresholds confident {confident:.3f}, "
              "confident_exact {confident_exact:.3f}, likely {likely:.3f}",
        "ko": "모델을 저장했습니다: {out} (항목 {items}개, 학습 파일: {files}). 임계값: "
              "`confident` {confident:.3f}, `confident_exact` {confident_exact:.3f}, "
              "`likely` {likely:.3f}"},
    "wrote_precedents": {"en": "wrote {out}: {count} precedents, {words} words",
                         "ko": "선례 색인을 저장했습니다: {out} (선례 {count}개, 단어 {words}개)"},
    "wrote_context": {"en": "wrote {out}: paste context over {words} words",
                      "ko": "붙여넣기 맥락 모델을 저장했습니다: {out} (단어 {words}개)"},
}

say = Catalog(STRINGS)


def counted(key: str, lang: str, *, count: int, **values: object) -> str:
    """`key_one` for one thing, else `key_many`: "1 signature", "2 signatures"."""
    return say(f"{key}_one" if count == 1 else f"{key}_many", lang, count=count, **values)


@dataclass(frozen=True)
class ImportNote(KeyedMessage):
    """Why the planner skipped a section, or what it assumed: said in the reader's language."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)  # keeps it hashable
    catalog = say

    def __str__(self) -> str:  # logs and tests read the English
        return self.said_in("en")
