"""An article's publication date from its text: a wire dateline, else the lead's own words.

Wire copy dates itself at the top: "SEOUL, Dec 4 (Reuters) -", "MOSCOW, December 4. /TASS/.",
"МОСКВА, 4 декабря. /ТАСС/.", "BERLIN, 4. Dezember (dpa) -", "PARIS, 4 décembre (AFP) -".
Copy without a dated dateline ("WASHINGTON (AP) —") dates its news in the lead ("The Senate
on Wednesday passed…"), which is the day of the news and, for wire copy, of the article.
Datelines give no year: it is the one that puts the date on or before the day the article
was received (a day ahead is allowed: a dateline in Seoul is often a day ahead of UTC).
"""

# ruff: noqa: RUF002 - the docstring quotes a Russian dateline: its Cyrillic capitals are meant

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.models import Article

# Where a publication date comes from (`Article.published_from`), strongest first: the
# original post's date for a forward, the page's own date, the feed item's, a dateline.
FORWARD, PAGE, FEED, DATELINE, RECEIVED = "forward", "page", "feed", "dateline", "received"
ORIGINS = frozenset({FORWARD, PAGE, FEED})  # the date is stated outside the text

_MONTH_NAMES = [
    # en, de, fr and ru names and their wire abbreviations, one line per month
    "january jan januar janvier janv января январь янв",
    "february feb februar fevrier février fevr févr февраля февраль фев",
    "march mar marz märz maerz mär mars марта март мар",
    "april apr avril avr апреля апрель апр",
    "may mai мая май",
    "june jun juni juin июня июнь июн",
    "july jul juli juillet juil июля июль июл",
    "august aug aout août августа август авг",
    "september sep sept septembre сентября сентябрь сен сент",
    "october oct okt oktober octobre октября октябрь окт",
    "november nov novembre ноября ноябрь ноя нояб",
    "december dec dez dezember decembre décembre déc декабря декабрь дек",
]
_MONTH = {name: n for n, line in enumerate(_MONTH_NAMES, 1) for name in line.split()}
_WEEKDAY_NAMES = [
    "monday montag lundi понедельник",
    "tuesday dienstag mardi вторник",
    "wednesday mittwoch mercredi среду среда",
    "thursday donnerstag jeudi четверг",
    "friday freitag vendredi пятницу пятница",
    "saturday samstag sonnabend samedi субботу суббота",
    "sunday sonntag dimanche воскресенье",
]
_WEEKDAY = {name: n for n, line in enumerate(_WEEKDAY_NAMES) for name in line.split()}

_MON = "|".join(sorted(map(re.escape, _MONTH), key=len, reverse=True))
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th|er)?"
# "Dec 4", "Dec. 4, 2025", "December 4." — and "4 декабря", "4. Dezember", "1er déc".
_DATE = (
    rf"(?:(?P<mon>{_MON})\.?\s+{_DAY.format('day')}(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|{_DAY.format('day2')}\.?\s+(?P<mon2>{_MON})\.?(?:\s+(?P<year2>\d{{4}}))?)(?!\w)"
)
# A dateline opens a paragraph: a place (maybe "KYIV, Ukraine"), a comma or a full stop,
# then the date.
_DATELINE = re.compile(
    rf"^[^\W\d_][^\n,.()\d/]{{0,40}}?(?:,\s*[^\W\d_][^\n,.()\d/]{{0,30}}?)?[,.]\s*{_DATE}",
    re.IGNORECASE,
)
# A date the lead states for its news: "on Dec. 3", "am 3. Dezember", "le 3 décembre".
_STATED = re.compile(rf"\b(?:on|am|le|du)\s+{_DATE}", re.IGNORECASE)
_WEEKDAY_IN_LEAD = re.compile(
    r"(?<!\w)(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|(?<=в )(?:понедельник|среду|четверг|пятницу|субботу|воскресенье)|(?<=во )вторник)"
    r"(?P<after>\s+(?:prochain|prochaine))?(?!\w)"
)
# A weekday in a clause about the future ("will vote on Friday", "next Monday") is not a
# day the news happened; the clause runs back to the last comma or full stop.
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is to|are to|due|scheduled|planned|plans? to|expected to|next"
    r"|wird|werden|soll|sollen|nächsten|kommenden|doit|doivent|va|vont|prochain|prochaine"
    r"|будет|будут|планирует|намерен|следующ\w*)\b[^,.;]*$",
    re.IGNORECASE,
)
_HEADLINE = 60  # characters: a shorter first line is a headline, not the lead
_LEAD = 400  # characters of the lead searched for its date
_DATELINE_PARAGRAPHS = 3  # a forward may put a headline (and a byline) above the dateline
_AHEAD = timedelta(days=1)  # a dateline east of UTC may be a day ahead of its arrival
_YEARS_BACK = 8  # enough to find the last 29 February


def _when(day: int, month: int, year: int | None, received: date) -> date | None:
    if year is not None:
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        return found if found <= received + _AHEAD else None
    for back in range(_YEARS_BACK):
        try:
            found = date(received.year - back, month, day)
        except ValueError:
            continue  # 29 February in a common year, or a day that never is (30 February)
        if found <= received + _AHEAD:
            return found
    return None


def _parsed(match: re.Match[str], received: date) -> date | None:
    day, month = match["day"] or match["day2"], match["mon"] or match["mon2"]
    year = match["year"] or match["year2"]
    return _when(int(day), _MONTH[month.casefold()], int(year) if year else None, received)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def dateline_date(text: str, *, received: date) -> date | None:
    """Return the date a wire article gives itself (dateline, else the lead), if any."""
    paragraphs = _paragraphs(text)
    for paragraph in paragraphs[:_DATELINE_PARAGRAPHS]:
        dateline = _DATELINE.match(paragraph)
        if dateline is not None:
            return _parsed(dateline, received)
    lead = next((p for p in paragraphs if len(p) >= _HEADLINE), paragraphs[0] if paragraphs else "")
    lead = lead[:_LEAD]
    # The news is at least as new as every past day its lead names ("On Wednesday, Kim met
    # Shoigu and, according to KCNA's report on Thursday, ...": Thursday).
    days = [
        resolve_weekday(weekday["day"], received)
        for weekday in _WEEKDAY_IN_LEAD.finditer(lead)
        if not weekday["after"] and not _FUTURE.search(lead[: weekday.start()])
    ]
    known = [d for d in days if d is not None]
    if known:
        return max(known)
    stated = _STATED.search(lead)
    return _parsed(stated, received) if stated else None


def resolve_weekday(word: str, published: date) -> date | None:
    """Return the day a weekday ("on Wednesday", "в среду") names: the latest up to `published`."""
    words = word.casefold().split()
    weekday = _WEEKDAY.get(words[-1]) if words else None
    if weekday is None:
        return None
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def publication(
    text: str, *, received: datetime, origin: datetime | None = None, kind: str | None = None
) -> tuple[datetime, str]:
    """Return when an article was published and where that date comes from.

    An origin's own date (`kind` one of ORIGINS) beats a dateline in the text, which beats
    the moment it was received; a date more than a day after receipt is a wrong clock and
    is ignored.
    """
    if origin is not None and kind in ORIGINS:
        stated = origin if origin.tzinfo is not None else origin.replace(tzinfo=UTC)
        if stated <= received + _AHEAD:
            return stated.astimezone(UTC), kind
    found = dateline_date(text, received=received.astimezone(UTC).date())
    if found is not None:
        return datetime.combine(found, time(), tzinfo=UTC), DATELINE
    return received.astimezone(UTC), RECEIVED


def dated(article: Article, *, received: datetime) -> Article:
    """Return the article with its publication date set (kept when it was decided already)."""
    if article.published_at is not None and article.published_from in {DATELINE, RECEIVED}:
        return article  # dated on receipt (a job replayed after a restart)
    when, kind = publication(
        article.text, received=received, origin=article.published_at, kind=article.published_from
    )
    return article.model_copy(update={"published_at": when, "published_from": kind})


def page_date(stamp: str | None) -> datetime | None:
    """Read a page's declared date ("2026-12-04", or an ISO timestamp) as a UTC instant."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


SHOWN_ORIGINS = {  # how each origin of a publication date is named to readers
    FORWARD: "forwarded post",
    PAGE: "page",
    FEED: "feed",
    DATELINE: "from the text",  # a dateline, or the day the lead names ("on Wednesday")
    RECEIVED: "received",
}


def day_label(when: datetime) -> str:
    """Write an instant's UTC day the way briefings print dates: "4 Dec 2026"."""
    day = when.astimezone(UTC)
    return f"{day.day} {day:%b %Y}"


def published_label(when: datetime, kind: str | None) -> str:
    """Write a publication date and its origin: "4 Dec 2026 (from the text)"."""
    shown = SHOWN_ORIGINS.get(kind or "")
    return f"{day_label(when)} ({shown})" if shown else day_label(when)
