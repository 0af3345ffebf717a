import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.schedule import (
    Decision,
    ScheduleError,
    decide,
    describe_next,
    due_at,
    next_due,
    parse_time,
    parse_timezone,
    rebase_last_date,
    window_start,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")
HONOLULU = ZoneInfo("Pacific/Honolulu")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14, the first to reach a new day
UTC_ZONE = ZoneInfo("UTC")

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def at_local(tz: ZoneInfo, day: date, h: int = 0, mi: int = 0) -> datetime:
    """A UTC instant given as a local wall-clock time (fold=0, never used inside a gap)."""
    return datetime.combine(day, time(h, mi), tzinfo=tz).astimezone(UTC)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- the simulated caller ------------------------------------------------------------------


@dataclass
class Run:
    """What a simulated bot did, and the state it persisted."""

    last_date: date | None = None
    last_sent_at: datetime | None = None
    actions: list[tuple[datetime, Decision]] = field(default_factory=list)
    attempts: int = 0

    @property
    def sends(self) -> list[tuple[datetime, Decision]]:
        return [(now, d) for now, d in self.actions if d.action == "send"]

    @property
    def skips(self) -> list[tuple[datetime, Decision]]:
        return [(now, d) for now, d in self.actions if d.action == "skip"]


def simulate(
    at: time,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    step: timedelta = MINUTE,
    grace: timedelta = HOUR,
    subscribed_at: datetime | None = None,
    down: Sequence[tuple[datetime, datetime]] = (),
    delivered: Callable[[datetime], bool] = lambda _now: True,
    run: Run | None = None,
) -> Run:
    """Tick every `step` in [start, end) like the bot does, persisting state after each action."""
    run = run or Run()
    subscribed_at = subscribed_at or start
    now = start
    while now < end:
        if not down or not any(a <= now < b for a, b in down):
            decision = decide(
                now, at, tz, last_date=run.last_date, subscribed_at=subscribed_at, grace=grace
            )
            if decision.action == "send":
                run.attempts += 1
                if delivered(now):  # last_date is persisted only once Telegram accepted
                    run.actions.append((now, decision))
                    run.last_date, run.last_sent_at = decision.local_date, now
            elif decision.action == "skip":
                run.actions.append((now, decision))
                run.last_date = decision.local_date
        now += step
    return run


def assert_daily(run: Run, at: time, tz: ZoneInfo, expected: list[date], step: timedelta) -> None:
    """Exactly one send per expected local date, on the first tick at or after its due time."""
    assert [d.local_date for _, d in run.sends] == expected
    assert not run.skips
    for now, d in run.sends:
        assert d.due is not None
        assert d.late_by is not None
        assert d.due <= now < d.due + step
        assert d.late_by == now - d.due
        assert now.astimezone(tz).date() == d.local_date
    # next_due, asked right after a send, predicts the next send exactly.
    for (now, d), (_, following) in zip(run.sends, run.sends[1:], strict=False):
        assert next_due(now, at, tz, last_date=d.local_date) == following.due


# --- due_at ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected"),
    [
        (UTC_ZONE, date(2025, 1, 15), time(7, 30), utc(2025, 1, 15, 7, 30)),
        (UTC_ZONE, date(2025, 1, 15), time(0, 0), utc(2025, 1, 15, 0, 0)),
        (PARIS, date(2025, 1, 15), time(7, 30), utc(2025, 1, 15, 6, 30)),  # CET +1
        (PARIS, date(2025, 7, 15), time(7, 30), utc(2025, 7, 15, 5, 30)),  # CEST +2
        (NEW_YORK, date(2025, 1, 15), time(7, 30), utc(2025, 1, 15, 12, 30)),  # EST -5
        (NEW_YORK, date(2025, 7, 15), time(7, 30), utc(2025, 7, 15, 11, 30)),  # EDT -4
        (KOLKATA, date(2025, 1, 15), time(7, 30), utc(2025, 1, 15, 2, 0)),  # +5:30
        (KATHMANDU, date(2025, 1, 15), time(7, 30), utc(2025, 1, 15, 1, 45)),  # +5:45
        (AUCKLAND, date(2025, 1, 15), time(7, 30), utc(2025, 1, 14, 18, 30)),  # NZDT +13
        (AUCKLAND, date(2025, 7, 15), time(7, 30), utc(2025, 7, 14, 19, 30)),  # NZST +12
        (KIRITIMATI, date(2025, 1, 1), time(0, 0), utc(2024, 12, 31, 10, 0)),  # +14
        # Spring forward: the gap's local times move to its end (the first instant after it).
        (PARIS, date(2025, 3, 30), time(2, 30), utc(2025, 3, 30, 1, 0)),  # 03:00 CEST
        (PARIS, date(2025, 3, 30), time(2, 0), utc(2025, 3, 30, 1, 0)),
        (PARIS, date(2025, 3, 30), time(2, 59), utc(2025, 3, 30, 1, 0)),
        (PARIS, date(2025, 3, 30), time(1, 59), utc(2025, 3, 30, 0, 59)),
        (PARIS, date(2025, 3, 30), time(3, 0), utc(2025, 3, 30, 1, 0)),
        (NEW_YORK, date(2025, 3, 9), time(2, 30), utc(2025, 3, 9, 7, 0)),  # 03:00 EDT
        (AUCKLAND, date(2025, 9, 28), time(2, 30), utc(2025, 9, 27, 14, 0)),  # 03:00 NZDT
        # Fall back: an ambiguous local time is its first occurrence (summer offset).
        (PARIS, date(2025, 10, 26), time(2, 30), utc(2025, 10, 26, 0, 30)),  # 02:30 CEST
        (PARIS, date(2025, 10, 26), time(3, 0), utc(2025, 10, 26, 2, 0)),
        (NEW_YORK, date(2025, 11, 2), time(1, 30), utc(2025, 11, 2, 5, 30)),  # 01:30 EDT
        (AUCKLAND, date(2025, 4, 6), time(2, 30), utc(2025, 4, 5, 13, 30)),  # 02:30 NZDT
        # Samoa skipped 30 Dec 2011 entirely: that date's digest time is the next midnight.
        (ZoneInfo("Pacific/Apia"), date(2011, 12, 30), time(7, 30), utc(2011, 12, 30, 10, 0)),
    ],
)
def test_due_at(tz: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    due = due_at(day, at, tz)
    assert due == expected
    assert due.tzinfo is UTC


def test_due_at_ignores_fold_on_the_input_time() -> None:
    assert due_at(date(2025, 10, 26), time(2, 30, fold=1), PARIS) == utc(2025, 10, 26, 0, 30)


# --- exactly once per local day, across DST and the new year ---------------------------------

TRANSITIONS = [
    pytest.param(PARIS, date(2025, 3, 30), id="paris-spring"),
    pytest.param(PARIS, date(2025, 10, 26), id="paris-fall"),
    pytest.param(NEW_YORK, date(2025, 3, 9), id="new_york-spring"),
    pytest.param(NEW_YORK, date(2025, 11, 2), id="new_york-fall"),
    pytest.param(AUCKLAND, date(2025, 4, 6), id="auckland-fall"),
    pytest.param(AUCKLAND, date(2025, 9, 28), id="auckland-spring"),
]


@pytest.mark.parametrize(("tz", "day"), TRANSITIONS)
@pytest.mark.parametrize("at", [time(0, 0), time(1, 30), time(2, 30), time(23, 59)])
def test_once_per_day_across_dst(tz: ZoneInfo, day: date, at: time) -> None:
    first, end = day - DAY, day + 2 * DAY  # local midnights: the days are 23, 24 or 25 h long
    start = at_local(tz, first)
    run = simulate(at, tz, start, at_local(tz, end))
    assert_daily(run, at, tz, days(day - DAY, day + DAY), MINUTE)


@pytest.mark.parametrize(
    ("tz", "day", "at", "sent_local"),
    [
        # 02:30 does not exist on spring-forward days: sent at the end of the gap.
        (PARIS, date(2025, 3, 30), time(2, 30), "03:00+02:00"),
        (NEW_YORK, date(2025, 3, 9), time(2, 30), "03:00-04:00"),
        (AUCKLAND, date(2025, 9, 28), time(2, 30), "03:00+13:00"),
        # 02:30 (01:30 in New York) happens twice on fall-back days: sent the first time only.
        (PARIS, date(2025, 10, 26), time(2, 30), "02:30+02:00"),
        (NEW_YORK, date(2025, 11, 2), time(1, 30), "01:30-04:00"),
        (AUCKLAND, date(2025, 4, 6), time(2, 30), "02:30+13:00"),
    ],
)
def test_dst_day_sends_at_the_documented_instant(
    tz: ZoneInfo, day: date, at: time, sent_local: str
) -> None:
    start = at_local(tz, day)
    run = simulate(at, tz, start, start + 6 * HOUR, step=timedelta(seconds=30))
    [(now, decision)] = run.actions
    assert decision.local_date == day
    assert now.astimezone(tz).isoformat(timespec="minutes")[11:] == sent_local


@pytest.mark.parametrize("tz", [UTC_ZONE, KIRITIMATI, HONOLULU, KATHMANDU])
@pytest.mark.parametrize("at", [time(0, 0), time(23, 59)])
def test_once_per_day_across_the_new_year(tz: ZoneInfo, at: time) -> None:
    start = at_local(tz, date(2024, 12, 30))
    run = simulate(at, tz, start, at_local(tz, date(2025, 1, 2)))
    assert_daily(run, at, tz, days(date(2024, 12, 30), date(2025, 1, 1)), MINUTE)


# --- restarts, outages and failed deliveries -------------------------------------------------

MON = date(2025, 1, 6)  # a Monday, no DST nearby


def paris(d: date, h: int, mi: int = 0) -> datetime:
    return at_local(PARIS, d, h, mi)


TUE, WED, THU = MON + DAY, MON + 2 * DAY, MON + 3 * DAY


@pytest.mark.parametrize(
    ("down_until", "grace", "expected"),
    [
        # Back within grace: one late send for today, then normal days.
        (
            paris(MON, 8, 10),
            HOUR,
            [("send", MON, paris(MON, 8, 10))] + [("send", d, None) for d in (TUE, WED, THU)],
        ),
        # Back after grace: today is skipped (and recorded), tomorrow sends normally.
        (
            paris(MON, 10),
            HOUR,
            [("skip", MON, paris(MON, 10))] + [("send", d, None) for d in (TUE, WED, THU)],
        ),
        # Down three days, back after Thursday's time: one action, for Thursday only.
        (paris(THU, 9), 2 * HOUR, [("send", THU, paris(THU, 9))]),
        # Down three days, back before Thursday's time: one skip for Wednesday, then Thursday.
        (paris(THU, 6), 2 * HOUR, [("skip", WED, paris(THU, 6)), ("send", THU, None)]),
    ],
)
def test_restart_after_downtime(
    down_until: datetime, grace: timedelta, expected: list[tuple[str, date, datetime | None]]
) -> None:
    start, end = paris(MON, 0), paris(THU, 23, 59)
    run = simulate(time(7, 30), PARIS, start, end, grace=grace, down=[(paris(MON, 7), down_until)])
    assert len(run.actions) == len(expected)
    for (now, decision), (action, day, when) in zip(run.actions, expected, strict=True):
        assert (decision.action, decision.local_date) == (action, day)
        assert decision.due == paris(day, 7, 30)
        assert decision.late_by == now - decision.due
        assert now == (when or decision.due)


def test_late_by_after_a_short_outage() -> None:
    run = simulate(
        time(7, 30), PARIS, paris(MON, 0), paris(MON, 12), down=[(paris(MON, 7), paris(MON, 8, 10))]
    )
    [(_, decision)] = run.actions
    assert decision.late_by == timedelta(minutes=40)


def test_failed_deliveries_retry_within_grace_then_skip() -> None:
    ok_from = paris(MON, 7, 50)
    run = simulate(
        time(7, 30), PARIS, paris(MON, 0), paris(MON, 12), delivered=lambda now: now >= ok_from
    )
    [(now, decision)] = run.actions
    assert (now, decision.action, decision.late_by) == (ok_from, "send", timedelta(minutes=20))
    assert run.attempts == 21  # one per tick from 07:30 to 07:50, the last one accepted

    never = paris(MON + DAY, 0)
    run = simulate(
        time(7, 30), PARIS, paris(MON, 0), paris(MON + DAY, 12), delivered=lambda n: n >= never
    )
    assert [(d.action, d.local_date) for _, d in run.actions] == [
        ("skip", MON),
        ("send", MON + DAY),
    ]
    assert run.skips[0][0] == paris(MON, 8, 31)  # first tick with late_by > grace


@pytest.mark.parametrize(
    ("subscribed", "first"),
    [
        (paris(MON, 7), MON),
        (paris(MON, 7, 30), MON),  # due exactly at subscription time counts
        (paris(MON, 7, 31), MON + DAY),
        (paris(MON, 9), MON + DAY),
    ],
)
def test_first_digest_after_subscribing(subscribed: datetime, first: date) -> None:
    run = simulate(time(7, 30), PARIS, subscribed, paris(MON + 2 * DAY, 0))
    assert_daily(run, time(7, 30), PARIS, days(first, MON + DAY), MINUTE)


def test_clock_stepping_back_does_not_resend() -> None:
    at, subscribed = time(7, 30), paris(MON, 0)
    sent = decide(
        paris(MON, 7, 31), at, PARIS, last_date=None, subscribed_at=subscribed, grace=HOUR
    )
    assert sent.action == "send"
    for now in (paris(MON, 7, 29), paris(MON, 7, 30), paris(MON, 7, 31), paris(MON, 23, 59)):
        again = decide(
            now, at, PARIS, last_date=sent.local_date, subscribed_at=subscribed, grace=HOUR
        )
        assert again == Decision("wait", None, None, None)


ZONES = [PARIS, NEW_YORK, KOLKATA, KATHMANDU, AUCKLAND, UTC_ZONE, ZoneInfo("Australia/Lord_Howe")]


@pytest.mark.parametrize("seed", range(40))
def test_random_ticks_never_send_a_date_twice(seed: int) -> None:
    rng = random.Random(seed)
    tz = rng.choice(ZONES)
    at = time(rng.randrange(24), rng.choice([0, 15, 30, 59]))
    grace = timedelta(minutes=rng.choice([1, 30, 120, 600]))
    now = subscribed = utc(2025, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
    last_date: date | None = None
    acted: list[date] = []
    for _ in range(300):
        # Mostly regular ticks, with outages, and the clock sometimes stepping back.
        now += rng.choice([timedelta(seconds=30)] * 8 + [rng.uniform(-2, 50) * HOUR])
        decision = decide(now, at, tz, last_date=last_date, subscribed_at=subscribed, grace=grace)
        if decision.action == "wait" or (decision.action == "send" and rng.random() < 0.2):
            continue  # waiting, or Telegram refused and nothing was persisted
        assert decision.local_date is not None
        assert decision.due is not None
        assert decision.late_by is not None
        assert decision.due >= subscribed
        assert (decision.action == "send") == (decision.late_by <= grace)
        acted.append(decision.local_date)
        last_date = decision.local_date
    assert acted == sorted(set(acted))  # strictly increasing: no date acted on twice


# --- changing the time zone or the time ------------------------------------------------------


def switch(
    old: ZoneInfo, new: ZoneInfo, change_at: datetime, *, rebase: bool, step: timedelta = MINUTE
) -> tuple[Run, Run]:
    """Run `old` for two days, switch to `new` at `change_at`, run `new` for three more days."""
    at = time(7, 30)
    before = simulate(at, old, change_at - 2 * DAY, change_at, step=step)
    last_date = before.last_date
    if rebase:
        last_date = rebase_last_date(last_date, before.last_sent_at, new)
    after = simulate(
        at, new, change_at, change_at + 3 * DAY, step=step, run=Run(last_date, before.last_sent_at)
    )
    return before, after


def new_zone_dates(tz: ZoneInfo, *runs: Run) -> list[date]:
    return [now.astimezone(tz).date() for run in runs for now, _ in run.sends]


PAIRS = [
    (LOS_ANGELES, TOKYO),
    (TOKYO, LOS_ANGELES),
    (PARIS, NEW_YORK),
    (NEW_YORK, PARIS),
    (KOLKATA, KATHMANDU),
    (AUCKLAND, HONOLULU),  # 23 hours apart, across the date line
    (HONOLULU, KIRITIMATI),  # 24 hours apart: same wall clock, different date
]


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=str)
@pytest.mark.parametrize("change_hour", range(0, 24, 3))
def test_zone_change_with_rebase_sends_at_most_once_per_new_local_date(
    old: ZoneInfo, new: ZoneInfo, change_hour: int
) -> None:
    change_at = utc(2025, 1, 8, change_hour)
    before, after = switch(old, new, change_at, rebase=True, step=10 * MINUTE)
    sent = new_zone_dates(new, before, after)
    assert len(sent) == len(set(sent))  # in the new zone's calendar, including older digests
    # From the day after the change on, every new-zone date gets its digest.
    after_dates = [d.local_date for _, d in after.sends if d.local_date is not None]
    first = change_at.astimezone(new).date() + DAY
    assert [d for d in after_dates if d >= first][:2] == [first, first + DAY]


def test_zone_change_east_without_rebase_is_the_documented_edge_case() -> None:
    # Monday's 07:30 Los Angeles digest goes out at Tuesday 00:30 in Tokyo. Comparing the stored
    # date (Monday) with Tokyo's dates lets Tuesday 07:30 Tokyo send again the same Tokyo day.
    change_at = at_local(TOKYO, date(2025, 1, 7), 3)
    before, after = switch(LOS_ANGELES, TOKYO, change_at, rebase=False)
    assert Counter(new_zone_dates(TOKYO, before, after))[date(2025, 1, 7)] == 2
    before, after = switch(LOS_ANGELES, TOKYO, change_at, rebase=True)
    assert Counter(new_zone_dates(TOKYO, before, after))[date(2025, 1, 7)] == 1
    # The stored dates themselves never repeat, with or without rebasing.
    stored = [d.local_date for run in (before, after) for _, d in run.sends]
    assert len(stored) == len(set(stored))


def test_zone_change_west_rebase_avoids_a_missed_day() -> None:
    # Tuesday's 07:30 Tokyo digest goes out on Monday 14:30 in Los Angeles.
    change_at = at_local(LOS_ANGELES, date(2025, 1, 6), 15)
    _, after = switch(TOKYO, LOS_ANGELES, change_at, rebase=False)
    assert after.sends[0][1].local_date == date(2025, 1, 8)  # Tuesday never comes in LA
    _, after = switch(TOKYO, LOS_ANGELES, change_at, rebase=True)
    assert after.sends[0][1].local_date == date(2025, 1, 7)


def test_rebase_last_date() -> None:
    sent = at_local(LOS_ANGELES, date(2025, 1, 6), 7, 30)
    assert rebase_last_date(date(2025, 1, 6), sent, TOKYO) == date(2025, 1, 7)
    assert rebase_last_date(date(2025, 1, 6), None, TOKYO) == date(2025, 1, 6)
    assert rebase_last_date(None, None, TOKYO) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        rebase_last_date(None, datetime(2025, 1, 6), TOKYO)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("new_at", "change_at", "reset_subscribed", "expected"),
    [
        # Moved later after today's digest: nothing more today, tomorrow at the new time.
        (time(20, 0), paris(MON, 10), False, [(MON, "07:30"), (MON + DAY, "20:00")]),
        # Moved earlier before today's digest, subscribed_at reset: no catch-up today.
        (time(7, 30), paris(MON, 10), True, [(MON + DAY, "07:30")]),
    ],
)
def test_time_change_never_sends_twice_a_day(
    new_at: time, change_at: datetime, reset_subscribed: bool, expected: list[tuple[date, str]]
) -> None:
    old_at = time(7, 30) if new_at == time(20, 0) else time(20, 0)
    start = paris(MON, 0)
    run = simulate(old_at, PARIS, start, change_at)
    run = simulate(
        new_at,
        PARIS,
        change_at,
        paris(MON + 2 * DAY, 0),
        subscribed_at=change_at if reset_subscribed else start,
        run=run,
    )
    sent = [(d.local_date, f"{now.astimezone(PARIS):%H:%M}") for now, d in run.actions]
    assert sent == expected


# --- next_due and describe_next ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "at", "tz", "last_date", "expected"),
    [
        (paris(MON, 6), time(7, 30), PARIS, None, paris(MON, 7, 30)),
        (paris(MON, 7, 30), time(7, 30), PARIS, None, paris(MON, 7, 30)),  # due right now
        (paris(MON, 8), time(7, 30), PARIS, MON, paris(MON + DAY, 7, 30)),
        (paris(MON, 8), time(7, 30), PARIS, MON - DAY, paris(MON + DAY, 7, 30)),  # missed
        (paris(MON, 6), time(7, 30), PARIS, MON, paris(MON + DAY, 7, 30)),  # done already
        (paris(MON, 6), time(7, 30), PARIS, MON + DAY, paris(MON + 2 * DAY, 7, 30)),
        (utc(2025, 3, 29, 12), time(2, 30), PARIS, None, utc(2025, 3, 30, 1, 0)),  # gap
        (utc(2025, 1, 14, 19), time(7, 30), AUCKLAND, None, utc(2025, 1, 15, 18, 30)),
    ],
)
def test_next_due(
    now: datetime, at: time, tz: ZoneInfo, last_date: date | None, expected: datetime
) -> None:
    assert next_due(now, at, tz, last_date=last_date) == expected


@pytest.mark.parametrize(
    ("due", "tz", "before", "expected"),
    [
        (
            at_local(PARIS, date(2022, 11, 29), 7, 30),
            PARIS,
            timedelta(hours=5, minutes=12),
            "Tue 29 Nov 07:30 Europe/Paris (in 5 h 12 min)",
        ),
        (
            utc(2025, 1, 1, 1, 45),
            KATHMANDU,
            timedelta(minutes=45),
            "Wed 1 Jan 07:30 Asia/Kathmandu (in 45 min)",
        ),
        (utc(2025, 1, 6, 7, 30), UTC_ZONE, 2 * HOUR, "Mon 6 Jan 07:30 UTC (in 2 h)"),
        (utc(2025, 1, 6, 7, 30), UTC_ZONE, timedelta(seconds=30), "Mon 6 Jan 07:30 UTC (in 1 min)"),
        (utc(2025, 1, 6, 7, 30), UTC_ZONE, timedelta(0), "Mon 6 Jan 07:30 UTC (due now)"),
        (utc(2025, 1, 6, 7, 30), UTC_ZONE, -MINUTE, "Mon 6 Jan 07:30 UTC (due now)"),
        (
            utc(2025, 1, 6, 7, 30),
            NEW_YORK,
            26 * HOUR + MINUTE,
            "Mon 6 Jan 02:30 America/New_York (in 26 h 1 min)",
        ),
    ],
)
def test_describe_next(due: datetime, tz: ZoneInfo, before: timedelta, expected: str) -> None:
    assert describe_next(due, tz, due - before) == expected


# --- window_start -----------------------------------------------------------------------------

NOW = utc(2025, 1, 6, 7, 30)


@pytest.mark.parametrize(
    ("last_sent_at", "expected"),
    [
        (None, NOW - DAY),  # the first digest: the last 24 h
        (NOW - 3 * HOUR, NOW - 3 * HOUR),
        (NOW - 25 * HOUR, NOW - 25 * HOUR),  # a 25-hour DST day loses nothing
        (NOW - 30 * HOUR, NOW - 30 * HOUR),  # a late catch-up the day before
        (NOW - 49 * HOUR, NOW - 49 * HOUR),  # a skipped day in between
        (NOW - 30 * DAY, NOW - 7 * DAY),  # back after a long silence: bounded
        (NOW + HOUR, NOW),  # clock stepped back: empty window, never inverted
        (at_local(PARIS, date(2025, 1, 6), 5), utc(2025, 1, 6, 4)),  # any zone in, UTC out
    ],
)
def test_window_starts_at_the_previous_digest(
    last_sent_at: datetime | None, expected: datetime
) -> None:
    start = window_start(NOW, last_sent_at)
    assert start == expected
    assert start.tzinfo is UTC


def test_window_bounds_are_parameters() -> None:
    assert window_start(NOW, None, first_window=2 * HOUR) == NOW - 2 * HOUR
    assert window_start(NOW, NOW - 40 * HOUR, max_window=DAY) == NOW - DAY


# --- naive datetimes and bad arguments --------------------------------------------------------

NAIVE = datetime(2025, 1, 6, 7, 30)  # noqa: DTZ001 - deliberately naive


@pytest.mark.parametrize(
    "call",
    [
        lambda: decide(NAIVE, time(7, 30), PARIS, last_date=None, subscribed_at=NOW, grace=HOUR),
        lambda: decide(NOW, time(7, 30), PARIS, last_date=None, subscribed_at=NAIVE, grace=HOUR),
        lambda: next_due(NAIVE, time(7, 30), PARIS, last_date=None),
        lambda: window_start(NAIVE, None),
        lambda: window_start(NOW, NAIVE),
        lambda: describe_next(NAIVE, PARIS, NOW),
        lambda: describe_next(NOW, PARIS, NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_negative_grace_is_rejected() -> None:
    with pytest.raises(ValueError, match="grace"):
        decide(NOW, time(7, 30), PARIS, last_date=None, subscribed_at=NOW, grace=-MINUTE)


# --- parsing user input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:05", time(19, 5)),
        ("0:00", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("  7:30 ", time(7, 30)),
        ("7:30am", time(7, 30)),
        ("7:30 pm", time(19, 30)),
        ("7:30 PM", time(19, 30)),
        ("7:30 p.m.", time(19, 30)),
        ("11:59 pm", time(23, 59)),
        ("12:00 am", time(0, 0)),
        ("12:15am", time(0, 15)),
        ("12:15 pm", time(12, 15)),
    ],
)
def test_parse_time_valid(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "24:00",
        "7",
        "7:60",
        "7:5",
        "noon",
        "",
        "   ",
        "730",
        "7.30",
        "7 :30",
        "-1:30",
        "123:00",
        "07:30:00",
        "0:30 am",
        "13:00 pm",
        "7:30 xm",
        "7:30pmx",
        "\uff17:\uff13\uff10",  # full-width digits
        "\u0667:\u0663\u0660",  # Arabic-Indic digits
    ],
)
def test_parse_time_invalid(text: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_time(text)
    assert "07:30" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("  EUROPE/PARIS  ", "Europe/Paris"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kathmandu", "Asia/Kathmandu"),
        ("Pacific/Auckland", "Pacific/Auckland"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_parse_timezone_valid(text: str, expected: str) -> None:
    tz = parse_timezone(text)
    assert tz.key == expected
    assert tz is ZoneInfo(expected)  # ZoneInfo caches, so callers share one instance


@pytest.mark.parametrize(
    "text",
    [
        "Europe/Pariss",
        "Paris",
        "Mars/Olympus_Mons",
        "",
        "   ",
        "../etc/passwd",
        "/etc/passwd",
        "Europe/../Europe/Paris",
        "/usr/share/zoneinfo/Europe/Paris",
        "Europe/Paris\x00",
        "localtime",
        "Factory",
        "posix/Europe/Paris",
        "right/UTC",
        "+05:30",
        "x" * 5000,
    ],
)
def test_parse_timezone_invalid(text: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_timezone(text)
    message = str(info.value)
    assert message.startswith("Unknown time zone ")
    assert "Use an IANA name such as Europe/Paris or America/New_York." in message
    assert len(message) < 200


def test_parse_timezone_suggests_a_close_name() -> None:
    with pytest.raises(ScheduleError) as info:
        parse_timezone("Europe/Pariss")
    assert str(info.value) == (
        "Unknown time zone 'Europe/Pariss'. Did you mean Europe/Paris?"
        " Use an IANA name such as Europe/Paris or America/New_York."
    )
