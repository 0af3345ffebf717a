"""The daily token budgets when several processes share one PostgreSQL database.

TokenBudget keeps its reservations in memory, which is right for one process: its
check-and-reserve runs with no await in between. Processes sharing a database would each
see only their own calls in flight, and two of them could spend the last headroom twice.
Here a reservation is a row of `budget_holds`, written in the transaction that checked the
headroom, with every reserver of every process serialised on one advisory lock; the row
is deleted when the call's real cost is booked. A process killed mid-call never deletes
its rows: each lapses when no call could still be running (`hold_seconds`).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.llm.port import REPAIR_ROUNDS
from bot.ops.budget import BudgetExceededError, Clock, Reservation, TokenBudget
from bot.store.index import Index, iso
from bot.store.leases import this_process
from bot.store.outage import ConnectionLostError
from bot.store.serialise import serialise

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ops.stats import Events

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
        """Set `tokens` aside, or raise BudgetExceededError naming the budget it would break."""
        try:
            return self._reserve(user_id, tokens)
        except ConnectionLostError:  # the database is away: this process reserves alone
            return super().reserve(user_id, tokens)

    def _reserve(self, user_id: int | None, tokens: int) -> Reservation:
        now = self._clock()
        with self._index.transaction() as db:
            serialise(db, "budget")  # one reserver at a time, in every process
            db.execute("DELETE FROM budget_holds WHERE until <= ?", (iso(now),))
            if self.enabled:
                self._check(db, user_id, tokens, now)
            until = iso(now + timedelta(seconds=self._hold_s))
            hold = db.execute(
                "INSERT INTO budget_holds (owner, user_id, tokens, until) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (self._owner, user_id, tokens, until),
            ).fetchone()[0]
        return Reservation(user_id, tokens, int(hold))

    def _check(
        self, db: sqlite3.Connection, user_id: int | None, tokens: int, now: datetime
    ) -> None:
        """Raise BudgetExceededError if `tokens` more break a budget (all processes' holds)."""
        start, reset = self.day_bounds()
        rows = db.execute("SELECT user_id, SUM(tokens) FROM budget_holds GROUP BY user_id")
        held: dict[int | None, int] = {row[0]: int(row[1]) for row in rows}
        if self._global_limit:
            spent = self._events.tokens_since(start) + sum(held.values())
            if spent + tokens > self._global_limit:
                raise BudgetExceededError("global", self._global_limit, reset, now)
        if self._user_limit and user_id is not None:
            spent = self._events.tokens_since(start, user_id=user_id) + held.get(user_id, 0)
            if spent + tokens > self._user_limit:
                raise BudgetExceededError("user", self._user_limit, reset, now)

    def release(self, reservation: Reservation) -> None:
        """Give a reservation back (the real figure has been booked, or nothing was spent)."""
        if reservation.hold is None:  # reserved in memory, in an outage
            super().release(reservation)
            return
        try:
            with self._index.transaction() as db:
                db.execute("DELETE FROM budget_holds WHERE id = ?", (reservation.hold,))
        except ConnectionLostError:  # left to lapse (hold_seconds), as a killed process's
            log.warning("budget hold %s not released: the database is away", reservation.hold)
