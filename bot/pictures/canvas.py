"""A blank figure and its PNG: Agg only, one `Figure` object per picture, no pyplot state.

Pictures are 1080 px wide at 150 dpi, the width a phone shows without scaling, so an
11 pt label is 23 px there. The background is light with a dark frame: on Telegram's dark
theme the picture reads as a card instead of melting into the chat.
"""

from __future__ import annotations

import io

import matplotlib as mpl

mpl.use("Agg")  # before any other matplotlib import: never a GUI backend, never a display

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.pictures.fonts import FAMILY
from bot.pictures.palette import BACKGROUND, FRAME, INK

DPI = 150
WIDTH_PX = 1080
BASE_PT = 12.0  # labels; numbers on marks and small print use SMALL_PT
SMALL_PT = 11.0
TITLE_PT = 16.0

# Set once, before any figure exists: the same font and no random ids in every render.
mpl.rcParams.update({
    "font.family": FAMILY,
    "font.size": BASE_PT,
    "svg.hashsalt": "briefbot",
    "text.color": INK,
    "axes.edgecolor": FRAME,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
})  # fmt: skip


def new_figure(height_px: int) -> Figure:
    """Return a blank, framed figure WIDTH_PX wide and `height_px` high."""
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    fig.patches.append(
        Rectangle(
            (0.003, 0.003), 0.994, 0.994, transform=fig.transFigure, fill=False,
            edgecolor=FRAME, linewidth=2.5, zorder=-1,
        )
    )  # fmt: skip
    return fig


def png_bytes(fig: Figure) -> bytes:
    """Render the figure as PNG bytes, without the metadata that would differ between runs."""
    out = io.BytesIO()
    # zlib level 3: as small as the default 6 for flat-coloured charts, and a third faster.
    fig.savefig(
        out, format="png", dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )  # fmt: skip
    return out.getvalue()
