"""The sentences of an answer that every surface says the same way, in Korean and English.

Slack's own strings (buttons, modals) stay in `bot.slack.i18n`; these are the facts of the answer
(the incident, its recurrence, similar incidents, the last fix) that Slack, the terminal and log
diagnosis must state identically.
"""

from __future__ import annotations

from bot.i18n import Catalog

STRINGS: dict[str, dict[str, str]] = {
    "incident": {"en": "Incident {ref}", "ko": "인시던트 {ref}"},
    "incident_recorded": {"en": "Incident {ref} recorded", "ko": "인시던트 {ref} 기록됨"},
    "first_time": {"en": "first time seen", "ko": "처음 발생"},
    "seen_times": {"en": "seen {count} times", "ko": "{count}번째 발생"},
    "recurrence_of": {"en": "recurrence of {ref}", "ko": "{ref}의 재발"},
    "similar": {"en": "Similar past incidents", "ko": "비슷한 과거 사례"},
    # "seen" / "발생": a bare "(#2, 6회)" beside a fix read as "the 6th time" or "worked 6
    # times"; it is how often that incident was seen, as the state line says it.
    "similar_resolved": {"en": "{ref} (seen {count}×, resolved by {who}): {note}",
                         "ko": "{ref} ({count}회 발생, {who} 해결): {note}"},
    "similar_open": {"en": "{ref} (seen {count}×, still open): {summary}",
                     "ko": "{ref} ({count}회 발생, 아직 열림): {summary}"},
    "similar_closed": {"en": "{ref} (seen {count}×, resolved): {summary}",
                       "ko": "{ref} ({count}회 발생, 해결됨): {summary}"},
    "last_fix": {"en": "Last fixed by {who}: {note} ({ref}, seen {count}×)",
                 "ko": "지난번 해결: {who} — {note} ({ref}, {count}회 발생)"},
    "someone": {"en": "someone", "ko": "누군가"},
    "history_unavailable": {
        "en": "History is unavailable right now: this paste is kept and joins the incident "
              "history when the database is back.",
        "ko": "지금은 인시던트 이력을 볼 수 없습니다. 이 붙여넣기는 보관해 두었다가 "
              "데이터베이스가 돌아오면 이력에 추가합니다."},
    # The terminal's labels (`troubleshoot-bot ask`).
    "cli_not_recorded": {"en": "the answer above was not recorded: {reason}",
                         "ko": "위 답변은 기록되지 않았습니다: {reason}"},
}

t = Catalog(STRINGS)
