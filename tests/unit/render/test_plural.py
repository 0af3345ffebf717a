"""Counted words: one rule for English plurals, used by every user-facing count."""

from __future__ import annotations

import pytest

from bot.articles.text import make_article
from bot.errors import ArticleError
from bot.render.plural import counted, form, plural


@pytest.mark.parametrize(
    ("word", "many"),
    [("word", "words"), ("story", "stories"), ("day", "days"), ("match", "matches"),
     ("person", "people"), ("is", "are"), ("source", "sources"), ("box", "boxes")],
)  # fmt: skip
def test_plural_of_common_nouns(word: str, many: str) -> None:
    assert plural(word) == many


def test_counted_uses_the_singular_for_one_only() -> None:
    assert counted(1, "word") == "1 word"
    assert counted(0, "word") == "0 words"
    assert counted(2, "story") == "2 stories"
    assert counted(1300, "character") == "1,300 characters"
    assert form(1, "is") == "is"
    assert form(3, "is") == "are"


def test_too_short_article_counts_in_the_right_form() -> None:
    with pytest.raises(ArticleError) as refused:
        make_article("Hello", min_chars=200)
    assert "(5 characters, 1 word)" in str(refused.value)
