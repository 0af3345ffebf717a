"""One date style: the chat's zone, the year only when it is not the current one, short periods."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.articles.dates import DATELINE, FORWARD
from bot.render.dates import UTC_DATES, DateStyle

PARIS, TOKYO, NEW_YORK = (
    ZoneInfo("Europe/Paris"),
    ZoneInfo("Asia/Tokyo"),
    ZoneInfo("America/New_York"),
)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_the_current_year_is_left_out_and_others_said() -> None:
    chat = DateStyle.at(PARIS, NOW)
    assert chat.day(datetime(2026, 12, 7, 9, tzinfo=UTC)) == "7 Dec"
    assert chat.day(datetime(2025, 3, 2, 9, tzinfo=UTC)) == "2 Mar 2025"
    assert UTC_DATES.day(datetime(2026, 12, 7, 9, tzinfo=UTC)) == "7 Dec 2026"  # the terminal


def test_days_are_the_chats_own() -> None:
    late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert DateStyle.at(TOKYO, NOW).day(late) == "7 Dec"
    assert DateStyle.at(NEW_YORK, NOW).day(late) == "6 Dec"


def test_a_datelines_day_is_the_same_everywhere() -> None:
    dateline = datetime(2026, 12, 4, tzinfo=UTC)  # "SEOUL, Dec 4": a day, not an instant
    assert DateStyle.at(NEW_YORK, NOW).published(dateline, DATELINE) == "4 Dec (from the text)"
    assert DateStyle.at(NEW_YORK, NOW).published(dateline, FORWARD) == "3 Dec (forwarded post)"


def test_periods_are_short() -> None:
    chat = DateStyle.at(PARIS, NOW)
    day = datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert chat.span(datetime(2026, 12, 6, 10, tzinfo=UTC), day) == "6–7 Dec"
    assert chat.span(datetime(2026, 11, 30, 10, tzinfo=UTC), day) == "30 Nov – 7 Dec"
    assert chat.span(datetime(2026, 12, 7, 6, tzinfo=UTC), day) == "7 Dec"
    assert chat.span(datetime(2025, 12, 30, 10, tzinfo=UTC), day) == "30 Dec 2025 – 7 Dec"
    assert UTC_DATES.span(datetime(2026, 12, 6, 10, tzinfo=UTC), day) == "6–7 Dec 2026"


def test_a_clock_reading_in_the_zone() -> None:
    assert DateStyle.at(PARIS, NOW).clock(NOW) == "7 Dec 13:00"


def test_today_is_the_chat_s_day_so_periods_count_back_from_it() -> None:
    late = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert DateStyle.at(ZoneInfo("Asia/Tokyo"), late).local(late).day == 8
    assert DateStyle.at(ZoneInfo("America/New_York"), late).local(late).day == 7
    assert UTC_DATES.local(late).day == 7
