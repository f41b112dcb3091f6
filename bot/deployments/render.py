"""Block Kit for a failed deployment: the card posted to the watching channels, in ko and en.

The card is the log fetch's own answer (bot.logs.render: the known problems the log shows, the
error lines, the service's state), headed by what failed and how the bot learnt of it. Every
piece from Azure passes redact() and the mrkdwn escape, as in the logs domain.
"""

from __future__ import annotations

from typing import Any

from bot.answers.lines import MRKDWN, Markup
from bot.i18n import Catalog
from bot.logs import render as logs_render
from bot.logs.service import LogReport
from bot.mrkdwn import section, shown

TEXTS: dict[str, dict[str, str]] = {
    "failed": {"en": ":rotating_light: *Deployment `{name}` failed* (Azure: `{state}`)",
               "ko": ":rotating_light: *배포 `{name}` 실패* (Azure 상태: `{state}`)"},
    "summary": {"en": "Deployment {name} failed ({state})", "ko": "배포 {name} 실패 ({state})"},
    "by_watch": {"en": "Found by the deployment watch of this channel.",
                 "ko": "이 채널의 배포 감시에서 발견했습니다."},
    "by_alert": {"en": "Reported by the Azure Monitor alert `{rule}`.",
                 "ko": "Azure Monitor 경고(`{rule}`)로 받았습니다."},
    "no_logs_here": {"en": "Logs are not fetched in this channel (LOGS_ALLOWED_CHANNELS).",
                     "ko": "이 채널에서는 로그를 가져오지 않습니다(LOGS_ALLOWED_CHANNELS)."},
    "no_logs": {"en": "Couldn't fetch the logs: {message}.",
                "ko": "로그를 가져오지 못했습니다: {message}."},
    "service_error": {"en": "Service error: {error}", "ko": "서비스 오류: {error}"},
    "again": {"en": ":repeat: The Azure Monitor alert `{rule}` fired again for this failure.",
              "ko": ":repeat: 같은 실패에 대한 Azure Monitor 경고(`{rule}`)가 다시 왔습니다."},
    "watch_usage": {
        "en": "Usage: `/troubleshoot deployments watch on [glob]` (e.g. `credit-*`; every "
              "deployment by default), `/troubleshoot deployments watch off`, "
              "`/troubleshoot deployments watch list`.",
        "ko": "사용법: `/troubleshoot deployments watch on [glob]` (예: `credit-*`, 기본값은 "
              "모든 배포), `/troubleshoot deployments watch off`, "
              "`/troubleshoot deployments watch list`."},
    "watching": {"en": "<#{channel}> now watches deployments matching `{pattern}`: a failed one "
                       "is diagnosed and posted here once per failure. Make sure the bot is a "
                       "member of this channel.",
                 "ko": "이제 <#{channel}> 채널에서 `{pattern}` 패턴에 맞는 배포를 감시합니다. "
                       "배포가 실패하면 실패마다 한 번 진단해 여기에 올립니다. 봇이 이 채널에 "
                       "초대되어 있는지 확인하세요."},
    "already": {"en": "<#{channel}> already watches `{pattern}`.",
                "ko": "<#{channel}> 채널에서는 이미 `{pattern}` 패턴을 감시하고 있습니다."},
    "unwatched": {"en": "<#{channel}> no longer watches deployments.",
                  "ko": "<#{channel}> 채널에서 더 이상 배포를 감시하지 않습니다."},
    "not_watching": {"en": "<#{channel}> does not watch any deployment.",
                     "ko": "<#{channel}> 채널에서 감시 중인 배포가 없습니다."},
    "list": {"en": "<#{channel}> watches: {patterns}",
             "ko": "<#{channel}> 채널의 감시 대상: {patterns}"},
    # the terminal's `deployments watch / unwatch / list`
    "cli_now_watches": {"en": "{channel} now watches deployments matching {pattern}",
                        "ko": "{channel} 채널이 이제 다음 패턴의 배포를 감시합니다: {pattern}"},
    "cli_already_watched": {"en": "{channel} already watched deployments matching {pattern}",
                            "ko": "{channel} 채널은 이미 다음 패턴의 배포를 감시하고 있습니다: "
                                  "{pattern}"},
    "cli_unwatched": {"en": "{channel} no longer watches deployments ({removed} pattern(s) "
                            "removed)",
                      "ko": "{channel} 채널은 더 이상 배포를 감시하지 않습니다 (패턴 {removed}개 "
                            "삭제)"},
    "cli_not_watching": {"en": "{channel} did not watch any deployment",
                         "ko": "{channel} 채널은 감시하던 배포가 없습니다"},
    "cli_no_watches": {"en": "no channel watches deployments",
                       "ko": "배포를 감시하는 채널이 없습니다"},
    "bad_channel": {"en": "--channel must be a Slack channel id like C0123ABC, got {value}",
                    "ko": "`--channel`에는 C0123ABC 같은 Slack 채널 ID를 주세요(입력: {value})"},
    "bad_pattern": {"en": "`{pattern}` is not a usable pattern: letters, digits, `-_./` and the "
                          "wildcards `*?[]`, at most 255 characters.",
                    "ko": "`{pattern}` 패턴은 쓸 수 없습니다: 영문자, 숫자, `-_./`와 "
                          "와일드카드 `*?[]`만, 255자 이내로 입력하세요."},
}

t = Catalog(TEXTS)






def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def failure_card(*, name: str, state: str | None, error: str | None, origin: str,
                 rule: str | None, report: LogReport | None, logs_note: str | None,
                 lang: str, markup: Markup = MRKDWN) -> dict[str, Any]:
    """The message for one channel: with the log's diagnosis when `report` holds one, else
    with `logs_note` saying why there are no logs. `markup` may link incident numbers."""
    head = t("failed", lang, name=shown(name), state=shown(state or "unknown"))
    blocks: list[dict[str, Any]] = [section(head)]
    if report is not None and report.diagnosis is not None:
        same_state = report.fetched is not None and report.fetched.state == state
        blocks += logs_render.result_message(report, lang, markup,
                                             state_said=same_state)["blocks"]
    else:
        detail = []
        if error:
            detail.append(t("service_error", lang, error=shown(error[:1000])))
        if logs_note:
            detail.append(logs_note)
        if detail:
            blocks.append(section("\n".join(detail)))
    how = (t("by_alert", lang, rule=shown(rule or "?")) if origin == "alert"
           else t("by_watch", lang))
    blocks.append(_context(how))
    summary = t("summary", lang, name=name, state=state or "unknown")
    if report is not None and report.diagnosis is not None and report.diagnosis.findings:
        # By title, in the reader's language, as the blocks and the log result name them:
        # this text is the phone's notification, where a knowledge-base id means nothing.
        summary += ": " + ", ".join(finding.title for finding in report.diagnosis.findings)
    return {"text": shown(summary), "blocks": blocks}


def alert_again(rule: str, lang: str) -> dict[str, Any]:
    text = t("again", lang, rule=shown(rule or "?"))
    return {"text": text, "blocks": [section(text)]}
