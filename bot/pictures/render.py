"""A picture's PNG from its data: cached on disk, rendered in a worker thread on a miss."""

from __future__ import annotations

from bot.pictures.cache import PictureCache
from bot.pictures.stance_map import StanceMap
from bot.pictures.timeline import Timeline


def warm_up() -> None:
    """Import the drawing modules (in the rendering process, before the first picture)."""
    from bot.pictures import map_plot, timeline_plot  # noqa: F401 - imported for their cost


def _render_timeline(data: Timeline) -> bytes:
    from bot.pictures.timeline_plot import render_timeline  # matplotlib loads on first use

    return render_timeline(data)


def _render_map(data: StanceMap) -> bytes:
    from bot.pictures.map_plot import render_map

    return render_map(data)


async def timeline_png(cache: PictureCache, data: Timeline) -> bytes:
    """Return the timeline's PNG (cached, rendered off the loop)."""
    return await cache.picture("timeline", data, _render_timeline)


async def map_png(cache: PictureCache, data: StanceMap) -> bytes:
    """Return the map's PNG (cached, rendered off the loop)."""
    return await cache.picture("map", data, _render_map)
