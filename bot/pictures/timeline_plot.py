"""Draw a Timeline: dates along the bottom, a lane per issue, numbered marks, shifts as arrows."""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.pictures.canvas import BASE_PT, SMALL_PT, TITLE_PT, WIDTH_PX, new_figure, png_bytes
from bot.pictures.fonts import label
from bot.pictures.glyphs import labels
from bot.pictures.palette import GRID, INK, MUTED, ORDER, SHIFT, style
from bot.pictures.timeline import Mark, Timeline

TOP_PX, LANE_PX, BOTTOM_PX = 190, 120, 80
LEFT = 0.31  # of the width: the issues' names
CROWDED = 0.03  # of the span: marks closer than this in one lane are staggered
STAGGER = (0.0, 0.24, -0.24)
_EPOCH = date(1970, 1, 1)


def _num(day: date) -> float:
    # matplotlib's date numbers: days since its default epoch, 1970-01-01
    return float((day - _EPOCH).days)


def _positions(timeline: Timeline, span: float) -> dict[int, tuple[float, float]]:
    placed: dict[int, tuple[float, float]] = {}
    lanes = len(timeline.lanes)
    for lane in range(lanes):
        row = lanes - 1 - lane  # the first lane on top
        previous, turn = None, 0
        for mark in (m for m in timeline.marks if m.lane == lane):
            x = _num(mark.day)
            turn = turn + 1 if previous is not None and x - previous < CROWDED * span else 0
            placed[mark.number] = (x, row + STAGGER[turn % len(STAGGER)])
            previous = x
    return placed


def _axes(fig: Figure, timeline: Timeline, height: int) -> Axes:
    lanes = len(timeline.lanes)
    bottom, top = BOTTOM_PX / height, (height - TOP_PX) / height
    ax = fig.add_axes((LEFT, bottom, 0.96 - LEFT, top - bottom))
    ax.set_ylim(-0.6, lanes - 0.4)
    ax.set_yticks(
        range(lanes), [label(t, 22, 2) for t in reversed(timeline.lanes)], fontsize=BASE_PT
    )
    for row in range(lanes - 1):
        ax.axhline(row + 0.5, color=GRID, linewidth=1)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=SMALL_PT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    # matplotlib.dates has no type hints yet
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    # The corner label says which month or year the ticks are in: "Dec 2026", not "2026-Dec".
    offsets = ["", "%Y", "%b %Y", "%d %b %Y", "%d %b %Y", "%d %b %Y"]
    concise = mdates.ConciseDateFormatter(locator, offset_formats=offsets)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(concise)
    return ax


def _span(marks: tuple[Mark, ...]) -> tuple[float, float]:
    first, last = min(m.day for m in marks), max(m.day for m in marks)
    pad = max((last - first) * 0.05, timedelta(days=2))
    return _num(first - pad), _num(last + pad)


def _legend(fig: Figure, height: int) -> None:
    handles = [
        Line2D([], [], linestyle="", marker=style(p).marker, markersize=10,
               markerfacecolor=style(p).colour, markeredgecolor=INK, label=style(p).label)
        for p in ORDER
    ]  # fmt: skip
    handles.append(Line2D([], [], color=SHIFT, linewidth=2.5, label="shift"))
    fig.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.02, 1 - 112 / height),
        ncols=5, frameon=False, fontsize=SMALL_PT, handletextpad=0.3, columnspacing=1.0,
    )  # fmt: skip


def render_timeline(timeline: Timeline) -> bytes:
    """Draw the timeline as a PNG."""
    height = TOP_PX + LANE_PX * max(len(timeline.lanes), 2) + BOTTOM_PX
    fig = new_figure(height)
    fig.text(0.03, 1 - 22 / height, label(timeline.actor, 42), fontsize=TITLE_PT,
             fontweight="bold", va="top")  # fmt: skip
    more = f" · {timeline.left_out} more not shown" if timeline.left_out else ""
    fig.text(0.03, 1 - 68 / height, f"Stances by publication date{more}", fontsize=SMALL_PT,
             color=MUTED, va="top")  # fmt: skip
    _legend(fig, height)
    ax = _axes(fig, timeline, height)
    low, high = _span(timeline.marks)
    ax.set_xlim(low, high)
    at = _positions(timeline, high - low)
    for polarity in ORDER:
        marks = [m for m in timeline.marks if style(m.polarity) is style(polarity)]
        if marks:
            s = style(polarity)
            ax.scatter([at[m.number][0] for m in marks], [at[m.number][1] for m in marks],
                       s=120, marker=s.marker, color=s.colour, edgecolors=INK, linewidths=0.7,
                       zorder=3)  # fmt: skip
    for before, after in (a for a in timeline.arrows if a[0] in at and a[1] in at):
        ax.annotate(
            "", xy=at[after], xytext=at[before], zorder=2,
            arrowprops={"arrowstyle": "-|>", "color": SHIFT, "linewidth": 2.2,
                        "shrinkA": 8, "shrinkB": 8, "mutation_scale": 16,
                        "connectionstyle": "arc3,rad=-0.3"},
        )  # fmt: skip
    numbers = [str(m.number) for m in timeline.marks]
    anchors = [at[m.number] for m in timeline.marks]
    ax.add_collection(labels(ax, numbers, anchors, size_pt=SMALL_PT, offset_pt=(0, 14)))
    return png_bytes(fig)


__all__ = ["WIDTH_PX", "render_timeline"]
