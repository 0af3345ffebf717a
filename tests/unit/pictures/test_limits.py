"""Telegram's photo limits, checked before sending; captions within 1,024 shown characters."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from bot.pictures.captions import map_caption, map_text, timeline_caption
from bot.pictures.limits import MAX_CAPTION, caption_fits, photo_problem, png_size, shown_length
from bot.pictures.timeline import Mark, Timeline
from tests.unit.pictures.rows import sample_map


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_sizes_are_read_from_the_png_header() -> None:
    assert png_size(png(1080, 720)) == (1080, 720)
    assert png_size(b"\xff\xd8\xff not a png") is None


def test_photos_beyond_telegrams_limits_have_a_problem() -> None:
    assert photo_problem(png(1080, 720)) is None
    assert photo_problem(png(2000, 100)) is None  # ratio 20 is allowed
    assert photo_problem(png(5000, 5000)) is None  # 10,000 in all is allowed
    assert "ratio" in str(photo_problem(png(2100, 100)))
    assert "sides" in str(photo_problem(png(9000, 1001)))
    assert "bytes" in str(photo_problem(png(10, 10) + b"\0" * (10 * 1024 * 1024)))
    assert photo_problem(b"GIF89a") == "not a PNG"


def test_captions_are_counted_as_shown() -> None:
    assert shown_length("<b>a &amp; b</b>") == len("a & b")
    assert shown_length("😀") == 2  # Telegram counts UTF-16 code units
    assert caption_fits("<i>" + "x" * MAX_CAPTION + "</i>")
    assert not caption_fits("x" * (MAX_CAPTION + 1))


def test_a_long_timeline_caption_is_cut_with_and_n_more() -> None:
    marks = tuple(
        Mark(i, 0, date(2026, 1, 1 + i % 28), "supports", f"Agence <France> Presse {i}")
        for i in range(1, 201)
    )
    caption = timeline_caption(Timeline("A & B", ("t",), marks, (), 0))
    assert caption_fits(caption)
    assert shown_length(caption) > MAX_CAPTION - 60  # uses the room it has
    assert caption.startswith("<b>A &amp; B</b>: 200 marks")
    assert "&lt;France&gt;" in caption
    assert "…and " in caption.splitlines()[-1]
    assert caption.splitlines()[1] == "1. Agence &lt;France&gt; Presse 1, 2 Jan 2026 ▲"


def test_map_caption_and_its_text_twin_escape_names() -> None:
    data = sample_map()
    assert caption_fits(map_caption(data))
    text = map_text(data)
    assert "<b>Vladimir Putin</b>" in text
    assert "verified" in text


def test_one_day_and_one_actor_read_as_such() -> None:
    from dataclasses import replace

    data = sample_map()
    one = replace(data, days=1, actors=data.actors[:1], cells=data.cells[:1], issues=data.issues)
    assert "last day: 1 actor, 5 issues." in map_caption(one)
    assert "last 30 days: 6 actors" in map_caption(data)
