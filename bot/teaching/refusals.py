"""The teaching service's refusals other than a signature's, in the reader's language.

The service raises each one as its English sentence, which audit rows, logs and an English
terminal read as they are; the sentence also carries its key here and the values it was made
from (`Refused`), so the command line and Slack say it in the team's language without parsing
it. A refused signature has its own carrier (service.SignatureProblem): what it says depends
on the entries involved, which each surface names its own way.
"""

from __future__ import annotations

from bot.i18n import Catalog, KeyedMessage

# Korean puts the whole predicate after the values, so no particle follows a placeholder.
STRINGS = {
    "no_incident": {"en": "no incident #{id}", "ko": "#{id}번 인시던트가 없습니다"},
    "no_entry": {"en": "no entry {entry} in the knowledge base",
                 "ko": "지식 베이스에 없는 항목입니다: {entry}"},
    "no_draft": {"en": "no draft #{id}", "ko": "#{id}번 초안이 없습니다"},
    "draft_approved": {"en": "draft #{id} is already approved",
                       "ko": "#{id}번 초안은 이미 승인되었습니다"},
    "draft_approved_by": {"en": "draft #{id} is already approved by {by}",
                          "ko": "#{id}번 초안은 이미 {by} 님이 승인했습니다"},
    "draft_rejected": {"en": "draft #{id} is already rejected",
                       "ko": "#{id}번 초안은 이미 거절되었습니다"},
    "draft_rejected_by": {"en": "draft #{id} is already rejected by {by}",
                          "ko": "#{id}번 초안은 이미 {by} 님이 거절했습니다"},
    "entry_gone": {"en": "entry {entry} is no longer in the knowledge base",
                   "ko": "지식 베이스에서 사라진 항목입니다: {entry}"},
    "nothing_to_disable": {"en": "{entry} has no team entry or team signature to disable",
                           "ko": "끌 팀 항목이나 팀 시그니처가 없습니다: {entry}"},
    # A paste of only someone's words ("모델 배포가 계속 실패하는데 왜 그런지 모르겠어요") has no
    # line to be a signature (drafting.error_line); the resolver is asked for the error line.
    "no_error_line": {
        "en": "incident #{id} has no error line to draft from, only someone's own words, and a "
              "signature must be the error text itself. The resolution note is kept with the "
              "incident. To teach the bot this fix, paste the error itself (the exception, event "
              "or log line) and resolve the incident it opens with the same note.",
        "ko": "#{id}번 인시던트에는 초안을 만들 오류 줄이 없고 사람이 쓴 문장만 있습니다. "
              "시그니처는 오류 텍스트 그대로여야 합니다. 해결 메모는 인시던트에 그대로 "
              "남아 있습니다. 이 해결 방법을 봇에게 가르치려면 오류 줄(예외, 이벤트, 로그 줄)을 "
              "그대로 붙여 넣고, 그렇게 생긴 인시던트를 같은 메모로 해결해 주세요."},
    "no_error_line_teach": {
        "en": "incident #{id} has no error line to teach, only someone's own words, and a "
              "signature must be the error text itself. Paste the error itself (the exception, "
              "event or log line) and teach the incident it opens.",
        "ko": "#{id}번 인시던트에는 가르칠 오류 줄이 없고 사람이 쓴 문장만 있습니다. "
              "시그니처는 오류 텍스트 그대로여야 합니다. 오류 줄(예외, 이벤트, 로그 줄)을 "
              "그대로 붙여 넣고, 그렇게 생긴 인시던트를 가르쳐 주세요."},
    # Who may decide (service.maintainer_problem); a draft's proposer may also reject it.
    "no_maintainers": {"en": "no KB maintainers are configured (set KB_MAINTAINERS to Slack "
                             "user ids)",
                       "ko": "KB 관리자가 설정되어 있지 않습니다 (`KB_MAINTAINERS`에 Slack 사용자 "
                             "ID를 넣으세요)"},
    "not_a_maintainer": {"en": "{user} is not a KB maintainer (KB_MAINTAINERS)",
                         "ko": "{user} 님은 KB 관리자가 아닙니다 (`KB_MAINTAINERS`)"},
    "no_maintainers_nor_proposer": {
        "en": "no KB maintainers are configured (set KB_MAINTAINERS to Slack user ids), nor "
              "the one who proposed this draft",
        "ko": "KB 관리자가 설정되어 있지 않습니다 (`KB_MAINTAINERS`에 Slack 사용자 ID를 "
              "넣으세요). 이 초안을 제안한 사람도 아닙니다"},
    "not_a_maintainer_nor_proposer": {
        "en": "{user} is not a KB maintainer (KB_MAINTAINERS), nor the one who proposed this "
              "draft",
        "ko": "{user} 님은 KB 관리자가 아닙니다 (`KB_MAINTAINERS`). 이 초안을 제안한 사람도 "
              "아닙니다"},
}

say = Catalog(STRINGS)
NO_ERROR_LINE = "no_error_line"


class Refused(KeyedMessage, str):
    """A refusal: its English sentence, plus the `key` and `values` to say it in another
    language (`said_in`)."""

    catalog = say
    values: dict[str, str]

    def __new__(cls, key: str, **values: object) -> Refused:
        texts = {name: str(value) for name, value in values.items()}
        refused = super().__new__(cls, cls.english(key, texts))
        refused.key, refused.values = key, texts
        return refused

    def nor_proposer(self) -> Refused:
        """The same refusal of a maintainer's decision, when the draft's proposer could have
        made it too (rejecting one's own draft)."""
        return Refused(f"{self.key}_nor_proposer", **self.values)


def refusal_said_in(reason: str, lang: str) -> str:
    """A refusal in `lang` when it carries its key (`Refused`); any other reason as written."""
    return reason.said_in(lang) if isinstance(reason, Refused) else reason
