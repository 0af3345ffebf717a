"""Names in any script become text the font draws: no boxes, long names cut with an ellipsis."""

from __future__ import annotations

import warnings

import pytest

from bot.pictures.fonts import cut, drawable, has_glyph, label, missing, wrap


@pytest.mark.parametrize(
    "name",
    ["Владимир Зеленский", "Κυριάκος Μητσοτάκης", "François Hollande", "Łukasz Kamiński",
     "Recep Tayyip Erdoğan", "Ólafur Ragnar Grímsson", "Nguyễn Phú Trọng"],
)  # fmt: skip
def test_cyrillic_greek_and_accented_latin_are_drawn_as_they_are(name: str) -> None:
    assert missing(name) == ""
    assert drawable(name) == name


@pytest.mark.parametrize(
    ("name", "shown"),
    [("习近平", "Xi Jin Ping"), ("岸田文雄", "An Tian Wen Xiong"), ("윤석열", "Yun Seog Yeol"),
     ("Shinzō Abe 安倍晋三", "Shinzō Abe An Bei Jin San")],
)  # fmt: skip
def test_cjk_names_are_transliterated_never_boxes(name: str, shown: str) -> None:
    assert missing(name)  # the font really lacks them: the check is by its character map
    assert drawable(name) == shown
    assert missing(drawable(name)) == ""


@pytest.mark.parametrize(
    ("name", "shown"),
    [("محمد بن سلمان", "Mhmd Bn Slmn"), ("בנימין נתניהו", "Vnymyn Ntnyhv"),
     ("नरेंद्र मोदी", "Nremdr Modi")],
)  # fmt: skip
def test_right_to_left_and_unshaped_scripts_are_transliterated(name: str, shown: str) -> None:
    assert drawable(name) == shown  # drawn as is, they would come out reversed or unjoined


def test_coverage_is_read_from_the_font() -> None:
    assert has_glyph("Ж")
    assert not has_glyph("平")


def test_long_names_are_wrapped_then_cut_with_an_ellipsis() -> None:
    assert cut("Ursula von der Leyen", 12) == "Ursula von…"
    assert cut("short", 12) == "short"
    lines = wrap("the nuclear programme and its inspections by the IAEA", 16, 2).split("\n")
    assert len(lines) == 2
    assert all(len(line) <= 16 for line in lines)
    assert lines[-1].endswith("…")
    assert label("习近平 and friends of the state", 10) == "Xi Jin Pi…"


def test_rendering_every_script_warns_of_no_missing_glyph() -> None:
    from bot.pictures.map_plot import render_map
    from bot.pictures.timeline_plot import render_timeline
    from tests.unit.pictures.rows import sample_map, sample_timeline

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_timeline(sample_timeline())
        render_map(sample_map())
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
