"""PostgreSQL's tsquery from the same terms as FTS5's MATCH expression (bot/search/retrieve.py)."""

from __future__ import annotations

from datetime import date

from bot.search.match import Terms, terms
from bot.search.query import parse_query
from bot.search.retrieve import _tsquery

TODAY = date(2026, 12, 7)


def test_words_are_their_forms_or_ed_and_phrases_adjacent_stems() -> None:
    wanted = terms(parse_query('sanctions "shadow fleet" lang:en', today=TODAY))
    # The word as it is too (a text of no known language is indexed unstemmed).
    assert wanted.forms == (("sanction", "sanctions"), ("shadow fleet",))
    assert _tsquery(wanted) == "('sanction' | 'sanctions') & ('shadow' <-> 'fleet')"
    any_word = terms(parse_query("who Iran", today=TODAY), any_word=True)
    assert any_word.forms == (("iran",),)  # "who" is common: left out
    assert _tsquery(terms(parse_query("Iran oil lang:en", today=TODAY), any_word=True)) == (
        "('iran') | ('oil')"
    )


def test_every_lexeme_is_quoted_with_its_quotes_and_backslashes_escaped() -> None:
    odd = Terms("x", frozenset(), 2, (("it's", "a\\b"), ("c d",)), any_word=True)
    assert _tsquery(odd) == "('it''s' | 'a\\\\b') | ('c' <-> 'd')"


def test_no_words_no_query() -> None:
    assert _tsquery(terms(parse_query("since:7d", today=TODAY))) is None
