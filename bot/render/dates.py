"""One date style for everything a chat reads: "7 Dec", "7 Dec 2025", "6–7 Dec", "30 Nov – 7 Dec".

Dates are shown in the chat's time zone (its /tz, else its digest's zone, else UTC), and the
year only when it is not the current one there. Month names are spelled out here: strftime's
%b follows the process locale. A date that a text gave without a time (a dateline's "Dec 4")
is stored as that day's UTC midnight and is shown as that day in every zone.
"""

# ruff: noqa: RUF001, RUF002, RUF003 - the en dash between days is the typographic point

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.articles.dates import DATELINE, SHOWN_ORIGINS

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class DateStyle:
    """How one chat reads dates: its zone, and the current year there (left out of dates)."""

    zone: ZoneInfo = field(default=_UTC)
    year: int | None = None  # None: always show the year (the terminal, tests, a file)

    @classmethod
    def at(cls, zone: ZoneInfo, now: datetime) -> DateStyle:
        """Return the style of a chat in `zone` at the instant `now`."""
        return cls(zone, now.astimezone(zone).year)

    def local(self, when: datetime, kind: str | None = None) -> date:
        """Return the day an instant falls on in this zone (a dateline's day stays its own)."""
        if kind == DATELINE:
            return when.astimezone(UTC).date()
        return when.astimezone(self.zone).date()

    # Above `date`: below it, that name is the method, not the type.
    def days(self, a: date, b: date) -> str:
        """Write a period by its first and last calendar days (`span` of two instants)."""
        if a == b:
            return self.date(a)
        if a.year != b.year:  # the first day's year is always said: "30 Dec 2025 – 2 Jan"
            return f"{a.day} {MONTHS[a.month - 1]} {a.year} – {self.date(b)}"
        tail = "" if b.year == self.year else f" {b.year}"
        if a.month == b.month:
            return f"{a.day}–{b.day} {MONTHS[b.month - 1]}{tail}"
        return f"{a.day} {MONTHS[a.month - 1]} – {b.day} {MONTHS[b.month - 1]}{tail}"

    def date(self, day: date) -> str:
        """Write a day: "7 Dec", or "7 Dec 2025" outside the current year."""
        text = f"{day.day} {MONTHS[day.month - 1]}"
        return text if day.year == self.year else f"{text} {day.year}"

    def day(self, when: datetime, kind: str | None = None) -> str:
        """Write the day of an instant in this zone."""
        return self.date(self.local(when, kind))

    def published(self, when: datetime, kind: str | None) -> str:
        """Write a publication date and where it comes from: "4 Dec (from the text)"."""
        shown = SHOWN_ORIGINS.get(kind or "")
        return f"{self.day(when, kind)} ({shown})" if shown else self.day(when, kind)

    def span(self, since: datetime, until: datetime) -> str:
        """Write a period by its days: "7 Dec", "6–7 Dec", "30 Nov – 7 Dec", across years too."""
        return self.days(self.local(since), self.local(until))

    def clock(self, when: datetime) -> str:
        """Write an instant as a day and a time here: "7 Dec 07:30" ("… UTC" in the terminal)."""
        local = when.astimezone(self.zone)
        zone = f" {self.zone.key}" if self.year is None else ""  # no chat zone to assume
        return f"{self.date(local.date())} {local:%H:%M}{zone}"


UTC_DATES = DateStyle()
