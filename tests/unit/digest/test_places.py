"""Times and places as people type them, in either order, and errors naming the part not read."""

from __future__ import annotations

from datetime import time

import pytest

from bot.digest.places import PlaceError, TimeError, read_place, read_schedule, read_time

DEFAULT = time(8, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7am", time(7)), ("7 pm", time(19)), ("7:30", time(7, 30)), ("07:30", time(7, 30)),
     ("19h", time(19)), ("19h30", time(19, 30)), ("12am", time(0)), ("12pm", time(12)),
     ("7:30 p.m.", time(19, 30)), ("7", time(7))],
)  # fmt: skip
def test_times_as_people_write_them(text: str, expected: time) -> None:
    assert read_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "7:60", "13pm", "0am", "-1:30", "24h", "7.5", "99999"])
def test_a_wrong_time_is_named(text: str) -> None:
    with pytest.raises(TimeError, match=f"I didn't understand the time '{text}'"):
        read_time(text)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("Paris", "Europe/Paris"), ("new york", "America/New_York"), ("Kyiv", "Europe/Kyiv"),
     ("Kiev", "Europe/Kiev"), ("europe/paris", "Europe/Paris"), ("TOKYO", "Asia/Tokyo"),
     ("Buenos Aires", "America/Buenos_Aires"), ("UTC", "UTC")],
)  # fmt: skip
def test_places_by_city_or_zone_name(text: str, zone: str) -> None:
    assert read_place(text).key == zone


def test_an_unknown_place_is_named_with_an_example() -> None:
    with pytest.raises(PlaceError) as info:
        read_place("Atlantis")
    assert str(info.value) == (
        "I don't know the place 'Atlantis'; try a city like Paris or a zone like Europe/Paris."
    )


@pytest.mark.parametrize(
    "args",
    [["7am", "Paris"], ["Paris", "7am"], ["7", "am", "Paris"], ["Europe/Paris", "07:00"]],
)
def test_time_and_place_in_either_order(args: list[str]) -> None:
    at, zone = read_schedule(args, DEFAULT, "UTC")
    assert (at, zone.key) == (time(7), "Europe/Paris")


def test_missing_parts_take_the_defaults() -> None:
    assert read_schedule([], DEFAULT, "UTC") == (DEFAULT, read_place("UTC"))
    assert read_schedule(["Paris"], DEFAULT, "UTC")[0] == DEFAULT


def test_the_wrong_part_is_named_when_the_other_is_right() -> None:
    with pytest.raises(TimeError, match="'25:00'"):
        read_schedule(["25:00", "Paris"], DEFAULT, "UTC")
    with pytest.raises(PlaceError, match="'Atlantis'"):
        read_schedule(["7am", "Atlantis"], DEFAULT, "UTC")
