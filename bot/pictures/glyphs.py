"""Many short labels (mark numbers, cell counts) drawn as one collection of outlines.

Two hundred Text artists cost ~5 ms each to lay out and draw; their outlines, cached per
string and drawn as one PathCollection, cost one draw call.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, IdentityTransform

from bot.pictures.canvas import DPI
from bot.pictures.fonts import FAMILY
from bot.pictures.palette import INK


@functools.cache
def outline(text: str, size_pt: float, *, bold: bool, dx_pt: float, dy_pt: float) -> Path:
    """Return `text`'s outline in pixels, centred on (dx, dy) points from its anchor."""
    prop = FontProperties(family=FAMILY, weight="bold" if bold else "normal")
    path = TextPath((0, 0), text, size=size_pt * DPI / 72, prop=prop)
    box = path.get_extents()
    px = DPI / 72
    return (
        Affine2D()
        .translate(dx_pt * px - box.x0 - box.width / 2, dy_pt * px - box.y0 - box.height / 2)
        .transform_path(path)
    )


def labels(
    ax: Axes,
    texts: Sequence[str],
    anchors: Sequence[tuple[float, float]],
    *,
    size_pt: float,
    bold: bool = False,
    offset_pt: tuple[float, float] = (0.0, 0.0),
    colour: str = INK,
) -> PathCollection:
    """Return the texts, each centred at its anchor (data coordinates) plus the offset."""
    dx, dy = offset_pt
    return PathCollection(
        [outline(t, size_pt, bold=bold, dx_pt=dx, dy_pt=dy) for t in texts],
        offsets=list(anchors), offset_transform=ax.transData, transform=IdentityTransform(),
        facecolors=colour, edgecolors="none", zorder=4,
    )  # fmt: skip
