"""The daily token budgets when several processes share one PostgreSQL database.

TokenBudget keeps its reservations in memory, which is right for one process: its
check-and-reserve runs with no await in between. Processes sharing a database would each
see only their own calls in flight, and two of them could spend the last headroom twice.
Here a reservation is a row of `budget_holds`, written in the transaction that checked the
headroom, with every reserver of every process serialised on one advisory lock; the row
is deleted when the call's real cost is booked. A process killed mid-call never deletes
its rows: each lapses when no call could still be running (`hold_seconds`).

A metered call reserves and releases on the database thread (Index.run), off the event
loop; a database away past DATABASE_RETRY_S leaves this process reserving in memory.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.llm.port import REPAIR_ROUNDS
from bot.ops.budget import BudgetExceededError, Clock, Reservation, TokenBudget
from bot.ops.stats import Events, tokens_booked
from bot.store.index import Index, iso
from bot.store.leases import this_process
from bot.store.outage import ConnectionLostError, DatabaseUnavailableError
from bot.store.serialise import serialise

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.config import Settings

# A lost connection (on the caller's connection), or the database thread's wait for the
# server ran out: either way this process counts alone until it is back.
OUTAGE = (ConnectionLostError, DatabaseUnavailableError)
# The longest pause between two attempts (OpenAIAdapter's backoff_max_s).
BACKOFF_MAX_S = 30.0


def hold_seconds(settings: Settings) -> float:
    """Return how long one metered call can last: every attempt of every round timed out."""
    per_round = (settings.llm_timeout_s + BACKOFF_MAX_S) * settings.llm_max_attempts
    return per_round * (REPAIR_ROUNDS + 1)


class SharedTokenBudget(TokenBudget):
    """TokenBudget whose calls in flight are rows of `budget_holds`, seen by every process."""

    def __init__(
        self,
        settings: Settings,
        events: Events,
        index: Index,
        *,
        owner: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(settings, events, clock=clock)
        self._index = index
        self._owner = owner or this_process()
        self._hold_s = hold_seconds(settings)

    def reserve(self, user_id: int | None, tokens: int) -> Reservation:
        """Set `tokens` aside, or raise BudgetExceededError (the CLI's and tests' way)."""
        try:
            return _reserve(self._index, self._hold(user_id, tokens))
        except OUTAGE:  # the database is away: this process reserves alone
            return super().reserve(user_id, tokens)

    async def reserve_off_loop(self, user_id: int | None, tokens: int) -> Reservation:
        """Set `tokens` aside on the database thread, or raise BudgetExceededError."""
        try:
            return await self._index.run(_reserve, self._hold(user_id, tokens))
        except OUTAGE:  # away past DATABASE_RETRY_S: this process reserves alone, as before
            return super().reserve(user_id, tokens)

    def _hold(self, user_id: int | None, tokens: int) -> Hold:
        now = self._clock()
        start, reset = self.day_bounds()
        until = now + timedelta(seconds=self._hold_s)
        return Hold(self._owner, user_id, tokens, now, until,
                    self._global_limit, self._user_limit, start, reset)  # fmt: skip

    def release(self, reservation: Reservation) -> None:
        """Give a reservation back (the real figure has been booked, or nothing was spent)."""
        if reservation.hold is None:  # reserved in memory, in an outage
            super().release(reservation)
            return
        try:
            _release(self._index, reservation.hold)
        except OUTAGE:  # left to lapse (hold_seconds), as a killed process's
            log.warning("budget hold %s not released: the database is away", reservation.hold)

    async def release_off_loop(self, reservation: Reservation) -> None:
        """Give a reservation back on the database thread."""
        if reservation.hold is None:
            super().release(reservation)
            return
        try:
            await self._index.run(_release, reservation.hold)
        except OUTAGE:
            log.warning("budget hold %s not released: the database is away", reservation.hold)


@dataclass(frozen=True)
class Hold:
    """One reservation to check and write: who, how much, until when, against which limits."""

    owner: str
    user_id: int | None
    tokens: int
    now: datetime
    until: datetime
    global_limit: int  # 0: not checked
    user_limit: int
    day_start: datetime
    resets_at: datetime


def _reserve(index: Index, hold: Hold) -> Reservation:
    # Run twice after a lost COMMIT answer, it leaves one hold too many, which lapses
    # (hold_seconds): the budget errs on the side of refusing, never of overspending.
    with index.transaction() as db:
        serialise(db, "budget")  # one reserver at a time, in every process
        db.execute("DELETE FROM budget_holds WHERE until <= ?", (iso(hold.now),))
        if hold.global_limit or hold.user_limit:  # no budget set: nothing to read
            _check(db, hold)
        row = db.execute(
            "INSERT INTO budget_holds (owner, user_id, tokens, until) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (hold.owner, hold.user_id, hold.tokens, iso(hold.until)),
        ).fetchone()
    return Reservation(hold.user_id, hold.tokens, int(row[0]))


def _check(db: sqlite3.Connection, hold: Hold) -> None:
    """Raise BudgetExceededError if the hold breaks a budget (all processes' holds count)."""
    rows = db.execute("SELECT user_id, SUM(tokens) FROM budget_holds GROUP BY user_id")
    held: dict[int | None, int] = {row[0]: int(row[1]) for row in rows}
    if hold.global_limit:
        spent = tokens_booked(db, hold.day_start) + sum(held.values())
        if spent + hold.tokens > hold.global_limit:
            raise BudgetExceededError("global", hold.global_limit, hold.resets_at, hold.now)
    if hold.user_limit and hold.user_id is not None:
        spent = tokens_booked(db, hold.day_start, user_id=hold.user_id)
        if spent + held.get(hold.user_id, 0) + hold.tokens > hold.user_limit:
            raise BudgetExceededError("user", hold.user_limit, hold.resets_at, hold.now)


def _release(index: Index, hold: int) -> None:
    with index.transaction() as db:  # keyed: deleting it twice is harmless
        db.execute("DELETE FROM budget_holds WHERE id = ?", (hold,))
