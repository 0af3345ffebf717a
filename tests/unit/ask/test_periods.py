"""Time words in questions resolve against the chat's today, in four languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.ask.periods import find_period

TODAY = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What has Kim said about Ukraine over the last month?", date(2026, 11, 7), TODAY),
        ("What did Merz say last month?", date(2026, 11, 1), date(2026, 11, 30)),
        ("Any news on tariffs since June?", date(2026, 6, 1), None),
        ("Who spoke this week?", TODAY, TODAY),
        ("What did they decide last week?", date(2026, 11, 30), date(2026, 12, 6)),
        ("What happened yesterday?", date(2026, 12, 6), date(2026, 12, 6)),
        ("Sanctions in the past 10 days?", date(2026, 11, 27), TODAY),
        ("Anything since 2026-11-01?", date(2026, 11, 1), None),
        ("Что сказал Путин в прошлом месяце?", date(2026, 11, 1), date(2026, 11, 30)),
        ("Что было за последнюю неделю?", date(2026, 11, 30), TODAY),
        ("Что говорили вчера?", date(2026, 12, 6), date(2026, 12, 6)),
        ("Was sagte Merz seit Juni?", date(2026, 6, 1), None),
        ("Was war letzte Woche?", date(2026, 11, 30), date(2026, 12, 6)),
        ("Qu'a dit Macron depuis septembre ?", date(2026, 9, 1), None),
        ("Et la semaine dernière ?", date(2026, 11, 30), date(2026, 12, 6)),
    ],
)
def test_time_words_become_dates(question: str, since: date | None, until: date | None) -> None:
    period = find_period(question, TODAY)
    assert period is not None
    assert (period.since, period.until) == (since, until)
    assert period.words in question


@pytest.mark.parametrize(
    ("question", "month"),
    [
        ("How much will OPEC+ raise output in December?", date(2026, 12, 1)),
        ("What happened in May?", date(2026, 5, 1)),
        ("Что решили в ноябре?", date(2026, 11, 1)),
        ("Was geschah im November?", date(2026, 11, 1)),
        ("Que s'est-il passé en octobre ?", date(2026, 10, 1)),
    ],
)
def test_a_named_month_reaches_six_weeks_either_side(question: str, month: date) -> None:
    # Reported after it (monthly figures), announced before it (forecasts); never past today.
    period = find_period(question, TODAY)
    assert period is not None
    assert period.since == month - timedelta(days=42)
    assert period.until == min(
        TODAY, (month + timedelta(days=31)).replace(day=1) + timedelta(days=41)
    )


def test_a_month_not_yet_begun_this_year_is_last_years() -> None:
    period = find_period("What happened in December?", date(2026, 11, 15))
    assert period is not None
    assert period.since == date(2025, 12, 1) - timedelta(days=42)


def test_a_year_named_reaches_into_its_neighbours() -> None:
    period = find_period("What did Scholz say in 2025?", TODAY)
    assert period is not None
    assert (period.since, period.until) == (date(2024, 11, 20), date(2026, 2, 11))


def test_last_month_in_january_is_last_years_december() -> None:
    period = find_period("What happened last month?", date(2027, 1, 10))
    assert period is not None
    assert (period.since, period.until) == (date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    "question",
    ["What did Kim say about the missile?", "Any news from Marseille?", "Who is in Mayfair?"],
)
def test_no_time_words_no_period(question: str) -> None:
    assert find_period(question, TODAY) is None


def _around(start: date, end: date) -> tuple[date, date]:
    return start - timedelta(days=42), min(TODAY, end + timedelta(days=42))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Kim say in June 2024?", _around(date(2024, 6, 1), date(2024, 6, 30))),
        ("Inflation in Nov 2025?", _around(date(2025, 11, 1), date(2025, 11, 30))),
        ("Inflation in Nov. 2025?", _around(date(2025, 11, 1), date(2025, 11, 30))),
        ("Any news since November 2025?", (date(2025, 11, 1), None)),
        ("What was decided in December 2025?", _around(date(2025, 12, 1), date(2025, 12, 31))),
        ("Что решили в ноябре 2025 года?", _around(date(2025, 11, 1), date(2025, 11, 30))),
        ("Что было с июня 2024 года?", (date(2024, 6, 1), None)),
        ("Was geschah im Juni 2024?", _around(date(2024, 6, 1), date(2024, 6, 30))),
        ("Was sagte Merz seit März 2025?", (date(2025, 3, 1), None)),
        ("Que s'est-il passé en juin 2024 ?", _around(date(2024, 6, 1), date(2024, 6, 30))),
        ("Qu'a dit Macron depuis février 2025 ?", (date(2025, 2, 1), None)),
    ],
)
def test_a_month_with_a_year_is_that_years(
    question: str, expected: tuple[date, date | None]
) -> None:
    period = find_period(question, TODAY)
    assert period is not None
    assert (period.since, period.until) == expected
    assert period.words in question


def test_a_month_with_a_year_not_yet_begun_names_no_period() -> None:
    assert find_period("What will happen in June 2027?", TODAY) is None
    assert find_period("Anything since March 2027?", TODAY) is None
