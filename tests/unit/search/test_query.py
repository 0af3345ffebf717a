"""parse_query: words, phrases and filters, and the errors a user reads."""

from __future__ import annotations

from datetime import date

import pytest

from bot.actors.who_query import split_period
from bot.search.query import QueryError, SearchQuery, parse_query

TODAY = date(2026, 12, 7)


def test_words_phrases_and_every_filter() -> None:
    q = parse_query(
        'sanctions "shadow fleet" actor:kim source:@TASS_agency since:2026-11-01 '
        "until:2026-11-30 lang:Russian",
        today=TODAY,
    )
    assert q == SearchQuery(
        text="sanctions", phrases=("shadow fleet",), actor="kim", source="@tass_agency",
        since=date(2026, 11, 1), until=date(2026, 11, 30), lang="ru",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "since"),
    [
        ("1d", TODAY),
        ("30d", date(2026, 11, 8)),
        ("2w", date(2026, 11, 24)),
        ("1m", date(2026, 11, 8)),
    ],
)
def test_relative_dates_count_back_from_today(value: str, since: date) -> None:
    # The last N days, today the Nth: the same days /who kim 30d and /map 30d cover.
    assert parse_query(f"x since:{value}", today=TODAY).since == since
    _words, who = split_period(["kim", value], today=TODAY)
    assert who.since == since


def test_until_counts_whole_days_back() -> None:
    assert parse_query("x until:7d", today=TODAY).until == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("https://www.reuters.com/world/x", "reuters.com"),
        ("www.Reuters.com", "reuters.com"),
        ("t.me/tass_agency/123", "@tass_agency"),
        ("@Tass_Agency", "@tass_agency"),
    ],
)
def test_sources_are_a_site_or_a_channel(value: str, source: str) -> None:
    assert parse_query(f"x source:{value}", today=TODAY).source == source


def test_quoted_actor_and_words_that_only_look_like_filters() -> None:
    q = parse_query('actor:"Kim Jong Un" Note: https://example.com/a 10:30', today=TODAY)
    assert q.actor == "Kim Jong Un"
    assert q.text == "Note: https://example.com/a 10:30"


def test_an_empty_query_is_empty_and_a_filter_alone_is_not() -> None:
    assert parse_query("   ", today=TODAY).empty
    assert not parse_query("since:7d", today=TODAY).empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kim foo:bar", "I don't know the filter “foo:”"),
        ("kim since:yesterday", "“since:yesterday” is not a date"),
        ("kim until:2026-13-01", "is not a date"),
        ("kim since:2026-12-01 until:2026-11-01", "since: date is after the until: date"),
        ("kim lang:klingonese", "“lang:klingonese” is not a language I know"),
        ('kim actor:""', "actor: needs a value"),
    ],
)
def test_bad_queries_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(text, today=TODAY)
    assert message in str(raised.value)
