"""Draw a StanceMap: actors down the side, issues across the top, a cell per actor and issue."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from bot.pictures.canvas import BASE_PT, SMALL_PT, TITLE_PT, new_figure, png_bytes
from bot.pictures.fonts import label
from bot.pictures.palette import BACKGROUND, EMPTY, INK, MUTED, ORDER, SHIFT, style
from bot.pictures.stance_map import Cell, StanceMap

TITLE_PX, HEAD_PX, ROW_PX, LEGEND_PX = 120, 110, 92, 100
LEFT = 0.29


def _title(fig: Figure, data: StanceMap, height: int) -> None:
    fig.text(0.03, 1 - 22 / height, "Who stands where", fontsize=TITLE_PT,
             fontweight="bold", va="top")  # fmt: skip
    about = f" on “{label(data.topic, 30)}”" if data.topic else ""
    fig.text(0.03, 1 - 66 / height, f"Last {data.days} days{about} · latest stance; "
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


def _draw_cell(ax: object, x: int, y: int, cell: Cell | None) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)  # noqa: S101 - narrows the type for mypy
    fill = EMPTY if cell is None else style(cell.polarity).tint
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=fill, edgecolor=BACKGROUND, linewidth=4))
    if cell is None:
        ax.text(x + 0.5, y + 0.5, "-", ha="center", va="center", color=MUTED, fontsize=BASE_PT)
        return
    s = style(cell.polarity)
    ax.scatter([x + 0.3], [y + 0.5], s=150, marker=s.marker, color=s.colour, edgecolors=INK,
               linewidths=0.7, zorder=3)  # fmt: skip
    ax.text(x + 0.56, y + 0.5, str(cell.verified), ha="left", va="center", fontsize=BASE_PT + 1,
            fontweight="bold", color=INK, zorder=3)  # fmt: skip
    if cell.shifted:
        ax.add_patch(Rectangle((x + 0.06, y + 0.08), 0.88, 0.84, fill=False, edgecolor=SHIFT,
                               linewidth=3, zorder=4))  # fmt: skip


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
        for i in range(cols):
            _draw_cell(ax, i, j, data.cells[j][i])
    _legend(fig)
    return png_bytes(fig)
