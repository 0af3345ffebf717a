"""The map's layout: top actors by top issues, latest polarity, verified counts, shifts."""

from __future__ import annotations

from bot.actors.page import count_identities
from bot.pictures.stance_map import MAX_ACTORS, MAX_ISSUES, build_map
from tests.unit.pictures.rows import newest_first, row


def test_cells_hold_latest_polarity_verified_count_and_shift() -> None:
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0, actor="Kallas"),
        row("b", "Russian sanctions", "opposes", day=4, actor="Kallas"),
        row("c", "sanctions on Russia", "opposes", day=5, actor="Kallas", verified=False),
        row("d", "sanctions on Russia", "supports", day=1, actor="Orban"),
        row("e", "talks with Iran", "neutral", day=2, actor="Orban"),
    ])  # fmt: skip
    found = build_map(count_identities(rows), days=30)
    assert found is not None
    assert found.issues == ("sanctions on Russia", "talks with Iran")
    assert found.actors == ("Kallas", "Orban")
    kallas, orban = found.cells
    assert kallas[0] is not None
    assert (kallas[0].polarity, kallas[0].verified, kallas[0].stances) == ("opposes", 2, 3)
    assert kallas[0].shifted
    assert kallas[1] is None
    assert orban[0] is not None
    assert not orban[0].shifted


def test_a_topic_keeps_only_the_issues_it_names() -> None:
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0),
        row("b", "talks with Iran", "opposes", day=1),
    ])  # fmt: skip
    found = build_map(count_identities(rows), days=7, topic="sanctions")
    assert found is not None
    assert found.issues == ("sanctions on Russia",)
    assert build_map(count_identities(rows), days=7, topic="bananas") is None


def test_nothing_to_show_is_none_and_sizes_are_bounded() -> None:
    assert build_map([], days=30) is None
    rows = [
        row(f"{a}-{i}", f"issue {i}", "supports", day=i, actor=f"Actor {a}")
        for a in range(MAX_ACTORS + 3)
        for i in range(MAX_ISSUES + 3)
    ]
    found = build_map(count_identities(newest_first(rows)), days=30)
    assert found is not None
    assert len(found.actors) == MAX_ACTORS
    assert len(found.issues) == MAX_ISSUES
