"""Read a time and a place as people type them: "7am Paris", "Europe/Paris 07:30", "19h Kyiv".

Times: "7:30", "07:30", "7am", "7 pm", "7:30 p.m.", "19h", "19h30" or a bare hour ("7").
Places: an IANA zone name in any case ("europe/paris"), or the city the tz database names a
zone after ("Paris" → Europe/Paris, "new york" → America/New_York, "Kiev" and "Kyiv"). Only
names the tz database lists are ever looked up, so no user text reaches ZoneInfo() as a path.
Errors say which part was not understood, in words fit for any user.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, available_timezones

from bot.digest.schedule import ScheduleError, parse_timezone

_MAX_ECHO = 40
_HALF_DAY = 12
_MERIDIEM = re.compile(r"^[ap]\.?m\.?$", re.IGNORECASE)
_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?:(?::(?P<m>\d{2}))?(?P<half>[ap])\.?m\.?"  # 7am, 7:30pm, 7:30 p.m.
    r"|:(?P<m24>\d{2})"  # 07:30
    r"|h(?P<mh>\d{2})?)?",  # 19h, 19h30 (a bare hour when nothing follows)
    re.IGNORECASE,
)
# A token that starts like a number is meant as a time ("25:00", "-1:30"), never a place.
_TIMELIKE = re.compile(r"^[-+]?\d")
# Zones kept for old systems, not places: a city never resolves to one of these.
_LEGACY = ("Etc/", "SystemV/", "posix/", "right/", "US/", "Brazil/", "Canada/", "Mexico/", "Chile/")
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
EXAMPLE = "/digest on 7:30 Paris"


def _echo(text: str) -> str:
    return repr(text if len(text) <= _MAX_ECHO else text[:_MAX_ECHO] + "...")


class TimeError(ScheduleError):
    """The time part of the input was not understood; str() says so to the user."""


class PlaceError(ScheduleError):
    """The place part of the input was not understood; str() says so to the user."""


def read_time(text: str) -> time:
    """Read "7am", "7:30", "07:30", "19h", "7 pm" or a bare hour into a wall-clock time."""
    compact = "".join(text.split())
    match = _CLOCK.fullmatch(compact)
    if match is not None:
        hour = int(match["h"])
        minute = int(match["m"] or match["m24"] or match["mh"] or 0)
        if half := (match["half"] or "").lower():
            # 12-hour clock: "12am" is midnight, "12pm" noon; "0am" or "13pm" mixes clocks.
            hour = hour % _HALF_DAY + _HALF_DAY * (half == "p") if 0 < hour <= _HALF_DAY else -1
        if 0 <= hour < 24 and 0 <= minute < 60:  # noqa: PLR2004
            return time(hour, minute)
    raise TimeError(f"I didn't understand the time {_echo(text)}. Try 07:30, 7am, 7:30 pm or 19h.")


@functools.cache
def _places() -> dict[str, tuple[str, ...]]:
    # "paris" → ("Europe/Paris",): the last part of every zone name, as people write a city.
    found: dict[str, list[str]] = {}
    for name in sorted(available_timezones() - _NOT_ZONES):
        if "/" in name and not name.startswith(_LEGACY):
            city = name.rsplit("/", 1)[1].replace("_", " ").casefold()
            found.setdefault(city, []).append(name)
    return {city: tuple(names) for city, names in found.items()}


def _same_clock(names: tuple[str, ...]) -> bool:
    # Two names for one city (America/Buenos_Aires, America/Argentina/Buenos_Aires) are one
    # zone when their clocks agree in winter and in summer.
    year = datetime.now(UTC).year
    instants = [datetime(year, month, 1, tzinfo=UTC) for month in (1, 7)]
    return len({tuple(i.astimezone(ZoneInfo(n)).utcoffset() for i in instants) for n in names}) == 1


def read_place(text: str) -> ZoneInfo:
    """Read an IANA zone name or a city named in the tz database into a time zone."""
    words = " ".join(text.replace("_", " ").split())
    try:
        return parse_timezone(words)
    except ScheduleError:
        pass
    names = _places().get(words.casefold()) if words else None
    if names and _same_clock(names):
        return ZoneInfo(min(names, key=lambda n: (n.count("/"), n)))
    if names:
        choices = " or ".join(names[:3])
        raise PlaceError(f"{_echo(text)} could be {choices}: name the zone, e.g. {names[0]}.")
    raise PlaceError(
        f"I don't know the place {_echo(text)}; try a city like Paris or a zone like Europe/Paris."
    )


def _tokens(args: list[str]) -> list[str]:
    # "7 pm" arrives as two arguments: glue a lone am/pm to the number before it.
    tokens: list[str] = []
    for arg in args:
        if tokens and _MERIDIEM.match(arg) and _TIMELIKE.match(tokens[-1]):
            tokens[-1] += arg
        else:
            tokens.append(arg)
    return tokens


def read_schedule(args: list[str], default_at: time, default_zone: str) -> tuple[time, ZoneInfo]:
    """Read `[time] [place]` in either order; raise a ScheduleError naming the part not read."""
    times = [t for t in _tokens(args) if _TIMELIKE.match(t) and "/" not in t]
    place = " ".join(t for t in _tokens(args) if t not in times)
    if len(times) > 1:
        raise TimeError(
            f"I didn't understand the time {_echo(' '.join(times))}: give one, e.g. {EXAMPLE}."
        )
    at = read_time(times[0]) if times else default_at
    return at, read_place(place) if place else parse_timezone(default_zone)
