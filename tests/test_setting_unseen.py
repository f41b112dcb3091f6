"""Round 17: a paste whose first candidate is held back only because nothing in it shows a
deployment says so, instead of "no known fix" with the answer at the top of the list.

"The container exited with exit code 137." matches the out-of-memory entry's own line (score
95), but round 16's rule (scope.no_model_served, decision.may_be_likely) keeps a paste with no
model, endpoint or pod in sight from being "probably" anything: on public reports such pastes
were mostly other programs. In a team's incident channel the container is usually theirs, so
every surface (terminal, thread reply, channel card, notification) says what it matches, that
nothing shows a deployment, and what to add; naming the endpoint answers it. The pastes are
written for these tests; no evaluation paste is copied.
"""

from __future__ import annotations

import pytest

from bot.matching.matcher import default_matcher
from bot.matching.result import MatchResult
from bot.slack.render import blocks_as_text, render_answer, render_card
from tests.support.cli import run_cli
from tests.test_slack_render import answer_of

BARE = [
    ("The container exited with exit code 137.", "vm-out-of-memory"),
    ("컨테이너가 exit code 137로 종료됐어요.", "vm-out-of-memory"),
    ("requests get 503 under load", "http-status-code-503"),
]


def _match(paste: str) -> MatchResult:
    return default_matcher().match(paste)


@pytest.mark.parametrize(("paste", "entry"), BARE)
def test_a_known_line_with_no_deployment_in_sight_is_flagged_not_abstained(
        paste: str, entry: str) -> None:
    result = _match(paste)
    assert result.matches[0].entry_id == entry
    assert result.matches[0].tier == "unknown" and result.setting_unseen


@pytest.mark.parametrize("paste", [
    "My online endpoint's container exited with exit code 137.",
    "온라인 엔드포인트 컨테이너가 exit code 137로 종료됐어요.",
    "The model deployment's pod exited with exit code 137.",
])
def test_naming_the_deployment_answers_it(paste: str) -> None:
    result = _match(paste)
    assert result.matches[0].entry_id == "vm-out-of-memory"
    assert result.matches[0].tier in ("likely", "confident") and not result.setting_unseen


@pytest.mark.parametrize("paste", [
    # Another setting in sight: a PaaS's own kill message (podfate19's runs_elsewhere).
    "Error R14 (Memory quota exceeded) then the dyno exited with exit code 137",
    # Development work on the software: held back for that, not for a missing setting.
    "feat: retry the request when the upstream returns 503 under load",
])
def test_a_paste_held_back_for_another_reason_is_not_told_to_name_its_deployment(
        paste: str) -> None:
    result = _match(paste)
    assert result.matches and result.matches[0].tier == "unknown"
    assert not result.setting_unseen


@pytest.mark.parametrize(("lang", "says", "asks"), [
    ("en", "Nothing here shows a deployment", "Name the endpoint or deployment"),
    ("ko", "배포를 보여 주는 부분이 없어서", "엔드포인트나 배포 이름을 알려 주시거나"),
])
def test_the_match_command_says_what_it_matches_and_what_to_add(
        lang: str, says: str, asks: str) -> None:
    done = run_cli(["match", "--lang", lang, "The container exited with exit code 137."])
    assert done.returncode == 0, done.stderr
    assert says in done.stdout and asks in done.stdout
    first = done.stdout.index("[vm-out-of-memory]")
    assert first < done.stdout.index("[service-launch-fails]")  # the likely cause comes first
    assert "No known fix" not in done.stdout and "알려진 조치 방법이 없습니다" not in done.stdout


@pytest.mark.parametrize(("lang", "says", "lists", "not_says"), [
    ("ko", "배포를 보여 주는 부분이 없어서", "확인해 볼 만한 후보", "알려진 조치 방법이 없습니다"),
    ("en", "Nothing here shows a deployment", "Worth checking", "No known fix"),
])
def test_the_thread_reply_card_and_notification_say_the_same(
        lang: str, says: str, lists: str, not_says: str) -> None:
    from bot.knowledge.loader import cached_knowledge_base

    kb = cached_knowledge_base(None)
    result = _match("The container exited with exit code 137.")
    answer = answer_of(result, lang)
    reply = blocks_as_text(render_answer(answer, kb).blocks)
    card = render_card(answer, kb)
    for text in (reply, blocks_as_text(card.blocks)):
        assert says in text and lists in text and not_says not in text
    assert says in card.text and not_says not in card.text
