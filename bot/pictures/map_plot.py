"""Draw a StanceMap: actors down the side, issues across the top, a cell per actor and issue."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from bot.pictures.canvas import BASE_PT, SMALL_PT, TITLE_PT, new_figure, png_bytes
from bot.pictures.captions import period
from bot.pictures.fonts import label
from bot.pictures.glyphs import labels
from bot.pictures.palette import BACKGROUND, EMPTY, INK, MUTED, ORDER, SHIFT, style
from bot.pictures.stance_map import StanceMap

TITLE_PX, HEAD_PX, ROW_PX, LEGEND_PX = 120, 110, 92, 100
LEFT = 0.29


def _title(fig: Figure, data: StanceMap, height: int) -> None:
    fig.text(0.03, 1 - 22 / height, "Who stands where", fontsize=TITLE_PT,
             fontweight="bold", va="top")  # fmt: skip
    about = f" on “{label(data.topic, 30)}”" if data.topic else ""
    fig.text(0.03, 1 - 66 / height, f"{period(data.days).capitalize()}{about} · latest stance; "
             "number = verified stances", fontsize=SMALL_PT, color=MUTED, va="top")  # fmt: skip


def _legend(fig: Figure) -> None:
    handles = [
        Line2D([], [], linestyle="", marker=style(p).marker, markersize=10,
               markerfacecolor=style(p).colour, markeredgecolor=INK, label=style(p).label)
        for p in ORDER
    ]  # fmt: skip
    handles.append(
        Line2D([], [], linestyle="", marker="s", markersize=13, markerfacecolor="none",
               markeredgecolor=SHIFT, markeredgewidth=3, label="shifted")
    )  # fmt: skip
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.02), ncols=5,
               frameon=False, fontsize=SMALL_PT, handletextpad=0.3, columnspacing=1.0)  # fmt: skip


def _cells(ax: Axes, data: StanceMap) -> None:
    """Draw every cell: fills as one collection, marks one scatter per polarity, counts as one."""
    boxes, fills, frames = [], [], []
    marks: dict[str, list[tuple[float, float]]] = {p: [] for p in ORDER}
    counts: list[tuple[str, tuple[float, float]]] = []
    empty: list[tuple[float, float]] = []
    for y, row in enumerate(data.cells):
        for x, cell in enumerate(row):
            boxes.append(Rectangle((x, y), 1, 1))
            fills.append(EMPTY if cell is None else style(cell.polarity).tint)
            if cell is None:
                empty.append((x + 0.5, y + 0.5))
                continue
            marks[style(cell.polarity).label].append((x + 0.3, y + 0.5))
            counts.append((str(cell.verified), (x + 0.62, y + 0.5)))
            if cell.shifted:
                frames.append(Rectangle((x + 0.06, y + 0.08), 0.88, 0.84))
    ax.add_collection(PatchCollection(boxes, facecolors=fills, edgecolors=BACKGROUND, linewidths=4))
    ax.add_collection(PatchCollection(frames, facecolors="none", edgecolors=SHIFT, linewidths=3,
                                      zorder=4))  # fmt: skip
    for polarity, at in marks.items():
        if at:
            s = style(polarity)
            xs, ys = zip(*at, strict=True)
            ax.scatter(xs, ys, s=150, marker=s.marker, color=s.colour,
                       edgecolors=INK, linewidths=0.7, zorder=3)  # fmt: skip
    if counts:
        texts, anchors = zip(*counts, strict=True)
        ax.add_collection(labels(ax, texts, anchors, size_pt=BASE_PT + 1, bold=True))
    if empty:
        ax.add_collection(labels(ax, ["-"] * len(empty), empty, size_pt=BASE_PT, colour=MUTED))


def render_map(data: StanceMap) -> bytes:
    """Draw the map as a PNG."""
    rows, cols = len(data.actors), len(data.issues)
    height = TITLE_PX + HEAD_PX + ROW_PX * max(rows, 2) + LEGEND_PX
    fig = new_figure(height)
    _title(fig, data, height)
    grid_px = ROW_PX * rows
    bottom = (LEGEND_PX + ROW_PX * (max(rows, 2) - rows)) / height
    ax = fig.add_axes((LEFT, bottom, 0.97 - LEFT, grid_px / height))
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_axis_off()
    wide = max(8, 60 // cols)
    for i, issue in enumerate(data.issues):
        ax.text(i + 0.5, -0.08, label(issue, wide, 3), ha="center", va="bottom",
                fontsize=SMALL_PT, color=INK)  # fmt: skip
    for j, actor in enumerate(data.actors):
        ax.text(-0.06, j + 0.5, label(actor, 17, 2), ha="right", va="center", fontsize=BASE_PT)
    _cells(ax, data)
    _legend(fig)
    return png_bytes(fig)
