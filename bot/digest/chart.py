"""The digest chart: errors per day, stacked by the week's top problems, as PNG bytes.

Written in the digest's language: the title names the channel (`#ml-serving`, never a raw id) or
the scope, the days read "월 11/16" (two lines, so seven of them never overlap), and the legend
shows the problems' titles as the message does, not KB ids.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global state, no display), so
it is safe in worker threads and never opens a window. Korean needs a font with Hangul; the
first installed one of HANGUL_FONTS is used (Debian/Ubuntu: `fonts-noto-cjk` or
`fonts-nanum`). A server without any draws the chart in English rather than in empty boxes.
"""

from __future__ import annotations

import io
import logging
import textwrap
from functools import cache
from typing import TYPE_CHECKING

from bot.digest.figures import OTHER_SERIES, UNKNOWN_SERIES, Digest
from bot.digest.scope import LISTED, WORKSPACE
from bot.i18n import Catalog

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#72B7B2", "#9D755D")
OTHER_COLOUR = "#BAB0AC"
UNKNOWN_COLOUR = "#E45756"
HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "NanumBarunGothic",
                "Malgun Gothic", "Apple SD Gothic Neo", "Source Han Sans KR",
                "Noto Sans CJK JP", "Noto Sans CJK SC")
# A legend title longer than this is cut with "…" (two columns of them fit under the bars;
# Hangul is about twice as wide as Latin letters).
LEGEND_CHARS = {"en": 44, "ko": 30}

STRINGS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Errors per day · {where} · {week}",
        "ko": "{where} 일별 오류 · {week}",
    },
    "workspace": {
        "en": "whole workspace",
        "ko": "워크스페이스 전체",
    },
    "listed": {
        "en": "{n} channels",
        "ko": "채널 {n}곳",
    },
    "this_channel": {
        "en": "this channel",
        "ko": "이 채널",
    },
    "all": {
        "en": "all channels",
        "ko": "모든 채널",
    },
    "ylabel": {
        "en": "errors",
        "ko": "오류 건수",
    },
    "other": {
        "en": "Other problems",
        "ko": "그 밖의 문제",
    },
    "unknown": {
        "en": "Not in the knowledge base",
        "ko": "지식 베이스에 없는 오류",
    },
}


t = Catalog(STRINGS)
DAY_NAMES = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ko": ("월", "화", "수", "목", "금", "토", "일"),
}


@cache
def hangul_font() -> str | None:
    """The family name of an installed font that has Hangul, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = next((name for name in HANGUL_FONTS if name in installed), None)
    if found is None:
        log.warning("no font with Hangul is installed (%s); Korean digest charts are drawn in "
                    "English", ", ".join(HANGUL_FONTS[:3]))
    return found


def chart_language(lang: str) -> str:
    """The language the chart can be drawn in: `lang`, unless Korean has no font here."""
    return "ko" if lang == "ko" and hangul_font() else "en"


def _t(lang: str) -> dict[str, str]:
    """This language's templates, for the code below that uses many of them at once."""
    return {key: t(key, lang) for key in STRINGS}


def chart_where(digest: Digest, lang: str, channel_name: str | None) -> str:
    """What the chart covers, for its title: `#name`, "whole workspace", "3 channels"."""
    t = _t(lang)
    if digest.channel is None:
        return t["all"]
    if digest.scope == WORKSPACE:
        return t["workspace"]
    if digest.scope == LISTED:
        return t["listed"].format(n=len(digest.covers or []))
    return channel_name or t["this_channel"]


def chart_title(digest: Digest, lang: str, channel_name: str | None = None) -> str:
    return _t(lang)["title"].format(where=chart_where(digest, lang, channel_name),
                                    week=digest.week.label)


def series_label(name: str, lang: str) -> str:
    """A legend entry: the problem's title in `lang` (cut to fit), not its id."""
    from bot.digest.render import entry_title

    t = _t(lang)
    if name == OTHER_SERIES:
        return t["other"]
    if name == UNKNOWN_SERIES:
        return t["unknown"]
    return textwrap.shorten(entry_title(name, lang), LEGEND_CHARS.get(lang, 44),
                            placeholder="…")


def day_label(day: object, lang: str) -> str:
    from datetime import date

    assert isinstance(day, date)
    return f"{DAY_NAMES.get(lang, DAY_NAMES['en'])[day.weekday()]}\n{day.month}/{day.day}"


def render_chart(digest: Digest, lang: str = "en", *, channel_name: str | None = None,
                 width_in: float = 8.0, height_in: float = 4.5, dpi: int = 100) -> bytes:
    figure = chart_figure(digest, lang, channel_name=channel_name, width_in=width_in,
                          height_in=height_in, dpi=dpi)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(digest: Digest, lang: str = "en", *, channel_name: str | None = None,
                 width_in: float = 8.0, height_in: float = 4.5, dpi: int = 100) -> Figure:
    """The chart as a laid-out matplotlib Figure (render_chart saves it as PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = chart_language(lang)
    t = _t(lang)
    font = hangul_font() if lang == "ko" else None
    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(digest.daily)))
    bottoms = [0] * len(positions)
    top_colours = iter(COLOURS)
    for name in digest.series:
        values = [day.counts.get(name, 0) for day in digest.daily]
        colour = (UNKNOWN_COLOUR if name == UNKNOWN_SERIES
                  else OTHER_COLOUR if name == OTHER_SERIES else next(top_colours))
        axes.bar(positions, values, bottom=bottoms, label=series_label(name, lang),
                 color=colour, width=0.7)
        bottoms = [low + value for low, value in zip(bottoms, values, strict=True)]
    axes.set_xticks(positions, [day_label(day.day, lang) for day in digest.daily])
    axes.set_ylabel(t["ylabel"])
    axes.set_title(chart_title(digest, lang, channel_name), loc="left")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if digest.series:
        # Under the plot: beside it, long problem titles would squeeze the bars.
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize="small",
                    frameon=False)
    if font:
        for text in figure.findobj(lambda item: hasattr(item, "set_fontfamily")):
            text.set_fontfamily([font, "DejaVu Sans"])
    figure.tight_layout()
    return figure
