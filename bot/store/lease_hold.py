"""Holding a lease for the length of one piece of work: renewed while it goes on, let go after.

`Leases` (bot/store/leases.py) says who holds a name; this is how a task holds one across
awaits. The lease is renewed every third of its span, so a process must miss two renewals in a
row (a blocked loop, a database away) before another may take the work over; and `still_held`
renews at once, for the moment before an act that cannot be undone (sending a digest).
Taking, renewing and letting go run on the database thread (Index.run): a task holding a
lease never stalls the event loop on the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.store.leases import Leases

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]


class Hold:
    """A lease this task took: renew it, or ask whether it is still ours."""

    def __init__(self, leases: Leases, name: str, seconds: float) -> None:
        self.leases = leases
        self.name = name
        self.seconds = seconds

    async def still_held(self) -> bool:
        """Renew the lease now; tell whether this process still holds it."""
        return self.name in await self.leases.renew_off_loop([self.name], self.seconds)

    async def keep(self, sleep: Sleep) -> None:
        """Renew every third of the span until cancelled, or until the lease is lost."""
        while True:
            await sleep(self.seconds / 3)
            try:
                if not await self.still_held():
                    log.warning("lease %s lapsed and passed to another process", self.name)
                    return
            except Exception:  # the database away: the next renewal may reach it
                log.warning("could not renew lease %s", self.name, exc_info=True)


@contextlib.asynccontextmanager
async def hold(
    leases: Leases, name: str, seconds: float, *, sleep: Sleep = asyncio.sleep
) -> AsyncIterator[Hold | None]:
    """Hold `name` for the block (None: another process holds it); release it after."""
    if not await leases.take_off_loop(name, seconds):
        yield None
        return
    held = Hold(leases, name, seconds)
    keeper = asyncio.create_task(held.keep(sleep), name=f"lease {name}")
    try:
        yield held
    finally:
        # Not awaited (that could swallow a cancellation meant for this task): a renewal it
        # already handed to the database thread runs before the release, which is queued after.
        keeper.cancel()
        try:
            await leases.release_off_loop(name)
        except Exception:  # unreleased, it lapses after `seconds`: only a delay
            log.warning("could not release lease %s; it will lapse", name, exc_info=True)
