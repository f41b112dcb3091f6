"""Block Kit for log fetches: progress, the result, and the clear answers for every failure.

Everything shown passes through redact() (again: the log already did, the SDK's own error and
state texts did not) and then through the one mrkdwn escape: a log line holding `<!channel>`
is shown, not obeyed. Every section stays under Slack's 3,000-character limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.answers.lines import MRKDWN, Markup, last_fix_line, recorded_line, similar_line
from bot.answers.models import Answer
from bot.answers.strings import t as answers_t
from bot.i18n import Catalog
from bot.logs.diagnose import Diagnosis, Finding
from bot.logs.policy import Decision
from bot.logs.service import DEFAULT_LINES, LogReport, is_configuration_error
from bot.logs.source import FetchTimeout, ServiceNotFound
from bot.mrkdwn import SECTION_LIMIT, escape, section, shown
from bot.redaction import redact
from bot.textcut import shorten

TEXTS: dict[str, dict[str, str]] = {
    "fetching": {"en": ":hourglass_flowing_sand: fetching the last {lines} lines of `{target}`…",
                 "ko": ":hourglass_flowing_sand: `{target}` 로그의 최근 {lines}줄을 가져오는 중…"},
    "title": {"en": "*Logs of `{target}`* ({backend}, last {lines} lines{init})",
              "ko": "*`{target}` 로그* ({backend}, 최근 {lines}줄{init})"},
    "init": {"en": ", init container", "ko": ", 초기화 컨테이너"},
    "state": {"en": "Service state: `{state}`", "ko": "서비스 상태: `{state}`"},
    "service_error": {"en": "Service error: {error}", "ko": "서비스 오류: {error}"},
    "endpoint_state": {"en": "Endpoint `{endpoint}`: `{state}`",
                       "ko": "엔드포인트 `{endpoint}` 상태: `{state}`"},
    # The message's `text`: Slack's notification, channel list and screen-reader line.
    "summary": {"en": "Logs of {target}: state {state}", "ko": "{target} 로그: 상태 {state}"},
    "summary_findings": {"en": "known problems: {names}", "ko": "알려진 문제: {names}"},
    "unknown_state": {"en": "unknown", "ko": "알 수 없음"},
    "findings": {"en": "*Known problems in this log:*", "ko": "*로그에서 찾은 알려진 문제:*"},
    "empty_log": {"en": "The log is empty: the service has not written anything to it yet.",
                  "ko": "로그가 비어 있습니다. 서비스가 아직 아무것도 기록하지 않았습니다."},
    "no_findings": {"en": "No known problem recognised in these lines.",
                    "ko": "이 로그에서 알려진 문제를 찾지 못했습니다."},
    "possibly": {"en": "Possibly related: {names}", "ko": "관련 있을 수 있음: {names}"},
    "excerpt": {"en": "*Error lines:*", "ko": "*오류 줄:*"},
    "no_errors": {"en": "No error lines in the last {lines} lines.",
                  "ko": "최근 {lines}줄에는 오류 줄이 없습니다."},
    "footer": {"en": "Full log (redacted) attached in this thread · fetched in {seconds:.1f} s",
               "ko": "전체 로그(민감정보 제거)는 이 스레드에 첨부 · {seconds:.1f}초 소요"},
    "incident": {"en": " · incident #{id}", "ko": " · 인시던트 #{id}"},
    "not_found": {"en": ":mag: I can't find a web service or online endpoint named `{target}`.",
                  "ko": ":mag: 이름이 `{target}`인 웹 서비스나 온라인 엔드포인트를 찾을 수 "
                        "없습니다."},
    "did_you_mean": {"en": "Did you mean {names}?", "ko": "혹시 {names}인가요?"},
    "timeout": {"en": ":stopwatch: Fetching the logs of `{target}` timed out after {seconds} s. "
                      "Azure may be slow right now; try again, or ask for fewer lines "
                      "(`--lines 100`).",
                "ko": ":stopwatch: `{target}` 로그를 {seconds}초 안에 가져오지 못했습니다. "
                      "잠시 후 다시 시도하거나 줄 수를 줄여 보세요(`--lines 100`)."},
    "failed": {"en": ":warning: Couldn't fetch the logs of `{target}`: {message}.",
               "ko": ":warning: `{target}` 로그를 가져오지 못했습니다: {message}."},
    "usage": {"en": "Usage: `/troubleshoot logs <service | endpoint[/deployment]> [--lines N] "
                    "[--init]` (default {default} lines, at most {max}).",
              "ko": "사용법: `/troubleshoot logs <서비스 | 엔드포인트[/배포]> [--lines N] "
                    "[--init]` (기본 {default}줄, 최대 {max}줄)."},
    "file_title": {"en": "Logs of {target} (redacted)", "ko": "{target} 로그 (민감정보 제거)"},
    "modal_title": {"en": "Fetch logs", "ko": "로그 가져오기"},
    "modal_service": {"en": "Service, or endpoint/deployment",
                      "ko": "서비스 이름, 또는 엔드포인트/배포"},
    "modal_lines": {"en": "Lines", "ko": "줄 수"},
    "modal_pick": {"en": "Choose a service or endpoint", "ko": "서비스 또는 엔드포인트 선택"},
    "modal_listing": {"en": ":hourglass_flowing_sand: Listing the services I can read… or type "
                            "a name.",
                      "ko": ":hourglass_flowing_sand: 가져올 수 있는 서비스 목록을 불러오는 "
                            "중입니다. 이름을 바로 입력해도 됩니다."},
    "modal_unlisted": {"en": ":warning: I couldn't get the list of services from Azure just "
                             "now: type the name instead.",
                       "ko": ":warning: 지금은 Azure에서 서비스 목록을 가져오지 못했습니다. "
                             "이름을 직접 입력해 주세요."},
    "modal_too_many": {"en": "There are {count} services, too many for a list: type the name.",
                       "ko": "서비스가 {count}개로 너무 많아 목록을 보여 드릴 수 없습니다. "
                             "이름을 입력해 주세요."},
    "modal_none": {"en": "I found no services or endpoints in the workspace: type the name if "
                         "you know it.",
                   "ko": "워크스페이스에서 서비스나 엔드포인트를 찾지 못했습니다. 이름을 알면 "
                         "직접 입력해 주세요."},
    "modal_close": {"en": "Close", "ko": "닫기"},
    "modal_submit": {"en": "Fetch", "ko": "가져오기"},
    "modal_bad_name": {"en": "Letters, digits, '-', '_' and '.', optionally endpoint/deployment.",
                       "ko": "영문자, 숫자, '-', '_', '.'만 쓸 수 있습니다"
                             "(엔드포인트/배포 형식 가능)."},
    # Refusals and set-up problems: in the user's language, never naming a setting (those
    # go to the server log under the reference).
    "refused_disabled": {"en": "Log fetching is not turned on in this workspace. Ask {contact} "
                               "to turn it on for this channel.",
                         "ko": "이 워크스페이스에서는 로그 가져오기가 켜져 있지 않습니다. "
                               "{contact}에게 이 채널에서 켜 달라고 요청하세요."},
    "refused_channel": {"en": "Logs can't be fetched in this channel. Ask {contact} to allow "
                              "it here.",
                        "ko": "이 채널에서는 로그를 가져올 수 없습니다. {contact}에게 허용을 "
                              "요청하세요."},
    "refused_service": {"en": "You're not allowed to fetch the logs of `{target}`. Ask "
                              "{contact} for access.",
                        "ko": "`{target}` 로그를 가져올 권한이 없습니다. {contact}에게 권한을 "
                              "요청하세요."},
    "refused_rate": {"en": "You've fetched logs {rate} times in the last minute (the limit); "
                           "try again in a minute.",
                     "ko": "로그는 1분에 {rate}번까지 가져올 수 있습니다. 1분 뒤에 다시 "
                           "시도하세요."},
    "refused_unreadable": {"en": "Log fetching is off until the bot's admin fixes its logs "
                                 "policy.",
                           "ko": "봇 담당자가 로그 정책을 고칠 때까지 로그 가져오기가 꺼져 "
                                 "있습니다."},
    "contact_default": {"en": "a workspace admin", "ko": "워크스페이스 관리자"},
    "not_configured": {"en": ":warning: Log fetching is not set up on the bot's side yet. Ask "
                             "the bot's admin (reference `{ref}`).",
                       "ko": ":warning: 봇에 로그 가져오기 설정이 아직 되어 있지 않습니다. 봇 "
                             "담당자에게 문의하세요(참조 번호 `{ref}`)."},
    # {app}: the app as Slack names it (a mention of its bot user), never a fixed name.
    "cannot_post": {"en": "I can't post in this channel: invite the app first (`/invite`, "
                          "then pick it): {app}",
                    "ko": "이 채널에 글을 쓸 수 없습니다. 먼저 앱을 초대해 주세요"
                          "(`/invite` 입력 후 선택): {app}"},
    "bot_failed": {"en": ":warning: Sorry, fetching the logs failed on the bot's side "
                         "(reference `{ref}`).",
                   "ko": ":warning: 죄송합니다. 봇 쪽 문제로 로그를 가져오지 못했습니다"
                         "(참조 번호 `{ref}`)."},
    "v1_missing": {"en": "If it is an SDK v1 web service (ACI/AKS), the bot needs SDK v1 "
                         "support: ask the bot's admin to install `troubleshoot-bot[{extra}]`.",
                   "ko": "SDK v1 웹 서비스(ACI/AKS)라면 봇에 SDK v1 지원이 설치되어 있어야 "
                         "합니다. 봇 담당자에게 `troubleshoot-bot[{extra}]` 설치를 요청하세요."},
    "usage_lines": {"en": "`--lines` needs a positive whole number, not `{value}`.",
                    "ko": "`--lines`에는 1 이상의 정수를 써 주세요(입력: `{value}`)."},
    "usage_option": {"en": "Unknown option `{value}`.", "ko": "알 수 없는 옵션입니다: `{value}`."},
    "usage_one_name": {"en": "One name at a time (got `{first}` and `{second}`).",
                       "ko": "한 번에 하나의 이름만 쓸 수 있습니다(입력: `{first}`, "
                             "`{second}`)."},
    "usage_name": {"en": "A service name (or endpoint/deployment) is needed.",
                   "ko": "서비스 이름(또는 엔드포인트/배포)이 필요합니다."},
    # A name was typed but cannot be one (Korean, emoji, a pasted error): say so, with the
    # characters names are made of (the service's TARGET_NAME), rather than "a name is needed".
    "usage_bad_name": {"en": "`{value}` is not a service or endpoint name: names have only "
                             "letters, digits, `-`, `_` and `.` (an endpoint may add "
                             "`/deployment`).",
                       "ko": "`{value}`: 서비스·엔드포인트 이름에는 영문자, 숫자, `-`, `_`, "
                             "`.`만 쓸 수 있습니다(배포는 `엔드포인트/배포` 형식)."},
}


t = Catalog(TEXTS)


def refusal_text(decision: Decision | None, target: str, lang: str) -> str:
    """Why a fetch was refused, for the person who asked, in their language."""
    if decision is None or not decision.code:
        return t("refused_channel", lang, contact=t("contact_default", lang))
    contact = escape(decision.contact) if decision.contact else t("contact_default", lang)
    return t(f"refused_{decision.code}", lang, contact=contact, target=shown(target),
             rate=decision.rate)




def _code(lines: tuple[str, ...] | list[str], limit: int = SECTION_LIMIT - 10) -> str:
    body = "\n".join(shown(line).replace("```", "'''") for line in lines)
    if len(body) > limit:
        body = body[-limit:]
    return f"```{body}```"


def progress_message(target: str, lines: int, lang: str) -> dict[str, Any]:
    text = t("fetching", lang, lines=lines, target=shown(target))
    return {"text": text, "blocks": [section(text)]}


def _finding_text(finding: Finding) -> str:
    text = f"• *{escape(finding.title)}* (`{finding.entry_id}`)"
    if finding.lines:
        text += "\n" + _code(list(finding.lines), 800)
    return text


def _diagnosis_blocks(diagnosis: Diagnosis, lines: int, lang: str) -> list[dict[str, Any]]:
    if not diagnosis.redacted_log.strip():
        # Nothing was read: "no error lines in the last 200 lines" would claim a clean log.
        return [section(t("empty_log", lang))]
    blocks: list[dict[str, Any]] = []
    if diagnosis.findings:
        text = t("findings", lang) + "\n" + "\n".join(
            _finding_text(finding) for finding in diagnosis.findings[:3])
        blocks.append(section(text))
    else:
        text = t("no_findings", lang)
        if diagnosis.candidates:
            names = ", ".join(f"{escape(c.title)} (`{c.entry_id}`)"
                              for c in diagnosis.candidates)
            text += "\n" + t("possibly", lang, names=names)
        blocks.append(section(text))
    if diagnosis.excerpt:
        blocks.append(section(t("excerpt", lang) + "\n" + _code(diagnosis.excerpt)))
    else:
        blocks.append(section(t("no_errors", lang, lines=lines)))
    return blocks


def _history_blocks(answer: Answer | None, lang: str, markup: Markup = MRKDWN
                    ) -> list[dict[str, Any]]:
    """The last fix and similar incidents of the problem the log shows: the lines every
    surface shares (bot.answers.lines), for this channel's readers."""
    if answer is None:
        return []
    lines = [":wrench: " + last_fix_line(answer.last_fix, lang, markup)] if answer.last_fix \
        else []
    if answer.similar:
        lines.append(f"*{answers_t('similar', lang)}*")
        lines += ["• " + similar_line(item, lang, markup) for item in answer.similar]
    if answer.history_unavailable:
        lines.append(":warning: " + answers_t("history_unavailable", lang))
    return [section("\n".join(lines))] if lines else []


def result_message(report: LogReport, lang: str, markup: Markup = MRKDWN, *,
                   state_said: bool = False) -> dict[str, Any]:
    """The finished message: diagnosis, error lines, the service's own state and error.
    `markup` may link incident numbers to their threads (the Slack side knows where they are).
    `state_said`: the message this goes into names the service's state already (a failed
    deployment's card), so it is not said twice."""
    request = report.request
    if report.fetched is None or report.diagnosis is None:
        return failure_message(report, lang)
    fetched = report.fetched
    head = t("title", lang, target=shown(fetched.target), backend=shown(fetched.backend),
             lines=request.lines,
             init=t("init", lang) if request.init else "")
    if fetched.state and not state_said:
        head += "\n" + t("state", lang, state=shown(fetched.state))
    if fetched.endpoint and fetched.endpoint_state:
        head += "\n" + t("endpoint_state", lang, endpoint=shown(fetched.endpoint),
                         state=shown(fetched.endpoint_state))
    if fetched.error:
        head += "\n" + t("service_error", lang, error=shown(redact(fetched.error)[:1000]))
    blocks = [section(head), *_diagnosis_blocks(report.diagnosis, request.lines, lang)]
    blocks += _history_blocks(report.answer, lang, markup)
    footer = t("footer", lang, seconds=report.duration_ms / 1000)
    if report.answer is not None and report.answer.incident is not None:
        footer += " · " + recorded_line(report.answer.incident, lang, markup)
    elif report.incident_id:
        footer += t("incident", lang, id=report.incident_id)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    summary = [t("summary", lang, target=fetched.target,
                 state=fetched.state or t("unknown_state", lang))]
    if report.diagnosis.findings:  # by title, in the reader's language, as the blocks name them
        summary.append(t("summary_findings", lang, names=", ".join(
            f.title for f in report.diagnosis.findings)))
    return {"text": shown("; ".join(summary)), "blocks": blocks}


def failure_text(report: LogReport, lang: str) -> str:
    error = report.error
    target = shown(report.request.target)
    if isinstance(error, ServiceNotFound):
        text = t("not_found", lang, target=target)
        typed = report.request.target.lower()
        # Never "did you mean `x`?" to someone who typed exactly `x`.
        names = [name for name in error.suggestions if name.lower() != typed][:3]
        if names:
            text += " " + t("did_you_mean", lang, names=" / ".join(
                f"`{shown(name)}`" for name in names))
        for extra in error.missing_extras:
            text += "\n" + t("v1_missing", lang, extra=shown(extra))
        return text
    if isinstance(error, FetchTimeout):
        return t("timeout", lang, target=target, seconds=f"{error.seconds:g}")
    if error is not None and is_configuration_error(error):
        return t("not_configured", lang, ref=report.reference or "-")
    if report.reference:  # an unexpected failure: the trace is in the server log
        return t("bot_failed", lang, ref=report.reference)
    message = error.said_in(lang) if error else "unknown error"  # in the reader's language
    return t("failed", lang, target=target, message=shown(message.rstrip(".")))


def failure_message(report: LogReport, lang: str) -> dict[str, Any]:
    text = failure_text(report, lang)  # every piece from outside is redacted and escaped
    return {"text": text, "blocks": [section(text)]}


MAX_OPTIONS = 100  # Slack's limit for a static_select
OPTION_VALUE_CHARS = 150  # and for an option's value
OPTION_TEXT_CHARS = 75  # and for its text
MODAL_CALLBACK = "fetch_logs_modal"


def fetch_modal(metadata: str, lang: str, *, names: Sequence[str] | None = None,
                note: str | None = None) -> dict[str, Any]:
    """The Fetch-logs modal: a dropdown of `names` (what the bot can read), or, with None, a
    field to type the name (while the list loads, or when Azure could not give it), with
    `note` above it saying which."""
    choices = [name for name in names or () if len(name) <= OPTION_VALUE_CHARS]
    if names is not None and len(choices) > MAX_OPTIONS:
        note, choices = t("modal_too_many", lang, count=len(choices)), []
    elif names is not None and not choices:
        note = t("modal_none", lang)
    if choices:
        element: dict[str, Any] = {
            "type": "static_select", "action_id": "value",
            "placeholder": {"type": "plain_text", "text": t("modal_pick", lang)},
            "options": [{"text": {"type": "plain_text", "text": _option_text(name)},
                         "value": name} for name in choices]}
    else:
        element = {"type": "plain_text_input", "action_id": "value",
                   "placeholder": {"type": "plain_text", "text": "churn-scorer"}}
    blocks: list[dict[str, Any]] = [section(note)] if note else []
    blocks += [
        # The block id differs by kind: Slack keeps a field's state across views.update only
        # for the same kind of element.
        {"type": "input", "block_id": "service" if choices else "service_name",
         "label": {"type": "plain_text", "text": t("modal_service", lang)}, "element": element},
        {"type": "input", "block_id": "lines", "optional": True,
         "label": {"type": "plain_text", "text": t("modal_lines", lang)},
         "element": {"type": "plain_text_input", "action_id": "value",
                     "initial_value": str(DEFAULT_LINES)}},
    ]
    return {"type": "modal", "callback_id": MODAL_CALLBACK, "private_metadata": metadata,
            "title": {"type": "plain_text", "text": t("modal_title", lang)},
            "submit": {"type": "plain_text", "text": t("modal_submit", lang)},
            "close": {"type": "plain_text", "text": t("modal_close", lang)},
            "blocks": blocks}


def closed_modal(text: str, lang: str) -> dict[str, Any]:
    """The modal when logs cannot be fetched at all (the bot's set-up): why, and no submit."""
    return {"type": "modal", "callback_id": MODAL_CALLBACK,
            "title": {"type": "plain_text", "text": t("modal_title", lang)},
            "close": {"type": "plain_text", "text": t("modal_close", lang)},
            "blocks": [section(text)]}


def _option_text(name: str) -> str:
    return shorten(name, OPTION_TEXT_CHARS)
