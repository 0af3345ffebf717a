"""The storage report's words: counts with their nouns in the right form."""

from __future__ import annotations

from bot.ops.storage import Storage, render_storage


def test_one_article_and_one_item_are_singular() -> None:
    report = Storage([("articles", 2048)], [], [(-100, 1, 2048), (42, 3, 10)], [("Wire", 1, 5)])
    text = render_storage(report)
    assert "-100 (1 article, 2.0 kB)" in text
    assert "42 (3 articles" in text
    assert "Wire (1 item, " in text
