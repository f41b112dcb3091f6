"""The digest as a Slack message (Block Kit + fallback text) and as plain text for the CLI.

The message must read well without the chart: every figure the chart shows is also in the text.
Slack's limits are respected here (3,000 characters per section, 10 fields, 150 for a header).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.digest.figures import Digest, EntryCount
from bot.digest.scope import LISTED, THIS_CHANNEL, WORKSPACE
from bot.i18n import Catalog
from bot.mrkdwn import escape
from bot.textcut import shorten

IncidentRef = Callable[[int], str]  # an incident number as the message writes it: "#3"


def plain_ref(incident_id: int) -> str:
    return f"#{incident_id}"

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MAX_BLOCKS = 50

STRINGS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Weekly digest · {week}",
        "ko": "주간 요약 · {week}",
    },
    "quiet": {
        "en": "A quiet week: no errors were reported in {week}. :tada:",
        "ko": "조용한 한 주였습니다. {week}에는 보고된 오류가 없었습니다. :tada:",
    },
    "quiet_open": {
        "en": "{n} incident(s) are still open from earlier weeks.",
        "ko": "이전 주부터 열려 있는 인시던트가 {n}건 있습니다.",
    },
    "occurrences": {
        "en": "Errors reported",
        "ko": "보고된 오류",
    },
    "incidents": {
        "en": "Incidents",
        "ko": "인시던트",
    },
    "incidents_value": {
        "en": "{new} new · {recurring} recurring",
        "ko": "신규 {new}건 · 재발 {recurring}건",
    },
    "resolution": {
        "en": "Resolved / still open",
        "ko": "해결 / 미해결",
    },
    "resolution_value": {
        "en": "{resolved} resolved · {open} open at week end",
        "ko": "해결 {resolved}건 · 주 마감 기준 미해결 {open}건",
    },
    "ttr": {
        "en": "Time to resolve",
        "ko": "해결까지 걸린 시간",
    },
    "ttr_value": {
        "en": "median {median} · p90 {p90}",
        "ko": "중앙값 {median} · p90 {p90}",
    },
    "ttr_none": {
        "en": "nothing resolved",
        "ko": "해결된 건 없음",
    },
    "count": {  # how many reports: Korean counts them ("7건"), English writes the number
        "en": "{n}",
        "ko": "{n}건",
    },
    "vs_last": {
        "en": "{change} vs last week",
        "ko": "지난주 대비 {change}",
    },
    "top": {
        "en": "Top problems",
        "ko": "가장 많았던 문제",
    },
    "unknown": {
        "en": "Errors the knowledge base does not know",
        "ko": "지식 베이스에 없는 오류",
    },
    "unknown_value": {
        "en": "{n} report(s) without a confident match ({incidents} distinct error(s)).",
        "ko": "확실한 매칭이 없는 보고 {n}건 (서로 다른 오류 {incidents}개).",
    },
    "pending_drafts": {
        "en": ":bulb: {n} knowledge draft(s) from resolved incidents wait for a KB maintainer: "
              "`/troubleshoot kb drafts`.",
        "ko": ":bulb: 해결된 인시던트로 만든 지식 초안 {n}건이 KB 관리자의 승인을 "
              "기다리고 있습니다: `/troubleshoot kb drafts`.",
    },
    "hint": {
        "en": "Write it up: add a `knowledge/` entry with the error text as a signature, then run "
              "`troubleshoot-bot kb check`.",
        "ko": "`knowledge/`에 이 오류 문구를 시그니처(`signatures`)로 넣은 항목을 추가하고 "
              "`troubleshoot-bot kb check`로 확인해 주세요.",
    },
    "feedback": {
        "en": "Feedback on answers",
        "ko": "답변에 대한 피드백",
    },
    "feedback_line": {
        "en": "{title}: {helpful} helpful · {rejected} not helpful",
        "ko": "{title}: 도움됨 {helpful}건 · 도움 안 됨 {rejected}건",
    },
    "busiest": {
        "en": "Busiest",
        "ko": "가장 많이 발생한 곳",
    },
    "services": {
        "en": "services",
        "ko": "서비스",
    },
    "channels": {
        "en": "channels",
        "ko": "채널",
    },
    "chart_alt": {
        "en": "Bar chart of errors per day in {week}, stacked by problem",
        "ko": "{week} 일별 오류 건수를 문제별로 쌓은 막대 차트",
    },
    "scope_workspace": {
        "en": "public channels of the workspace and <#{channel}>",
        "ko": "워크스페이스의 공개 채널과 <#{channel}>",
    },
    "scope_listed": {
        "en": "{channels}",
        "ko": "{channels}",
    },
    "scope_all": {
        "en": "all channels, private ones included (operator's view)",
        "ko": "비공개 채널을 포함한 모든 채널 (운영자용 보기)",
    },
    "fallback": {
        "en": "Weekly digest {week}: {occurrences} errors, {new} new incidents, {resolved} "
              "resolved, {unknown} unknown",
        "ko": "주간 요약 {week}: 오류 {occurrences}건, 신규 인시던트 {new}건, 해결 {resolved}건, "
              "미확인 {unknown}건",
    },
    "period": {
        "en": "{start} – {end} ({tz})",
        "ko": "{start} – {end} ({tz})",
    },
    "new_entry": {
        "en": "new",
        "ko": "신규",
    },
}


t = Catalog(STRINGS)


def _t(lang: str) -> dict[str, str]:
    """This language's templates, for the renderers below that use many of them at once."""
    return {key: t(key, lang) for key in STRINGS}


def entry_title(entry_id: str, lang: str) -> str:
    """The KB entry's title in `lang`, or the id if the KB does not (or cannot) say."""
    try:
        from bot.knowledge.loader import cached_knowledge_base

        entry = cached_knowledge_base().get(entry_id)
    except Exception:  # a broken KB must not stop the digest
        entry = None
    return entry.title_in(lang) if entry else entry_id


def duration(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return "–"
    units = (("d", "일", 86400), ("h", "시간", 3600), ("m", "분", 60), ("s", "초", 1))
    remaining = round(seconds)
    parts: list[str] = []
    for en, ko, size in units:
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append(f"{amount}{ko if lang == 'ko' else en}")
        if len(parts) == 2:
            break
    return " ".join(parts) or ("0초" if lang == "ko" else "0s")


def change(current: int, previous: int) -> str:
    delta = current - previous
    return f"▲{delta}" if delta > 0 else f"▼{-delta}" if delta < 0 else "±0"


def _clip(text: str, limit: int = SECTION_LIMIT) -> str:
    return shorten(text, limit)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}}


def _entry_line(rank: int, entry: EntryCount, lang: str,
                incident_ref: IncidentRef = plain_ref) -> str:
    title = entry_title(entry.id, lang)
    name = f"`{entry.id}`" if title == entry.id else f"*{escape(title)}* (`{entry.id}`)"
    trend = _t(lang)["new_entry"] if entry.previous == 0 else change(entry.count, entry.previous)
    count = t("count", lang, n=entry.count)
    return f"{rank}. {name} — {count} ({trend}){_incidents(entry, incident_ref)}"


def _incidents(entry: EntryCount, incident_ref: IncidentRef) -> str:
    """" · #3 #7": the week's incidents of a problem, each opening its thread in Slack."""
    if not entry.incidents:
        return ""
    return " · " + " ".join(incident_ref(number) for number in entry.incidents)


def _sample_ref(digest: Digest, index: int, incident_ref: IncidentRef) -> str:
    numbers = digest.unknown_sample_incidents
    number = numbers[index] if index < len(numbers) else None
    return incident_ref(number) + " " if number is not None else ""


def fallback_text(digest: Digest, lang: str) -> str:
    t = _t(lang)
    if digest.is_empty:
        return t["quiet"].format(week=digest.week.label)
    return t["fallback"].format(week=digest.week.label, occurrences=digest.occurrences,
                                new=digest.incidents.new, resolved=digest.incidents.resolved,
                                unknown=digest.unknown)


def scope_text(digest: Digest, lang: str, *, slack: bool = True) -> str:
    """Which channels the figures cover: `<#C1>`, "public channels of the workspace and <#C1>"."""
    t = _t(lang)

    def mention(channel: str) -> str:
        return f"<#{channel}>" if slack else channel

    if digest.channel is None:
        return t["scope_all"]
    if digest.scope == WORKSPACE:
        text = t["scope_workspace"].format(channel=digest.channel)
        return text if slack else text.replace(f"<#{digest.channel}>", digest.channel)
    if digest.scope == LISTED:
        return t["scope_listed"].format(
            channels=", ".join(mention(channel) for channel in digest.covers or []) or "–")
    return mention(digest.channel)


def chart_text(digest: Digest, lang: str, channel_name: str | None = None) -> dict[str, str]:
    """The chart's title and alternative text in `lang` (for the image block and the file)."""
    from bot.digest.chart import chart_title

    return {"title": chart_title(digest, lang, channel_name),
            "alt": _t(lang)["chart_alt"].format(week=digest.week.label)}


def _period(digest: Digest, lang: str) -> str:
    start, end = digest.start[:10], digest.daily[-1].day.isoformat() if digest.daily else ""
    text = _t(lang)["period"].format(start=start, end=end or digest.end[:10], tz=digest.timezone)
    return f"{text} · {scope_text(digest, lang)}"


def render_blocks(digest: Digest, lang: str, *, chart_file: str | None = None,
                  incident_ref: IncidentRef = plain_ref) -> list[dict]:
    """The digest's blocks; `incident_ref` writes an incident number (the poster links each to
    its thread: bot.digest.posting)."""
    t = _t(lang)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": _clip(t["title"].format(week=digest.week.label),
                                                  HEADER_LIMIT)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _period(digest, lang)}]},
    ]
    if digest.is_empty:
        text = t["quiet"].format(week=digest.week.label)
        if digest.incidents.open:
            text += "\n" + t["quiet_open"].format(n=digest.incidents.open)
        blocks.append(_section(text))
        return blocks

    incidents, ttr = digest.incidents, digest.time_to_resolve
    vs_last = t["vs_last"].format(change=change(digest.occurrences, digest.previous_occurrences))
    ttr_text = (t["ttr_value"].format(median=duration(ttr.median_s, lang),
                                      p90=duration(ttr.p90_s, lang))
                if ttr.count else t["ttr_none"])
    blocks.append({"type": "section", "fields": [
        {"type": "mrkdwn", "text": f"*{t['occurrences']}*\n"
                                   f"{t['count'].format(n=digest.occurrences)} ({vs_last})"},
        {"type": "mrkdwn", "text": f"*{t['incidents']}*\n"
                                   + t["incidents_value"].format(**vars(incidents))},
        {"type": "mrkdwn", "text": f"*{t['resolution']}*\n"
                                   + t["resolution_value"].format(**vars(incidents))},
        {"type": "mrkdwn", "text": f"*{t['ttr']}*\n{ttr_text}"},
    ]})
    if digest.top_entries:
        lines = [_entry_line(rank, entry, lang, incident_ref)
                 for rank, entry in enumerate(digest.top_entries, start=1)]
        blocks.append(_section(f"*{t['top']}*\n" + "\n".join(lines)))
    if digest.unknown:
        text = f"*{t['unknown']}*\n" + t["unknown_value"].format(
            n=digest.unknown, incidents=digest.unknown_incidents)
        for index, sample in enumerate(digest.unknown_samples):
            code = escape(sample).replace("```", "'''")
            text += "\n" + _sample_ref(digest, index, incident_ref) + "```" + code + "```"
        blocks.append(_section(text + "\n" + t["hint"]))
    if digest.pending_drafts:
        blocks.append(_section(t["pending_drafts"].format(n=digest.pending_drafts)))
    if digest.feedback:
        lines = [t["feedback_line"].format(title=f"*{escape(entry_title(f.id, lang))}*",
                                           helpful=f.helpful, rejected=f.not_helpful)
                 for f in digest.feedback]
        blocks.append(_section(f"*{t['feedback']}*\n" + "\n".join(lines)))
    busiest = []
    if digest.services:
        names = ", ".join(f"`{escape(s.name)}` ({s.count})" for s in digest.services)
        busiest.append(f"{t['services']}: {names}")
    if digest.channels and digest.scope != THIS_CHANNEL:
        names = ", ".join(f"<#{c.name}> ({c.count})" for c in digest.channels)
        busiest.append(f"{t['channels']}: {names}")
    if busiest:
        blocks.append(_section(f"*{t['busiest']}*\n" + "\n".join(busiest)))
    blocks = blocks[:MAX_BLOCKS - 1]
    if chart_file:
        # After the top problems it illustrates; the file was uploaded by the bot, unshared.
        text = chart_text(digest, lang)
        image = {"type": "image", "block_id": "digest_chart", "slack_file": {"id": chart_file},
                 "alt_text": text["alt"]}
        blocks.insert(4 if digest.top_entries else 3, image)
    return blocks


def render_message(digest: Digest, lang: str, *, chart_file: str | None = None,
                   incident_ref: IncidentRef = plain_ref) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / respond: blocks plus the fallback text; with
    `chart_file`, the chart (an uploaded Slack file) is shown in the message."""
    return {"text": fallback_text(digest, lang),
            "blocks": render_blocks(digest, lang, chart_file=chart_file,
                                    incident_ref=incident_ref)}


def render_text(digest: Digest, lang: str) -> str:
    """Plain text for the terminal: the same content, no Slack markup."""
    t = _t(lang)
    lines = [t["title"].format(week=digest.week.label),
             t["period"].format(start=digest.start[:10],
                                end=digest.daily[-1].day.isoformat() if digest.daily else "",
                                tz=digest.timezone)
             + f" · {scope_text(digest, lang, slack=False)}", ""]
    if digest.is_empty:
        lines.append(t["quiet"].format(week=digest.week.label).replace(" :tada:", ""))
        if digest.incidents.open:
            lines.append(t["quiet_open"].format(n=digest.incidents.open))
        return "\n".join(lines)
    incidents, ttr = digest.incidents, digest.time_to_resolve
    lines += [
        f"{t['occurrences']}: {t['count'].format(n=digest.occurrences)} "
        f"({t['vs_last'].format(change=change(digest.occurrences, digest.previous_occurrences))})",
        f"{t['incidents']}: " + t["incidents_value"].format(**vars(incidents)),
        f"{t['resolution']}: " + t["resolution_value"].format(**vars(incidents)),
        f"{t['ttr']}: " + (t["ttr_value"].format(median=duration(ttr.median_s, lang),
                                                  p90=duration(ttr.p90_s, lang))
                           if ttr.count else t["ttr_none"]),
    ]
    if digest.top_entries:
        lines += ["", t["top"] + ":"]
        for rank, entry in enumerate(digest.top_entries, start=1):
            trend = t["new_entry"] if entry.previous == 0 else change(entry.count, entry.previous)
            title = entry_title(entry.id, lang)
            name = entry.id if title == entry.id else f"{title} [{entry.id}]"
            lines.append(f"  {rank}. {name} — {t['count'].format(n=entry.count)} ({trend})"
                         + _incidents(entry, plain_ref))
    if digest.unknown:
        lines += ["", t["unknown"] + ": " + t["unknown_value"].format(
            n=digest.unknown, incidents=digest.unknown_incidents)]
        lines += [f"  > {_sample_ref(digest, index, plain_ref)}"
                  f"{sample.splitlines()[0] if sample else ''}"
                  for index, sample in enumerate(digest.unknown_samples)]
        lines.append("  " + t["hint"].replace("`", ""))
    if digest.pending_drafts:
        lines += ["", t["pending_drafts"].format(n=digest.pending_drafts).replace(
            ":bulb: ", "").replace("`", "")]
    if digest.feedback:
        lines += ["", t["feedback"] + ":"]
        lines += ["  " + t["feedback_line"].format(title=entry_title(f.id, lang),
                                                   helpful=f.helpful, rejected=f.not_helpful)
                  for f in digest.feedback]
    channels = [] if digest.scope == THIS_CHANNEL else digest.channels  # one: nothing to rank
    if digest.services or channels:
        lines += ["", t["busiest"] + ":"]
        if digest.services:
            lines.append(f"  {t['services']}: "
                         + ", ".join(f"{s.name} ({s.count})" for s in digest.services))
        if channels:
            lines.append(f"  {t['channels']}: "
                         + ", ".join(f"{c.name} ({c.count})" for c in digest.channels))
    return "\n".join(lines)
