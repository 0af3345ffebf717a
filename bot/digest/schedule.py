"""Pure scheduling for daily digests: when a chat's digest is due and what a tick should do.

No I/O and no clock: every function takes the current instant as a parameter.

At-most-once guarantee: decide() answers "send" only for a local date later than `last_date`,
and the caller stores that date once Telegram accepts the message (or after a "skip"). The
dates acted on therefore strictly increase, so no local date is sent twice whatever the tick
rate, restarts, DST transitions or clock jumps. Exactly-once additionally needs one tick within
`grace` of each due instant; a longer outage turns that day into a single "skip", and an outage
of several days yields one decision for the latest day only, never a burst of old digests.
The one window outside this module: a crash after Telegram accepted but before `last_date` was
stored re-sends that digest once at restart.

Changing the time zone: `last_date` is a plain date and is compared with dates in the *new*
zone. Moving east (e.g. Los Angeles to Tokyo) the last digest may already fall on the new zone's
"today", which would then get a second one; pass the state through rebase_last_date() when the
zone changes so the last digest counts in the new calendar (moving west it also avoids skipping
a day). Changing the time or zone: the caller should also set `subscribed_at` to the moment
the change took effect, so a due instant already in the past never triggers a catch-up digest.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import BriefbotError
from bot.render.dates import DateStyle

_ONE_DAY = timedelta(days=1)
_HALF_DAY = 12
_MAX_ECHO = 40  # characters of user input repeated back in an error message
_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*(?:([ap])\.?\s*m\.?)?", re.IGNORECASE)
# Not real zone names: "localtime" is whatever the host uses, "Factory" means "unset".
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ScheduleError(BriefbotError, ValueError):
    """A time or time zone typed by a user that cannot be used; str() is shown to them."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What one tick should do; the date fields are set for "send" and "skip" only."""

    action: Literal["send", "skip", "wait"]
    local_date: date | None
    due: datetime | None
    late_by: timedelta | None


_WAIT = Decision("wait", None, None, None)


def _quote(text: str) -> str:
    # Echo what the user typed, but bounded and with control characters escaped.
    return repr(text if len(text) <= _MAX_ECHO else text[:_MAX_ECHO] + "...")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {value!r}")
    return value


def parse_time(text: str) -> time:
    """Parse "7:30", "07:30", "19:05" or "7:30 pm" into a wall-clock time."""
    match = _TIME_RE.fullmatch(text.strip())
    if match:
        hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").lower()
        if half:
            # 12-hour clock: "12:15 am" is just after midnight and "12:15 pm" just after noon;
            # "0:30 am" or "13:00 pm" mixes the two clocks and is rejected.
            hour = hour % _HALF_DAY + _HALF_DAY * (half == "p") if 0 < hour <= _HALF_DAY else -1
        with contextlib.suppress(ValueError):  # time() itself rejects 24:00 and 7:60
            return time(hour, minute)
    raise ScheduleError(
        f"Invalid time {_quote(text)}. Use HH:MM on a 24-hour clock such as 07:30 or 19:05"
        " (7:30 pm also works)."
    )


@functools.cache
def _zone_names() -> dict[str, str]:
    # Only names listed by tzdata are accepted, so user text never reaches ZoneInfo() as a
    # file path ("../etc/passwd"); the lower-cased keys make the lookup case-insensitive.
    return {n.lower(): n for n in available_timezones() if n not in _NOT_ZONES}


def parse_timezone(text: str) -> ZoneInfo:
    """Resolve an IANA zone name case-insensitively ("europe/paris" -> Europe/Paris)."""
    key = "_".join(text.split()).lower()  # also accepts "America/New York"
    name = _zone_names().get(key)
    if name is None:
        close = difflib.get_close_matches(key[:64], _zone_names(), n=1)
        hint = f" Did you mean {_zone_names()[close[0]]}?" if close else ""
        raise ScheduleError(
            f"Unknown time zone {_quote(text)}.{hint}"
            " Use an IANA name such as Europe/Paris or America/New_York."
        )
    return ZoneInfo(name)


def due_at(local_date: date, at: time, tz: ZoneInfo) -> datetime:
    """Return the UTC instant of `at` on `local_date` in `tz` (gap: just after; overlap: first)."""
    wall = datetime.combine(local_date, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=tz).astimezone(UTC)  # fold=0 picks an overlap's first occurrence
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # `wall` lies in a gap: fold=0 read it with the offset before the gap and fold=1 with the one
    # after, so the transition is between those readings. Bisect (transitions fall on whole
    # seconds) for the first instant whose wall clock is past `wall`: the end of the gap.
    lo = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    hi = int(first.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, tz).replace(tzinfo=None) > wall:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def _latest_due(now: datetime, at: time, tz: ZoneInfo) -> tuple[date, datetime]:
    # Today's due instant if it has passed, else yesterday's, which always has: a gap only moves
    # it forward to an instant whose local date is still <= today.
    today = now.astimezone(tz).date()
    due = due_at(today, at, tz)
    return (today, due) if due <= now else (today - _ONE_DAY, due_at(today - _ONE_DAY, at, tz))


def decide(
    now: datetime,
    at: time,
    tz: ZoneInfo,
    *,
    last_date: date | None,
    subscribed_at: datetime,
    grace: timedelta,
) -> Decision:
    """Decide what this tick does for one subscription (see the module docstring)."""
    _aware(now)
    _aware(subscribed_at)
    if grace < timedelta(0):
        raise ValueError(f"grace must not be negative, got {grace}")
    day, due = _latest_due(now, at, tz)
    # Only the most recent due instant is considered, so a long outage never causes a burst.
    if (last_date is not None and last_date >= day) or due < subscribed_at:
        return _WAIT
    late_by = now - due
    return Decision("send" if late_by <= grace else "skip", day, due, late_by)


def next_due(now: datetime, at: time, tz: ZoneInfo, *, last_date: date | None) -> datetime:
    """Return the first due instant at or after `now` for a local date after `last_date`."""
    day = _aware(now).astimezone(tz).date()
    if last_date is not None:
        day = max(day, last_date + _ONE_DAY)
    while (due := due_at(day, at, tz)) < now:
        day += _ONE_DAY
    return due


def rebase_last_date(
    last_date: date | None, last_sent_at: datetime | None, tz: ZoneInfo
) -> date | None:
    """Re-express `last_date` in a new zone's calendar: the local date of the last digest sent."""
    if last_sent_at is None:
        return last_date
    return _aware(last_sent_at).astimezone(tz).date()


def window_start(
    now: datetime,
    last_sent_at: datetime | None,
    first_window: timedelta = timedelta(hours=24),
    max_window: timedelta = timedelta(days=7),
) -> datetime:
    """Return where a digest's articles start: the previous digest (the first: 24 h back).

    Starting at the previous digest, not a fixed 24 h, is what keeps a 25-hour DST day, a
    late catch-up or a skipped day from dropping articles; `max_window` only bounds a chat
    that comes back after a long silence.
    """
    now = _aware(now)
    if last_sent_at is None:
        return (now - first_window).astimezone(UTC)
    # min(): a last_sent_at in the future (clock stepped back) must not invert the window.
    return min(max(_aware(last_sent_at), now - max_window), now).astimezone(UTC)


def describe_next(due: datetime, tz: ZoneInfo, now: datetime) -> str:
    """Render e.g. "Tue 29 Nov 07:30 Europe/Paris (in 5 h 12 min)"."""
    local = _aware(due).astimezone(tz)
    # Round up, so "in 1 min" shows until the digest is due, never "in 0 min".
    minutes = -((_aware(now) - due) // timedelta(minutes=1))
    hours, mins = divmod(minutes, 60)
    parts = [f"{hours} h"] * bool(hours) + [f"{mins} min"] * bool(mins)
    when = "in " + " ".join(parts) if minutes > 0 else "due now"
    # Weekday names are spelled out here, as strftime's %a follows the process locale; the
    # date itself is written as everywhere else (the year only when it is not this one).
    day = f"{_DAYS[local.weekday()]} {DateStyle.at(tz, now).date(local.date())}"
    return f"{day} {local:%H:%M} {tz} ({when})"
