"""The database going away and coming back: what a lost connection raises, and how long to wait.

PostgreSQL restarts (an upgrade, a failover, a managed service's maintenance) drop every
connection. PgConnection reconnects by itself (pg_connection.py); what it cannot hide, a
unit of work cut off before its COMMIT, it raises as `ConnectionLostError`, and Index.run
runs that unit again once the server answers, for up to DATABASE_RETRY_S
(`retry_unit`). Only then does the caller see `DatabaseUnavailableError`, one clear line.

This module imports no driver: SQLite never raises these, and psycopg is an optional extra.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.errors import BriefbotError

log = logging.getLogger(__name__)

R = TypeVar("R")


class ConnectionLostError(BriefbotError):
    """The connection to the database broke; the statement or transaction did not finish.

    A transaction cut off before its COMMIT was rolled back by the server. A COMMIT (or an
    autocommit statement) whose answer was lost may have been applied: see Index.run.
    """


class DatabaseUnavailableError(BriefbotError):
    """The database did not come back within the bound; nothing of the unit was written."""

    operator_note = "the wait is DATABASE_RETRY_S"


@dataclass(frozen=True)
class RetryPolicy:
    """How long a unit of work waits for the database, and how it spaces its tries."""

    bound_s: float = 60.0  # DATABASE_RETRY_S
    first_delay_s: float = 0.1
    max_delay_s: float = 2.0  # a restarted server is noticed within this, not a minute later
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def delays(self) -> Callable[[], float]:
        """Return a source of growing delays: doubling from first_delay_s up to max_delay_s."""
        delay = self.first_delay_s / 2

        def following() -> float:
            nonlocal delay
            delay = min(delay * 2, self.max_delay_s)
            return delay

        return following


def lost(exc: BaseException) -> bool:
    """Tell whether `exc`, or an error it was raised from, is a lost connection."""
    seen: BaseException | None = exc
    for _ in range(8):  # a BlobError wraps one; no cause chain here is longer
        if seen is None:
            return False
        if isinstance(seen, ConnectionLostError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def retry_unit(attempt: Callable[[], Awaitable[R]], policy: RetryPolicy) -> R:
    """Run `attempt` until it does not lose its connection, for up to `policy.bound_s`.

    The wait is the event loop's (asyncio.sleep): the database thread is free meanwhile, and
    every other unit queued on it tries, and waits, on its own.
    """
    started, following = policy.clock(), policy.delays()
    while True:
        try:
            return await attempt()
        except Exception as exc:
            if not lost(exc):
                raise
            waited = policy.clock() - started
            if waited >= policy.bound_s:
                raise DatabaseUnavailableError(
                    f"the database did not answer for {waited:.0f} s: {exc}"
                ) from exc
            delay = min(following(), policy.bound_s - waited)
            log.warning("database connection lost (%s); trying again in %.1f s", exc, delay)
            await policy.sleep(delay)
