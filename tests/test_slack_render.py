"""Block Kit rendering: what people see in Slack, within Slack's limits. Pure functions."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.answers import Answer, AnswerContext, IncidentFacts
from bot.incidents.service import SimilarIncident
from bot.knowledge.loader import cached_knowledge_base
from bot.knowledge.model import Entry, KnowledgeBase, LocalizedBody
from bot.matching.matcher import Matcher, default_matcher
from bot.matching.result import Match, MatchResult
from bot.slack import blocks as bk
from bot.slack.cards import feedback_block, with_resolution
from bot.slack.render import (
    blocks_as_text,
    render_answer,
    render_candidate_fix,
    render_help,
    render_home,
    render_incidents,
    resolve_modal,
    with_choice_recorded,
    with_feedback,
)
from bot.slack.subcommands import Subcommand

GPU_ERROR = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return cached_knowledge_base(None)


def answer_of(result: MatchResult, lang: str, *, incident_id: int = 42, occurrences: int = 1,
              similar: tuple[SimilarIncident, ...] = (),
              last_fix: SimilarIncident | None = None) -> Answer:
    """An answer as the service builds it, for rendering alone (tests/test_answers_surfaces.py
    renders answers built by the real service on real databases)."""
    incident = IncidentFacts(id=incident_id, occurrence_id=1, occurrences=occurrences,
                             is_new=occurrences == 1, status="open")
    return Answer(context=AnswerContext(workspace="T1", source="slash", language=lang),
                  result=result, text="", incident=incident, similar=similar,
                  last_fix=last_fix)


def texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def within_limits(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= bk.MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= bk.MAX_SECTION_TEXT
            assert block["text"]["text"].count("```") % 2 == 0  # no fence left open
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= bk.MAX_HEADER_TEXT
        if block["type"] == "context":
            assert len(block["elements"]) <= bk.MAX_CONTEXT_ELEMENTS
        if block["type"] == "actions":
            for element in block["elements"]:
                assert len(element["value"]) <= bk.MAX_BUTTON_VALUE


def confident_result(kb: KnowledgeBase, paste: str, lang: str) -> MatchResult:
    """A confident answer as the matcher builds it. The hand-written rule decides here: these
    tests are about rendering an answer, not about the learned decision (test_decision.py)."""
    return Matcher(kb, model=None).match(paste, lang=lang)


def test_known_answer_shows_cause_steps_link_evidence_and_incident(kb: KnowledgeBase) -> None:
    result = confident_result(kb, GPU_ERROR, "en")
    message = render_answer(answer_of(result, "en", occurrences=4), kb, user="U1")
    within_limits(message.blocks)
    text = blocks_as_text(message.blocks)
    state, title = text.splitlines()[:2]
    assert state == ":red_circle: *Open*  #42 · seen 4 times"
    assert title.startswith("Container cannot be scheduled")
    assert "*Cause*\nNo node in the Kubernetes cluster" in text
    assert "*Fix*\n1. " in text and "\n2. " in text
    assert "kubectl get pods -n &lt;namespace&gt;" in text  # commands as code, escaped for Slack
    assert "<https://learn.microsoft.com/" in text
    assert f"matched: `{GPU_ERROR}`" in text
    assert "Incident #42 · seen 4 times" in text and "reported by <@U1>" in text
    # 👍/👎 on the answer, then the incident's buttons.
    assert "[👍] [👎]\n[Resolve] [I'm on it] [Fetch logs]" in text
    assert message.text.startswith("Container cannot be scheduled")
    block_ids = [block.get("block_id", "") for block in message.blocks]
    assert "answer:container-cannot-be-scheduled" in block_ids
    values = [json.loads(element["value"]) for block in message.blocks
              if block["type"] == "actions" for element in block["elements"]]
    assert all(value["entry_id"] == "container-cannot-be-scheduled" for value in values)
    assert all(value["incident_id"] == 42 for value in values)


def test_fetch_logs_is_offered_only_where_logs_may_be_fetched(kb: KnowledgeBase) -> None:
    result = confident_result(kb, GPU_ERROR, "ko")
    text = blocks_as_text(render_answer(answer_of(result, "ko"), kb, logs_offered=False).blocks)
    assert "[👍] [👎]\n[해결 처리] [담당할게요]" in text and "로그 가져오기" not in text
    nothing = answer_of(MatchResult((), "fp"), "en", incident_id=None)
    blocks = render_answer(nothing, kb, logs_offered=False).blocks
    assert all(block.get("elements") for block in blocks if block["type"] == "actions")


def test_answer_in_korean(kb: KnowledgeBase) -> None:
    result = confident_result(kb, GPU_ERROR, "ko")
    text = blocks_as_text(render_answer(answer_of(result, "ko"), kb).blocks)
    assert "*원인*" in text and "*조치 방법*" in text and "인시던트 #42 기록됨" in text
    assert "[👍] [👎]\n[해결 처리] [담당할게요] [로그 가져오기]" in text


def test_evidence_is_redacted_and_cannot_break_out_of_its_code_span(kb: KnowledgeBase) -> None:
    secret = "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=c2VjcmV0c2VjcmV0Cg=="
    match = Match("container-cannot-be-scheduled", "t", 100.0, True,
                  f"{GPU_ERROR} `{secret}` <@U999>")
    message = render_answer(answer_of(MatchResult((match,), "fp"), "en"), kb)
    shown = texts(message.blocks)
    assert "c2VjcmV0c2VjcmV0Cg" not in shown
    evidence = next(block for block in message.blocks
                    if block.get("block_id", "").startswith("evidence:"))
    line = evidence["elements"][0]["text"]
    assert line.count("`") == 2 and "&lt;@U999&gt;" in line  # no surprise mention either


def test_unknown_error_says_no_known_fix_with_candidates(kb: KnowledgeBase) -> None:
    candidates = (Match("http-status-code-504", "Gateway timeout", 51.0, False, "timed out"),
                  Match("http-status-code-502", "Bad gateway", 40.0, False, "bad gateway"))
    message = render_answer(answer_of(MatchResult(candidates, "fp", ("weird: timed out",)), "en",
                                      incident_id=7), kb)
    within_limits(message.blocks)
    text = blocks_as_text(message.blocks)
    assert "*No known fix*" in text and "*Closest candidates* (not confident)" in text
    # Each candidate shows its fix on demand; no score (it means nothing to a reader).
    assert "*Gateway timeout*" not in text  # the knowledge base's title, not the match's
    assert "`http-status-code-504`  [Show fix]" in text and "score" not in text
    assert "Incident #7 recorded" in text
    assert "[👍]" not in text  # nothing was answered, so there is nothing to vote on
    assert "[Resolve] [I'm on it] [Fetch logs]" in text
    ids = {block.get("block_id") for block in message.blocks}
    assert {"candidate:http-status-code-504", "candidate:http-status-code-502"} <= ids
    assert "No known fix" in message.text


def test_nothing_close_at_all(kb: KnowledgeBase) -> None:
    text = blocks_as_text(render_answer(answer_of(MatchResult((), "fp"), "en"), kb).blocks)
    assert "Nothing in the knowledge base comes close." in text


def test_similar_incidents_show_who_fixed_them_and_how(kb: KnowledgeBase) -> None:
    similar = (SimilarIncident(3, "container-cannot-be-scheduled", "resolved", 5,
                               datetime.now(UTC), "0/<n> nodes", "U0BOB",
                               "added a GPU pool <b>now</b>"),
               SimilarIncident(9, None, "open", 2, datetime.now(UTC), "weird `thing`", None,
                               None))
    result = default_matcher().match(GPU_ERROR, lang="en")
    text = blocks_as_text(render_answer(answer_of(result, "en", similar=similar), kb).blocks)
    assert "• #3 (seen 5×, resolved by <@U0BOB>): added a GPU pool &lt;b&gt;now&lt;/b&gt;" in text
    assert "• #9 (seen 2×, still open): weird 'thing'" in text


def test_a_huge_entry_stays_within_slack_limits() -> None:
    steps = tuple(f"Step {n}: " + "x" * 400 + "\n```\n" + "kubectl get pods\n" * 30 + "```"
                  for n in range(80))
    entry = Entry(id="huge-entry", title={"en": "T" * 400}, signatures=("boom",),
                  body={"en": LocalizedBody(cause="Because. " * 500, steps=steps)})
    kb = KnowledgeBase((entry,))
    match = Match("huge-entry", "T", 99.0, True, "boom " * 2000)
    message = render_answer(answer_of(MatchResult((match,), "fp"), "en"), kb)
    within_limits(message.blocks)
    assert message.blocks[-1]["type"] == "actions"  # the buttons survive the trimming
    assert len(message.text) <= bk.MAX_FALLBACK_TEXT


def test_feedback_shows_each_persons_latest_vote() -> None:
    base = [bk.section("answer"),
            feedback_block(incident_id=1, entry_id="e1", lang="en"),
            bk.actions(bk.button("Resolve", action_id="resolve_incident",
                                 value={"incident_id": 1}))]
    once = with_feedback(base, user="UA", helpful=True, lang="en")
    twice = with_feedback(once, user="UB", helpful=False, lang="en")
    changed = with_feedback(twice, user="UA", helpful=False, lang="en")
    log_at = next(index for index, block in enumerate(changed)
                  if block.get("block_id") == "feedback_log")
    assert [element["text"] for element in changed[log_at]["elements"]] == [
        "<@UB>: :-1: not this problem", "<@UA>: :-1: not this problem"]
    assert changed[log_at + 1]["type"] == "context_actions"  # the votes sit above 👍/👎
    assert changed[-1]["type"] == "actions"
    assert "resolved" not in blocks_as_text(changed).lower()  # a vote resolves nothing
    assert base[0] == bk.section("answer") and len(base) == 3  # the input is not modified


def test_resolution_replaces_the_resolve_button_with_the_note() -> None:
    base = [bk.section("answer"), bk.actions(
        bk.button("Resolve", action_id="resolve_incident", value={"incident_id": 1}),
        bk.button("Fetch logs", action_id="fetch_logs", value={"incident_id": 1}))]
    # (A note starting `token:` is a YAML-like key line: its whole value would be withheld.)
    done = with_resolution(base, user="UC", note="rotated Bearer abc.def.ghi & restarted",
                           lang="en")
    text = blocks_as_text(done)
    assert "Resolved by <@UC>: " in text and "&amp; restarted" in text
    assert "[Fetch logs]" in text and "[Resolve]" not in text and "[Reopen]" in text
    again = with_resolution(done, user="UD", note="", lang="en")
    assert blocks_as_text(again).count("Resolved by") == 1 and "(no note)" in blocks_as_text(
        again)


def test_resolve_modal_carries_where_the_answer_is() -> None:
    view = resolve_modal(incident_id=5, lang="ko", metadata={"incident_id": 5, "channel": "C1",
                                                             "message_ts": "1.2"})
    assert view["callback_id"] == "resolve_incident_modal"
    assert json.loads(view["private_metadata"])["message_ts"] == "1.2"
    assert view["blocks"][1]["block_id"] == "note" and view["title"]["text"] == "인시던트 해결 처리"


def test_help_lists_registered_sub_commands_in_the_users_language() -> None:
    logs = Subcommand("logs", lambda ctx: None, "fetch a service's logs", "서비스 로그 가져오기",
                      aliases=("로그",))
    english = blocks_as_text(render_help("en", [logs]).blocks)
    korean = blocks_as_text(render_help("ko", [logs]).blocks)
    assert "`/troubleshoot logs` — fetch a service's logs" in english
    assert "`/troubleshoot logs` — 서비스 로그 가져오기 (`로그`)" in korean
    assert "로그" not in english
    usage = Subcommand("digest", lambda ctx: None, "`digest subscribe [weekday]`: subscribe", "-")
    assert "• `/troubleshoot digest subscribe [weekday]`: subscribe" in blocks_as_text(
        render_help("en", [usage]).blocks)


def test_help_lists_every_sub_command_of_the_app() -> None:
    from bot.slack.listeners import build_subcommands

    english = blocks_as_text(render_help("en", build_subcommands()).blocks)
    korean = blocks_as_text(render_help("ko", build_subcommands()).blocks)
    for usage in ("/troubleshoot watch on|off", "/troubleshoot logs <service",
                  "/troubleshoot digest", "/troubleshoot resolve <id>"):
        assert usage in english
    for word in ("`도움말`", "`인시던트`", "`해결`", "`언어`", "`로그`", "`요약`"):
        assert word in korean


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_help_line_reads_the_same_way(lang: str) -> None:
    """Usage, a dash, what it does: the built-in lines said "— ...", the registered ones
    "`logs ...`: ..." or nothing at all ("`digest` 주간 요약 미리보기 · ...")."""
    from bot.slack.listeners import build_subcommands

    text = blocks_as_text(render_help(lang, build_subcommands()).blocks)
    bullets = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(bullets) >= 10
    for line in bullets:
        assert re.fullmatch(r"• `/troubleshoot [^`]+`[^—]* — [^`—].+", line), line
        assert "`: " not in line, line


class FakeRow:  # the attributes of an incidents row that listings read
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def test_incident_listing_and_home_tab(kb: KnowledgeBase) -> None:
    rows = [FakeRow(id=1, entry_id="http-status-code-504", summary="", occurrence_count=3,
                    last_seen=datetime(2026, 11, 25, 9, 0), channel="C1"),
            FakeRow(id=2, entry_id=None, summary="weird <thing>", occurrence_count=1,
                    last_seen=datetime(2026, 11, 25, 9, 0, tzinfo=UTC), channel=None)]
    listing = blocks_as_text(render_incidents(rows, kb, "en", workspace_scope=True).blocks)
    assert "*#1* " in listing and "3×" in listing and "<#C1>" in listing
    assert "*#2* `weird &lt;thing&gt;`" in listing
    assert "|2026-11-25 09:00 UTC>" in listing  # readers see it in their own time zone
    assert "No open incidents" in blocks_as_text(
        render_incidents([], kb, "en", workspace_scope=False).blocks)
    home = render_home(rows * 40, kb, lang="ko", default_lang="en")
    assert home["type"] == "home" and len(home["blocks"]) <= 100
    assert "내 언어: *한국어*" in texts(home["blocks"]) and "외 50건" in texts(home["blocks"])
    # The workspace default by name in the reader's language: "(워크스페이스 기본값: en)" was a
    # code in the middle of a Korean sentence.
    assert "(워크스페이스 기본값: 영어)" in texts(home["blocks"])
    assert "(workspace default: Korean)" in texts(
        render_home([], kb, lang="en", default_lang="ko")["blocks"])


@pytest.mark.parametrize(("markdown", "expected"), [
    ("**bold** and [guide](https://x.io/a?b=1&c=2)",
     "*bold* and <https://x.io/a?b=1&amp;c=2|guide>"),
    ("```bash\nkubectl logs <pod>\n```", "```\nkubectl logs &lt;pod&gt;\n```"),
    ("## Heading\ntext with <tags> & ampersands",
     "*Heading*\ntext with &lt;tags&gt; &amp; ampersands"),
    ("inline `code <x>`", "inline `code &lt;x&gt;`"),
])
def test_markdown_to_mrkdwn(markdown: str, expected: str) -> None:
    assert bk.markdown_to_mrkdwn(markdown) == expected


def test_truncate_never_leaves_a_fence_open() -> None:
    cut = bk.truncate("```\n" + "line\n" * 1000 + "```", 100)
    assert len(cut) <= 100 and cut.count("```") % 2 == 0


@pytest.mark.parametrize("limit", range(20, 84))
def test_truncate_cuts_between_words_and_never_inside_an_escape(limit: int) -> None:
    # A note cut to fit read "see the runbook https:/…" and could end in "&l…", which Slack
    # shows as written: a cut backs up to the last space near it, and never splits &lt;.
    text = "scaled the pool &lt;gpu&gt; &amp; see https://wiki.example.com/runbooks/gpu-pool now"
    cut = bk.truncate(text, limit)
    assert len(cut) <= limit and cut.endswith("…")
    kept = cut[:-1].rstrip()
    assert not re.search(r"&[a-z]*$", kept)
    room = limit - 1
    # Whole words, unless no space is near enough to back up to (inside the long URL).
    assert text[len(kept)] == " " or " " not in text[math.ceil(room * 0.7):room], cut


def test_long_text_splits_into_sections_with_balanced_fences() -> None:
    text = "intro\n```\n" + "\n".join(f"line {n}" for n in range(900)) + "\n```\nafter"
    parts = [part["text"]["text"] for part in bk.sections(text)]
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= bk.MAX_SECTION_TEXT
        assert part.count("```") % 2 == 0
    assert parts[0].startswith("intro\n```\nline 0") and parts[0].endswith("\n```")
    assert parts[1].startswith("```\nline ")  # the code block goes on, as code
    assert parts[-1].endswith("```\nafter")
    assert "".join(parts).count("line 899") == 1


@pytest.mark.parametrize(("lang", "probably", "first_step", "others"), [
    ("en", "*Probably:*", "*First step*", "*Also possible*"),
    ("ko", "*아마:*", "*첫 단계*", "*다른 가능성*")])
def test_a_likely_match_is_a_tentative_answer_not_no_known_fix(
        kb: KnowledgeBase, lang: str, probably: str, first_step: str, others: str) -> None:
    likely = Match("service-launch-fails", "t", 61.0, False, "RRuntimeError: there is no "
                   "package called 'caret'", tier="likely")
    runner_up = Match("image-build-fails", "t", 40.0, False, "no package", tier="unknown")
    message = render_answer(answer_of(MatchResult((likely, runner_up), "fp"), lang), kb)
    within_limits(message.blocks)
    text = blocks_as_text(message.blocks)
    entry = kb.get("service-launch-fails")
    assert entry is not None
    body = entry.body_in(lang)
    assert body is not None and len(body.steps) > 1
    assert probably in text and entry.title_in(lang) in text
    assert first_step in text and "no_known_fix" not in {b.get("block_id") for b in
                                                        message.blocks}
    assert bk.markdown_to_mrkdwn(body.steps[1].strip())[:40] not in text  # only the first step
    assert others in text and "`image-build-fails`" in text  # the other candidates
    assert "[👍] [👎]" in text  # feedback teaches the KB
    assert "[Show fix]" in text or "[조치 방법 보기]" in text  # the others' fixes on demand
    assert message.text.startswith("Probably" if lang == "en" else "아마")


@pytest.mark.parametrize(("lang", "in_thread"), [("en", "in the thread"), ("ko", "스레드에")])
def test_a_tentative_full_answer_leads_to_its_other_steps_not_to_itself(
        kb: KnowledgeBase, lang: str, in_thread: str) -> None:
    # The full answer is the card's thread reply (or a mention's answer): it said "(5 more
    # steps in the thread)" while being that thread, and the likely entry had no Show fix, so
    # its other steps could not be seen anywhere in Slack.
    likely = Match("service-launch-fails", "t", 61.0, False, "RRuntimeError: there is no "
                   "package called 'caret'", tier="likely")
    message = render_answer(answer_of(MatchResult((likely,), "fp"), lang), kb)
    within_limits(message.blocks)
    [first] = [block for block in message.blocks
               if str(block.get("block_id", "")).endswith("service-launch-fails:first")]
    assert in_thread not in first["text"]["text"]
    button = first.get("accessory") or {}
    assert button.get("action_id") == "show_candidate_fix"
    assert json.loads(button["value"]) == {"incident_id": 42,
                                           "entry_id": "service-launch-fails"}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_candidates_fix_shows_every_step_and_this_is_it(kb: KnowledgeBase, lang: str) -> None:
    entry = kb.get("http-status-code-503")
    assert entry is not None and entry.body_in(lang) is not None
    shown = render_candidate_fix(entry, incident_id=9, lang=lang)
    within_limits(shown.blocks)
    text = blocks_as_text(shown.blocks)
    assert entry.title_in(lang) in text and {"ko": "*원인*", "en": "*Cause*"}[lang] in text
    steps = entry.body_in(lang).steps  # type: ignore[union-attr]
    assert f"\n{len(steps)}. " in text  # every step, not only the first
    [button] = shown.blocks[-1]["elements"]
    assert button["text"]["text"] == {"ko": "이 방법이 맞아요", "en": "This is it"}[lang]
    assert json.loads(button["value"]) == {"incident_id": 9, "entry_id": entry.id}
    # Without an incident there is nothing to record it on: no button.
    assert not any(block["type"] == "actions" for block in render_candidate_fix(
        entry, incident_id=None, lang=lang).blocks)

    for proposed in (True, False):
        done = blocks_as_text(with_choice_recorded(shown.blocks, lang=lang, proposed=proposed))
        assert {"ko": "이 방법이 맞아요", "en": "This is it"}[lang] not in done
        assert {"ko": "답으로 기록했습니다", "en": "Recorded as the answer"}[lang] in done
        # Only a proposal actually posted is said to be in the thread.
        assert ({"ko": "스레드", "en": "thread"}[lang] in done.splitlines()[-1]) == proposed
