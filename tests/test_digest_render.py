"""The digest as people read it: Slack blocks within Slack's limits, text, the chart PNG."""

from __future__ import annotations

import io
import json
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
    message = render_message(week, lang, with_chart_note=True)
    text = _all_text(message["blocks"])

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
            assert image.size == (800, 400)
