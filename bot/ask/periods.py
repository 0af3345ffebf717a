"""Time words in a question ("last month", "since June", "вчера", "seit Juni") as dates.

Resolved against the chat's today. "Last month" alone is the calendar month before this
one; "the last month" / "the past month" (and "за последний месяц", "im letzten Monat") is
the rolling window that ends today. A month named alone ("in November") is its most recent
occurrence that has begun; "since June" starts on the first of it. With a year ("in June
2024", "since Nov. 2025", "в ноябре 2025 года") it is that year's, and one not yet begun
names no period.

A named month or year is when something happened, not when it was reported: "output in
December" is announced in October, "inflation in November" published in December. So it
reaches `AROUND` days either side (monthly figures come out up to six weeks after the month,
forecasts as long before it); the relative words are the reader's news period, taken as said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Month stems in en, ru, de, fr: a stem matches every inflected form ("ноября", "novembre").
_MONTHS: tuple[tuple[int, str], ...] = tuple(
    (number, stem)
    for number, stems in enumerate(
        (
            "january|jan|январ|januar|jänner|janvier",
            "february|feb|феврал|februar|février|fevrier",
            "march|mar|март|märz|maerz|mars",
            "april|apr|апрел|avril",
            "may|ма[йяе]|mai",
            "june|jun|июн|juni|juin",
            "july|jul|июл|juli|juillet",
            "august|aug|август|août|aout",
            "september|sept|sep|сентябр|septembre",
            "october|oct|октябр|oktober|octobre",
            "november|nov|ноябр|novembre",
            "december|dec|декабр|dezember|décembre|decembre",
        ),
        start=1,
    )
    for stem in stems.split("|")
)
_MONTH = (
    "(?P<month>" + "|".join(s for _, s in sorted(_MONTHS, key=lambda m: -len(m[1]))) + r")\w{0,3}\b"
)
_UNIT = (
    r"(?P<unit>days?|дн\w*|день|tag\w*|jours?|weeks?|недел\w*|woche\w*|semaines?"
    r"|months?|месяц\w*|monat\w*|mois|years?|год\w*|лет|jahr\w*|ans?|années?)\b"
)
_N = r"(?P<n>\d{1,3})"
_YEAR = r"(?:\.?\s+(?P<year>(?:19|20)\d{2})\b)?"  # "June 2024", "Nov. 2025", "ноября 2025 года"
_ISO = r"(?P<iso>\d{4}-\d{2}-\d{2})"
AROUND = timedelta(days=42)


@dataclass(frozen=True)
class Period:
    """A window of days (either end may be open) and the words that named it."""

    since: date | None
    until: date | None
    words: str
    named: bool = False  # a month or year by name: its words are worth searching for too


def _month_start(day: date, back: int = 0) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def _month_end(start: date) -> date:
    return _month_start(start, -1) - timedelta(days=1)


def _recent_month(month: int, today: date) -> date:
    year = today.year if month <= today.month else today.year - 1
    return date(year, month, 1)


def _unit_days(unit: str) -> int:
    u = unit.casefold()
    if u.startswith(("day", "дн", "ден", "tag", "jour")):
        return 1
    if u.startswith(("week", "недел", "woche", "semaine")):
        return 7
    if u.startswith(("month", "месяц", "monat", "mois")):
        return 30
    return 365


def _month_of(text: str) -> int:
    folded = text.casefold()
    return next(
        n for n, stem in sorted(_MONTHS, key=lambda m: -len(m[1])) if re.match(stem, folded)
    )


def _rules(kind: str, *patterns: str) -> list[tuple[re.Pattern[str], str]]:
    # One pattern per wording: Python's re allows a group name once per pattern.
    return [(re.compile(p, re.IGNORECASE), kind) for p in patterns]


# Tried in order; the first that matches wins.
_RULES = [
    *_rules("since_iso", rf"\b(?:since|from|с|seit|depuis)\s+{_ISO}"),
    *_rules("until_iso", rf"\b(?:until|before|до|bis|jusqu'au)\s+{_ISO}"),
    *_rules(
        "last_n",
        rf"\b(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?:last|past)\s+{_N}\s+{_UNIT}",
        rf"за\s+(?:последни[ея]|прошедши[ея])\s+{_N}\s+{_UNIT}",
        rf"\b(?:in\s+den\s+)?(?:letzten|vergangenen)\s+{_N}\s+{_UNIT}",
        rf"\b(?:les|ces)\s+{_N}\s+derni\w+\s+{_UNIT}",
    ),
    *_rules(
        "rolling",
        rf"\b(?:over|in|during|within)\s+the\s+(?:last|past)\s+{_UNIT}",
        rf"за\s+(?:последн|прошедш)\w+\s+{_UNIT}",
        rf"\bim\s+(?:letzten|vergangenen)\s+{_UNIT}",
        rf"\bau\s+cours\s+d[ue]\s+(?:la|le)\s+derni\w+\s+{_UNIT}",
    ),
    *_rules(
        "previous",
        rf"\b(?:last|previous)\s+{_UNIT}",
        rf"(?:на|в)\s+прошл\w+\s+{_UNIT}",
        rf"\b(?:letzte[nrs]?|vorige[nrs]?|vergangene[nrs]?)\s+{_UNIT}",
        rf"\b(?:la|le)\s+{_UNIT}\s+derni\w+",
    ),
    *_rules(
        "this",
        rf"\b(?:this|current)\s+{_UNIT}",
        rf"(?:на|в)\s+(?:этой|этом|текущем|текущей)\s+{_UNIT}",
        rf"\b(?:diese[nrs]?|im\s+laufenden)\s+{_UNIT}",
        rf"\b(?:cette|ce|cet)\s+{_UNIT}",
    ),
    *_rules("yesterday", r"\b(?:yesterday|вчера|gestern|hier)\b"),
    *_rules("today", r"\b(?:today|сегодня|heute|aujourd'hui)\b"),
    *_rules(
        "since_month",
        rf"(?<!\w)(?:since|from|с|seit|depuis)\s+(?:(?:early|начала)\s+)?{_MONTH}{_YEAR}",
    ),
    *_rules("in_month", rf"(?<!\w)(?:in|в|im|en|au\s+mois\s+de)\s+{_MONTH}{_YEAR}"),
    *_rules("in_year", r"(?<!\w)(?:in|в|im|en)\s+(?P<year>(?:19|20)\d{2})\b"),
]


def find_period(question: str, today: date) -> Period | None:
    """Find the first time phrase in a question and the days it means; None when there is none."""
    for pattern, kind in _RULES:
        for match in pattern.finditer(question):
            found = _resolve(kind, match, today)
            if found is not None:
                named = kind in {"in_month", "in_year"}
                return Period(found[0], found[1], match.group(0).strip(), named=named)
    return None


def _resolve(  # noqa: PLR0911 - one branch per kind of phrase
    kind: str, match: re.Match[str], today: date
) -> tuple[date | None, date | None] | None:
    groups = match.groupdict()
    if kind in {"since_iso", "until_iso"}:
        try:
            day = date.fromisoformat(groups["iso"])
        except ValueError:
            return None
        return (day, None) if kind == "since_iso" else (None, day)
    if kind == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if kind == "today":
        return today, today
    if kind in {"since_month", "in_month"}:
        month = _month_of(groups["month"])
        year = groups.get("year")
        start = date(int(year), month, 1) if year else _recent_month(month, today)
        if start > today:
            return None  # "in June 2027" asked in 2026: nothing has been reported from it yet
        return (start, None) if kind == "since_month" else _around(start, _month_end(start), today)
    if kind == "in_year":
        year = int(groups["year"])
        return _around(date(year, 1, 1), date(year, 12, 31), today) if year <= today.year else None
    days = _unit_days(groups["unit"])
    if kind == "last_n":
        return today - timedelta(days=days * int(groups["n"])), today
    if kind == "rolling":
        return today - timedelta(days=days), today
    return _calendar(days, today, previous=kind == "previous")


def _around(start: date, end: date, today: date) -> tuple[date, date]:
    return start - AROUND, min(end + AROUND, today)


def _calendar(days: int, today: date, *, previous: bool) -> tuple[date, date]:
    if days == 1:
        day = today - timedelta(days=1) if previous else today
        return day, day
    if days == 7:  # noqa: PLR2004 - a week, Monday first
        monday = today - timedelta(days=today.weekday())
        return (
            (monday - timedelta(days=7), monday - timedelta(days=1))
            if previous
            else (monday, today)
        )
    if days == 30:  # noqa: PLR2004 - a calendar month
        if previous:
            start = _month_start(today, 1)
            return start, _month_end(start)
        return _month_start(today), today
    if previous:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), today
