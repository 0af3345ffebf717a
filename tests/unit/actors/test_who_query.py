"""/who's filters: periods anywhere in the words, issue words as issue keys, name prefixes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.actors.identity import fold
from bot.actors.page_tokens import PageState, PageTokens
from bot.actors.who_query import FilterError, WhoFilter, name_prefix, name_words, split_period

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("words", "rest", "since", "until", "said"),
    [
        (["kim", "30d"], ["kim"], date(2026, 11, 8), None, "last 30 days"),
        (["kim", "1d"], ["kim"], TODAY, None, "last 1 day"),
        (["2w", "kim", "sanctions"], ["kim", "sanctions"], date(2026, 11, 24), None, "last 2 weeks"),
        (["kim", "since:2026-11-01"], ["kim"], date(2026, 11, 1), None, "since 1 Nov 2026"),
        (
            ["kim", "since:2026-11-01", "until:2026-11-30"], ["kim"],
            date(2026, 11, 1), date(2026, 11, 30), "since 1 Nov 2026, until 30 Nov 2026",
        ),
        (["kim", "jong", "un"], ["kim", "jong", "un"], None, None, ""),
    ],
)  # fmt: skip
def test_periods_are_taken_out_of_the_words(
    words: list[str], rest: list[str], since: date | None, until: date | None, said: str
) -> None:
    left, keep = split_period(words, today=TODAY)
    assert (left, keep.since, keep.until, keep.describe()) == (rest, since, until, said)


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("0d", "not a period"),
        ("since:1.11.26", "2026-11-01"),
        ("until:yesterday", "2026-11-01"),
        ("9999y", "not a period"),
    ],
)
def test_a_bad_period_says_which_word(word: str, why: str) -> None:
    with pytest.raises(FilterError, match=why) as raised:
        split_period(["kim", word], today=TODAY)
    assert word in str(raised.value)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(FilterError, match="before it starts"):
        split_period(["since:2026-12-01", "until:2026-11-01"], today=TODAY)


@pytest.mark.parametrize(
    ("wanted", "issue", "target", "kept"),
    [
        ("sanctions", "EU sanctions on Russia", "", True),
        ("sanction", "sanctions against Moscow", "", True),  # stems
        ("russia", "sanctions against Moscow", "", True),  # the capital names the state
        ("russia", "EU sanctions on Russia", "", True),  # "on Russia": the role is not asked
        ("sanctions russia", "sanctions on Iran", "", False),
        ("talks", "", "talks with the United States", True),  # no issue: the target
        ("nuclear", "sanctions on Iran", "the deal", False),
        ("the", "sanctions on Iran", "", False),  # no content word: nothing is about it
    ],
)
def test_issue_words_match_as_issue_keys(wanted: str, issue: str, target: str, kept: bool) -> None:
    assert WhoFilter(issue=wanted).keeps_issue(issue, target) is kept


def test_the_period_is_by_day_inclusive() -> None:
    keep = WhoFilter(since=date(2026, 11, 1), until=date(2026, 11, 30))
    assert keep.keeps_date(datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
    assert keep.keeps_date(datetime(2026, 11, 1, 0, 0, tzinfo=UTC))
    assert not keep.keeps_date(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    assert not WhoFilter()  # nothing filtered
    assert WhoFilter(issue="x")


FORMS = [fold(f) for f in ("Kim Jong Un", "Kim Yo Jong", "North Korea", "Lee Jae-myung")]


@pytest.mark.parametrize(
    ("query", "end", "name_like"),
    [
        ("kim jong un sanctions", 3, False),
        ("kim sanctions", 1, False),
        ("north korea nuclear talks", 2, False),
        ("kim jong unn", 2, True),  # a typo looks like a name's word
        ("lee jae myung", 3, False),  # all of it: nothing left to look at
        ("putin", 0, False),
    ],
)
def test_the_name_is_the_longest_prefix_naming_an_actor(
    query: str, end: int, name_like: bool
) -> None:
    assert name_prefix(query.split(), name_words(FORMS)) == (end, name_like)


def test_page_tokens_are_short_per_chat_and_expire() -> None:
    now = [0.0]
    tokens = PageTokens(clock=lambda: now[0])
    state = PageState(5, "kim jong un" * 6, WhoFilter(issue="sanctions"))
    token = tokens.token(state)
    assert len(f"whop:{token}:99".encode()) <= 64
    assert tokens.state(token, 5) == state
    assert tokens.state(token, 6) is None  # another chat's button pages nothing
    now[0] += 3 * 24 * 3600
    assert tokens.state(token, 5) is None
