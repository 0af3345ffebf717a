"""The pictures look as they did when a person last looked at them (matplotlib's comparison).

Goldens live in tests/fixtures/pictures/; after a deliberate change to the drawing, look at
the new pictures, then rewrite the goldens with BRIEFBOT_REGOLD=1 and bump RENDERER_VERSION.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from bot.pictures.limits import photo_problem, png_size
from bot.pictures.map_plot import render_map
from bot.pictures.timeline_plot import render_timeline
from tests.unit.pictures.rows import sample_map, sample_timeline

GOLDEN = Path(__file__).parents[2] / "fixtures" / "pictures"
TOLERANCE = 2.0  # RMS over 0-255: anti-aliasing may differ by a shade, a moved mark may not


@pytest.mark.parametrize(
    ("name", "draw"),
    [("timeline.png", lambda: render_timeline(sample_timeline())),
     ("map.png", lambda: render_map(sample_map()))],
)  # fmt: skip
def test_pictures_match_their_goldens(name: str, draw, tmp_path: Path) -> None:
    png = draw()
    assert png == draw()  # deterministic: no dates, no random ids in the file
    assert photo_problem(png) is None
    assert png_size(png)[0] == 1080  # type: ignore[index]
    assert len(png) < 500_000
    if os.environ.get("BRIEFBOT_REGOLD"):
        (GOLDEN / name).write_bytes(png)
    actual = tmp_path / name
    actual.write_bytes(png)
    assert compare_images(str(GOLDEN / name), str(actual), tol=TOLERANCE) is None


def test_a_changed_picture_fails_the_comparison(tmp_path: Path) -> None:
    data = sample_timeline()
    moved = data.__class__(data.actor, data.lanes, data.marks[1:], (), 0)
    actual = tmp_path / "timeline.png"
    actual.write_bytes(render_timeline(moved))
    assert compare_images(str(GOLDEN / "timeline.png"), str(actual), tol=TOLERANCE) is not None
