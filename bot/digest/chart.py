"""The digest chart: occurrences per day, stacked by the week's top problems, as PNG bytes.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global state, no display), so
it is safe in worker threads and never opens a window. Labels are ASCII (entry ids, weekday
abbreviations) so no CJK font is needed on the server.
"""

from __future__ import annotations

import io

from bot.digest.figures import OTHER_SERIES, UNKNOWN_SERIES, Digest

COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#72B7B2", "#9D755D")
OTHER_COLOUR = "#BAB0AC"
UNKNOWN_COLOUR = "#E45756"


def render_chart(digest: Digest, *, width_in: float = 8.0, height_in: float = 4.0,
                 dpi: int = 100) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    labels = [day.day.strftime("%a %m-%d") for day in digest.daily]
    positions = list(range(len(labels)))
    bottoms = [0] * len(labels)
    top_colours = iter(COLOURS)
    for name in digest.series:
        values = [day.counts.get(name, 0) for day in digest.daily]
        colour = (UNKNOWN_COLOUR if name == UNKNOWN_SERIES
                  else OTHER_COLOUR if name == OTHER_SERIES else next(top_colours))
        axes.bar(positions, values, bottom=bottoms, label=name, color=colour, width=0.7)
        bottoms = [low + value for low, value in zip(bottoms, values, strict=True)]
    axes.set_xticks(positions, labels)
    axes.set_ylabel("occurrences")
    where = f" in {digest.channel}" if digest.channel else ""
    axes.set_title(f"Errors per day{where}, {digest.week.label} ({digest.timezone})")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if digest.series:
        # Outside the plot, to the right: a legend inside would hide the busiest day's bar.
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                    frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
