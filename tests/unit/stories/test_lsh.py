"""The LSH band index: a key holds one article, or a set once several share it."""

from __future__ import annotations

from bot.stories.lsh import BandIndex, band_keys
from bot.stories.text import BANDS, ROWS


def test_band_keys_are_one_per_band_and_follow_the_rows() -> None:
    sig = tuple(range(1000, 1064))
    other = sig[:ROWS] + tuple(range(5000, 5000 + len(sig) - ROWS))  # shares the first band
    assert len(band_keys(sig)) == BANDS
    assert band_keys(sig)[0] == band_keys(other)[0]
    assert not set(band_keys(sig)[1:]) & set(band_keys(other)[1:])


def test_articles_sharing_a_key_are_found_and_removed_cleanly() -> None:
    index = BandIndex()
    index.add("a", [1, 2, 3])
    index.add("b", [3, 4])
    index.add("c", [3])
    index.add("a", [1])  # added again: no set of one
    assert index.sharing([3]) == {"a", "b", "c"}
    assert index.sharing([1, 4, 9]) == {"a", "b"}
    index.remove("c", [3])
    index.remove("b", [3, 4])
    assert index.sharing([3]) == {"a"}
    index.remove("a", [1, 2, 3])
    assert index.sharing([1, 2, 3, 4]) == set()
    assert len(index) == 0
