"""The hourly quotas, command windows and jobs in flight, shared by processes on one database.

With DATABASE_URL several processes may answer one user (webhook behind a load balancer,
or `briefbot run` receiving and `briefbot worker` processes answering), so a limit kept in
one process's memory would let each process grant the whole allowance. On PostgreSQL these
classes keep the same interfaces as the in-memory ones (access.py, command_windows.py) over
the database: hits are rows of `rate_hits` (bot/store/rate_hits.py), and the jobs in flight
are the payer's unanswered pending jobs, whichever process answers them. One SQLite
process keeps the in-memory ones: nothing else could count there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.store.index import Index, iso
from bot.store.leases import Clock, utc_now
from bot.store.outage import ConnectionLostError, DatabaseUnavailableError
from bot.store.rate_hits import RateHits
from bot.telegram.access import InFlight, UserRateLimit
from bot.telegram.command_windows import CommandLimits

HOUR_S = 3600.0
# While the database is away each process counts alone, in memory (its parent class), as
# one SQLite process does: a message is answered late, never refused for the outage. The
# event loop's calls (*_off_loop) run on the database thread, which waits for the server up
# to DATABASE_RETRY_S before giving up (DatabaseUnavailableError); a synchronous call's
# lost connection gives up at once.
OUTAGE = (ConnectionLostError, DatabaseUnavailableError)
# An accepted job is counted by this process from `take` until its pending row is written
# (a moment later) or it is released; a row never written (a refusal whose release was lost)
# stops counting after this, so a leak cannot lock a user out for good.
ACCEPTING_S = 30.0


class SharedRateLimit(UserRateLimit):
    """UserRateLimit over `rate_hits`: at most N hits per key per hour, in every process."""

    def __init__(self, hits: RateHits, scope: str, per_hour: int) -> None:
        super().__init__(per_hour)
        self._rows, self._scope = hits, scope

    def try_acquire(self, key: int | str) -> float | None:
        """Count one hit; return None if allowed, else the seconds until it would be."""
        try:
            wait = self._rows.try_hit(self._scope, str(key), self._limit, HOUR_S)
        except OUTAGE:
            return super().try_acquire(key)
        return _whole(wait)

    async def try_acquire_off_loop(self, key: int | str) -> float | None:
        """Count one hit on the database thread; None if allowed, else the seconds to wait."""
        try:
            wait = await self._rows.try_hit_off_loop(self._scope, str(key), self._limit, HOUR_S)
        except OUTAGE:
            return super().try_acquire(key)
        return _whole(wait)

    def refund(self, key: int | str) -> None:
        """Give back the latest hit (the work it paid for failed)."""
        try:
            self._rows.refund(self._scope, str(key))
        except OUTAGE:
            super().refund(key)

    async def refund_off_loop(self, key: int | str) -> None:
        """Give back the latest hit, on the database thread."""
        try:
            await self._rows.refund_off_loop(self._scope, str(key))
        except OUTAGE:
            super().refund(key)


def _whole(wait: float | None) -> float | None:
    return None if wait is None else max(1.0, math.ceil(wait))


class SharedCommandLimits(CommandLimits):
    """CommandLimits over `rate_hits`: uses per (chat, command), in every process."""

    def __init__(self, hits: RateHits, overrides: Mapping[str, tuple[int, int]] | None) -> None:
        super().__init__(overrides)
        self._rows = hits

    def try_use(self, chat_id: int, command: str) -> float | None:
        """Count one use; return None if allowed, else the seconds until one would be."""
        try:
            return self._rows.try_hit(*self._window(chat_id, command))
        except OUTAGE:
            return super().try_use(chat_id, command)

    async def try_use_off_loop(self, chat_id: int, command: str) -> float | None:
        """Count one use on the database thread; None if allowed, else the seconds to wait."""
        try:
            return await self._rows.try_hit_off_loop(*self._window(chat_id, command))
        except OUTAGE:
            return super().try_use(chat_id, command)

    def _window(self, chat_id: int, command: str) -> tuple[str, str, int, float]:
        """Return the rows' scope and key, and the limit's uses and window in seconds."""
        uses, minutes = self.limit(command)
        return f"command:{command}", str(chat_id), uses, minutes * 60.0


@dataclass(eq=False)  # told apart by identity: two jobs may be taken at one instant
class _Taken:
    at: datetime


class SharedInFlight(InFlight):
    """InFlight counted from `pending_jobs`: the payer's jobs not yet answered, by anyone.

    The key is access.py's quota key ("user:<id>" or "chat:<id>"); a job's user_id is the
    same payer (groups.payer_of). Jobs this process accepted and has not written yet count
    too, or a burst of messages would all pass before the first row is written.
    """

    def __init__(self, index: Index, limit: int, *, clock: Clock = utc_now) -> None:
        super().__init__(limit)
        self._index, self._clock = index, clock
        self._accepting: dict[str, list[_Taken]] = {}

    def take(self, key: str) -> Callable[[], None] | None:
        """Count one job in flight; return its release (given at most once), or None if full."""
        if self.count(key) >= self._limit:
            return None
        return self._accept(key)

    async def take_off_loop(self, key: str) -> Callable[[], None] | None:
        """Take as `take` does, reading the rows on the database thread."""
        # Counted before the read, so a burst's later messages count this one meanwhile;
        # each compares only the jobs taken before it, so a burst is cut at the limit.
        ahead = self._fresh(key)
        release = self._accept(key)
        if await self._count_off_loop(key, ahead) >= self._limit:
            release()
            return None
        return release

    def _accept(self, key: str) -> Callable[[], None]:
        taken = _Taken(self._clock())
        self._accepting.setdefault(key, []).append(taken)

        def release() -> None:
            accepting = self._accepting.get(key, [])
            if taken in accepting:
                accepting.remove(taken)
            if not accepting:
                self._accepting.pop(key, None)

        return release

    def count(self, key: str) -> int:
        """Return how many jobs of `key` are in flight, in every process."""
        accepting = self._fresh(key)
        try:
            rows = _open_jobs(self._index, _since(accepting, self._clock()), payer_id(key))
        except OUTAGE:
            return len(accepting)  # this process's own, as far as it can tell
        return _in_flight(rows, accepting)

    async def count_off_loop(self, key: str) -> int:
        """Return how many jobs of `key` are in flight, reading on the database thread."""
        return await self._count_off_loop(key, self._fresh(key))

    async def _count_off_loop(self, key: str, accepting: list[_Taken]) -> int:
        since = _since(accepting, self._clock())
        try:
            rows = await self._index.run(_open_jobs, since, payer_id(key))
        except OUTAGE:
            return len(accepting)
        return _in_flight(rows, accepting)

    def _fresh(self, key: str) -> list[_Taken]:
        """Return this process's unwritten jobs of `key`, forgetting those taken too long ago."""
        fresh = self._clock() - timedelta(seconds=ACCEPTING_S)
        accepting = [t for t in self._accepting.pop(key, []) if t.at > fresh]
        if accepting:
            self._accepting[key] = accepting
        return list(accepting)


def _since(accepting: list[_Taken], now: datetime) -> datetime:
    return min((t.at for t in accepting), default=now)


def _open_jobs(index: Index, since: datetime, payer: int) -> tuple[int, int]:
    """Return the payer's open jobs, and how many of them were written since `since`."""
    open_jobs, written = index.connection.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) "
        "FROM pending_jobs WHERE user_id = ? AND done_at IS NULL",
        (iso(since), payer),
    ).fetchone()
    return int(open_jobs), int(written)


def _in_flight(rows: tuple[int, int], accepting: list[_Taken]) -> int:
    # Jobs written since this process's oldest unwritten one are taken to be those.
    open_jobs, written = rows
    return open_jobs + max(0, len(accepting) - written)


def payer_id(key: str) -> int:
    """Return the payer a quota key names: "user:5" → 5, "chat:-100" → -100."""
    return int(key.rsplit(":", 1)[-1])


@dataclass(frozen=True)
class Limits:
    """The quotas a Telegram application checks, of one kind: in memory or shared."""

    rate_limit: UserRateLimit
    chat_rate_limit: UserRateLimit
    command_limits: CommandLimits
    fetch_quota: UserRateLimit
    in_flight: InFlight


def build_limits(settings: Settings, index: Index, *, clock: Clock = utc_now) -> Limits:
    """Return the shared limits on PostgreSQL, else this process's own (one SQLite process)."""
    if index.engine != "postgresql":
        return Limits(
            UserRateLimit(settings.user_rate_limit_per_hour),
            UserRateLimit(settings.chat_rate_limit_per_hour),
            CommandLimits(settings.command_limits),
            UserRateLimit(settings.user_hourly_fetches),
            InFlight(settings.user_jobs_in_flight),
        )
    hits = RateHits(index, clock=clock)
    return Limits(
        SharedRateLimit(hits, "user", settings.user_rate_limit_per_hour),
        SharedRateLimit(hits, "chat", settings.chat_rate_limit_per_hour),
        SharedCommandLimits(hits, settings.command_limits),
        SharedRateLimit(hits, "fetch", settings.user_hourly_fetches),
        SharedInFlight(index, settings.user_jobs_in_flight, clock=clock),
    )
