"""The digest as people read it: Slack blocks within Slack's limits, text, the chart PNG."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path

import pytest

from bot.digest.chart import render_chart
from bot.digest.figures import Digest, compute_digest
from bot.digest.render import duration, render_message, render_text
from bot.digest.weeks import IsoWeek
from bot.storage import engine_for
from bot.storage.migrations import upgrade
from tests.test_digest_figures import CONTAINER, SEOUL, UNKNOWN_TEXT, W47, seed_history


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('digest') / 'bot.db'}"
    upgrade(url)
    seed_history(url)
    return url


@pytest.fixture(scope="module")
def week(seeded_sqlite: str) -> Digest:
    return compute_digest(engine_for(seeded_sqlite), W47, SEOUL)


@pytest.fixture(scope="module")
def empty_week(seeded_sqlite: str) -> Digest:
    return compute_digest(engine_for(seeded_sqlite), IsoWeek(2026, 30), SEOUL)


def _all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_message_carries_every_figure_without_the_chart(week: Digest, lang: str) -> None:
    message = render_message(week, lang)
    text = _all_text(message["blocks"])
    assert all(block["type"] != "image" for block in message["blocks"])

    assert "2026-W47" in message["text"] and "10" in message["text"]
    assert CONTAINER in text and "http-status-code-503" in text
    assert UNKNOWN_TEXT in text  # the sample to write up
    assert "kb check" in text
    assert duration(5400, lang) in text and duration(62640, lang) in text
    assert ("1h 30m" if lang == "en" else "1시간 30분") in text
    assert "<#C1>" in text  # busiest channels as Slack channel links
    if lang == "ko":
        assert "주간 요약" in text and "재발" in text
    else:
        assert "Weekly digest" in text and "recurring" in text


def test_message_respects_slack_limits(week: Digest) -> None:
    blocks = render_message(week, "en")["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def test_user_text_cannot_break_the_markup(week: Digest) -> None:
    hostile = Digest(**{**week.__dict__, "unknown_samples": ["<!channel> & ```x``` " + "y" * 5000]})
    text = _all_text(render_message(hostile, "en")["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text
    assert all(len(b.get("text", {}).get("text", "")) <= 3000
               for b in render_message(hostile, "en")["blocks"])


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_empty_week_is_short_and_friendly(empty_week: Digest, lang: str) -> None:
    message = render_message(empty_week, lang)
    assert len(message["blocks"]) <= 3
    assert ("quiet week" if lang == "en" else "조용한 한 주") in message["text"]
    assert "None" not in _all_text(message["blocks"])
    plain = render_text(empty_week, lang)
    assert "2026-W30" in plain and "None" not in plain


def test_plain_text_for_the_terminal(week: Digest) -> None:
    text = render_text(week, "en")
    assert "Errors reported: 10 (▲8 vs last week)" in text
    assert "Incidents: 3 new · 2 recurring" in text
    assert "4 resolved · 3 open at week end" in text
    assert "median 1h 30m · p90 17h 24m" in text
    assert "<#" not in text and "*" not in text


def test_korean_counts_read_as_korean_writes_them(week: Digest) -> None:
    """Korean counts things with a counter word: the digest said "보고된 오류: 10" and
    "신규 3 · 재발 2" a line above "확실한 매칭이 없는 보고 2건"."""
    text = render_text(week, "ko")
    assert "보고된 오류: 10건 (지난주 대비 ▲8)" in text
    assert "인시던트: 신규 3건 · 재발 2건" in text
    assert "해결 4건 · 주 마감 기준 미해결 3건" in text
    assert re.search(r"\n  1\. .+ — \d+건 \(", text), text
    blocks = _all_text(render_message(week, "ko")["blocks"])
    assert "*보고된 오류*\\n10건 (" in blocks
    assert re.search(r"\\n1\. .+ — \d+건 \(", blocks), blocks


def test_durations_read_naturally() -> None:
    assert duration(None, "en") == "–"
    assert duration(42, "en") == "42s"
    assert duration(90061, "en") == "1d 1h"
    assert duration(3720, "ko") == "1시간 2분"


def test_chart_is_a_png(week: Digest, empty_week: Digest, tmp_path: Path) -> None:
    from PIL import Image

    for digest in (week, empty_week):
        png = render_chart(digest)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG"
            assert image.size == (800, 450)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_chart_is_shown_in_the_message_after_the_top_problems(week: Digest, lang: str) -> None:
    blocks = render_message(week, lang, chart_file="F0123ABCD")["blocks"]
    [index] = [i for i, block in enumerate(blocks) if block["type"] == "image"]
    image = blocks[index]
    assert image["slack_file"] == {"id": "F0123ABCD"} and image["block_id"] == "digest_chart"
    assert "2026-W47" in image["alt_text"]
    assert ("일별 오류" in image["alt_text"]) == (lang == "ko")
    top = next(i for i, block in enumerate(blocks)
               if CONTAINER in json.dumps(block, ensure_ascii=False))
    assert index == top + 1  # right under the problems it illustrates, before the unknowns


def _texts(figure) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    [axes] = figure.axes
    legend = axes.get_legend()
    return {"title": [axes.get_title(loc="left")],
            "days": [label.get_text() for label in axes.get_xticklabels()],
            "legend": [text.get_text() for text in legend.get_texts()] if legend else [],
            "ylabel": [axes.get_ylabel()]}


def test_korean_chart_speaks_korean_and_names_the_channel(week: Digest) -> None:
    from bot.digest.chart import chart_figure, hangul_font
    from bot.digest.render import entry_title

    if hangul_font() is None:
        pytest.skip("no font with Hangul on this machine")
    one_channel = Digest(**{**week.__dict__, "channel": "C1", "scope": "channel"})
    texts = _texts(chart_figure(one_channel, "ko", channel_name="#ml-serving"))
    assert texts["title"] == ["#ml-serving 일별 오류 · 2026-W47"]
    assert "C1" not in texts["title"][0]
    assert texts["days"][0] == "월\n11/16" and texts["days"][6] == "일\n11/22"
    assert texts["ylabel"] == ["오류 건수"]
    # Titles of the problems in Korean, not KB ids.
    assert entry_title(CONTAINER, "ko")[:20] in " ".join(texts["legend"])
    assert not any(CONTAINER in text for text in texts["legend"])
    assert "지식 베이스에 없는 오류" in texts["legend"]


def test_english_chart_and_scopes_in_the_title(week: Digest) -> None:
    from bot.digest.chart import chart_figure

    texts = _texts(chart_figure(week, "en"))
    assert texts["title"] == ["Errors per day · all channels · 2026-W47"]
    assert texts["days"][0] == "Mon\n11/16"
    assert "Not in the knowledge base" in texts["legend"]
    workspace = Digest(**{**week.__dict__, "channel": "C9", "scope": "workspace"})
    assert _texts(chart_figure(workspace, "en", channel_name="#weekly"))["title"] == [
        "Errors per day · whole workspace · 2026-W47"]
    listed = Digest(**{**week.__dict__, "channel": "C9", "scope": "channels",
                       "covers": ["C1", "C2"]})
    assert "2 channels" in _texts(chart_figure(listed, "en"))["title"][0]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_chart_labels_never_overlap(week: Digest, lang: str) -> None:
    """Day labels side by side, the legend below the bars: no two boxes intersect."""
    from bot.digest.chart import chart_figure

    figure = chart_figure(week, lang)
    renderer = figure.canvas.get_renderer()
    [axes] = figure.axes
    days = [label.get_window_extent(renderer) for label in axes.get_xticklabels()]
    for left, right in itertools.pairwise(days):
        assert left.x1 < right.x0, (left, right)
    legend = axes.get_legend().get_window_extent(renderer)
    assert all(legend.y1 < day.y0 for day in days)  # under the labels, not on them
    whole = figure.bbox
    assert whole.x0 <= legend.x0 and legend.x1 <= whole.x1 and legend.y0 >= whole.y0
