"""Dates in running text, read by value: weekdays, day and month, month and year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS_EN = ("January February March April May June July August September October "
              "November December").split()  # fmt: skip
_MONTHS_DE = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
_RU_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
             "октябр", "ноябр", "декабр")  # fmt: skip
_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec Okt Dez Mär"


def _month_forms() -> dict[str, int]:
    forms: dict[str, int] = {}
    for names in (_MONTHS_DE.split(), _MONTHS_FR.split(), "Jänner".split()):
        for n, name in enumerate(names, start=1):
            forms[name.casefold()] = 12 if name == "Jänner" else n
    forms["jänner"], forms["maerz"], forms["aout"], forms["fevrier"] = 1, 3, 8, 2
    forms["decembre"] = 12
    for n, stem in enumerate(_RU_STEMS, start=1):
        ends = ("", "а", "е", "ом") if stem[-1] in "тй" else ("ь", "я", "е", "ём", "ем")
        if stem == "ма":
            ends = ("й", "я", "е", "ем")
        forms.update(dict.fromkeys((stem + e for e in ends), n))
    forms["jänner"] = 1
    return forms


_FORMS = _month_forms()
_EN_FORMS = {name: n for n, name in enumerate(_MONTHS_EN, start=1)}
_ABBR = {a: (_MONTHS_EN.index(next(m for m in _MONTHS_EN if m.startswith(a[:3]))) + 1)
         for a in _ABBREVIATIONS.split() if a not in {"Okt", "Dez", "Mär"}}  # fmt: skip
_ABBR |= {"Okt": 10, "Dez": 12, "Mär": 3}
# English months are capitalised ("May" the month, "may" the verb); the others are matched
# in any case because French and Russian write them lowercase and sentences capitalise them.
_MONTH = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(sorted(_EN_FORMS, key=len, reverse=True))
    + r"|(?i:"
    + "|".join(sorted(_FORMS, key=len, reverse=True))
    + r")|(?P<abbr>"
    + "|".join(sorted(_ABBR, key=len, reverse=True))
    + r")\.?)(?![^\W\d_])"
)
_DAY_BEFORE = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|\.|-го)?\s+(?:of\s+)?$")
_DAY_AFTER = re.compile(r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?![^\W\d_])")
_YEAR_AFTER = re.compile(r"\.?,?\s+((?:19|20)\d\d)(?!\d)(?:\s+(?:года|году|год|г\.))?")
_WEEKDAYS = (
    ("monday", "понедельник", "montag", "lundi"),
    ("tuesday", "вторник", "dienstag", "mardi"),
    # "среда" is also "environment": only the forms a date takes ("в среду").
    ("wednesday", "среду", "средам", "mittwoch", "mercredi"),
    ("thursday", "четверг", "donnerstag", "jeudi"),
    ("friday", "пятниц", "freitag", "vendredi"),
    ("saturday", "суббот", "samstag", "sonnabend", "samedi"),
    ("sunday", "воскресень", "sonntag", "dimanche"),
)
_WEEKDAY = re.compile(
    r"(?i)(?<![^\W\d_])(?:"
    + "|".join(f"(?P<d{n}>{'|'.join(forms)})" for n, forms in enumerate(_WEEKDAYS))
    + r")[^\W\d_]*"
)
_NUMERIC = re.compile(
    r"(?<![\d.])(?:(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)|"
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d))(?![\d.])"
)


@dataclass(frozen=True)
class DateMention:
    """One date as written: a weekday, or a month with an optional day and year."""

    text: str
    start: int
    end: int
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None


def _month_mention(text: str, m: re.Match[str]) -> DateMention | None:
    word = m.group()
    month = _EN_FORMS.get(word) or _FORMS.get(word.casefold()) or _ABBR.get(word.rstrip("."))
    start, end, day, year = m.start(), m.end(), None, None
    if before := _DAY_BEFORE.search(text, max(0, start - 12), start):
        start, day = before.start(), int(before.group(1))
    elif after := _DAY_AFTER.match(text, end):
        end, day = after.end(), int(after.group(1))
    if after_year := _YEAR_AFTER.match(text, end):
        end, year = after_year.end(), int(after_year.group(1))
    if m["abbr"] and day is None and year is None:
        return None  # "Jan" alone is a name as often as a month
    if month is None or (day is not None and not 1 <= day <= 31):  # noqa: PLR2004
        return None
    return DateMention(text[start:end], start, end, month=month, day=day, year=year)


def date_mentions(text: str) -> list[DateMention]:
    """Find every weekday and calendar date in a text, in en, ru, de or fr."""
    found: list[DateMention] = []
    for m in _NUMERIC.finditer(text):
        d, mo, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["id"], m["im"], m["iy"])
        found.append(DateMention(m.group(), m.start(), m.end(), None, int(mo), int(d), int(y)))
    months = (_month_mention(text, m) for m in _MONTH.finditer(text))
    found += [m for m in months if m is not None]
    for m in _WEEKDAY.finditer(text):
        day = next(n for n in range(7) if m[f"d{n}"])
        found.append(DateMention(m.group(), m.start(), m.end(), weekday=day))
    return sorted(found, key=lambda d: d.start)


def weekday_of(mention: DateMention) -> int | None:
    """Give the weekday a full date falls on, if it names one."""
    if mention.weekday is not None:
        return mention.weekday
    if mention.year and mention.month and mention.day:
        try:
            return date(mention.year, mention.month, mention.day).weekday()
        except ValueError:
            return None
    return None
