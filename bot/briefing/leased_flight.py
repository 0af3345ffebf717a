"""Single flight across processes: one process briefs an article, the others wait for it.

SingleFlight (briefing_cache.py) makes concurrent requests of one process share one LLM
call. Processes sharing a database (docs/operations.md, "Several processes") would each
make their own, so the LLM call also runs under the lease `brief:<cache key>`
(bot/store/leases.py). Whoever takes it briefs, renewing it while the model works, and lets
go when the briefing is in the cache. Whoever finds it held looks in the cache every
POLL_S until the briefing is there (a cache hit for it), or until the lease is free or
lapsed (its holder failed or died), and then takes it and briefs. Cache hits never get
here, so they never touch a lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.store.index import Index
from bot.store.lease_hold import Hold
from bot.store.leases import Clock, Leases, this_process, utc_now

log = logging.getLogger(__name__)

V = TypeVar("V")
Sleep = Callable[[float], Awaitable[None]]
# Long enough that a renewal (every LEASE_S / 3) is never late on a busy host; short
# enough that a killed holder's article waits at most this long for another process.
LEASE_S = 30.0
POLL_S = 0.5  # a waiter's look at the cache: one cheap read on the database thread


class LeasedFlight(Generic[V]):
    """Run work under a lease named after its key, or wait for its result in the cache."""

    def __init__(
        self,
        index: Index,
        *,
        owner: str | None = None,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        lease_s: float = LEASE_S,
        poll_s: float = POLL_S,
    ) -> None:
        self._index = index
        self.owner = owner or this_process()
        self._clock, self._sleep = clock, sleep
        self._lease_s, self._poll_s = lease_s, poll_s

    async def run(
        self, key: str, cached: Callable[[Index], V | None], make: Callable[[], Awaitable[V]]
    ) -> tuple[V, bool]:
        """Return (value, shared): `make()`'s under the lease, or another process's result.

        `cached(index)` reads the result on the database thread (None until it is there).
        """
        name = f"brief:{key}"
        while True:
            took, hit = await self._index.run(self._take_or_look, name, cached)
            if hit is not None:
                return hit, True
            if took:
                break
            await self._sleep(self._poll_s)
        # Renewed and let go of as Hold does for digests and feeds (bot/store/lease_hold.py).
        held = Hold(Leases(self._index, self.owner, clock=self._clock), name, self._lease_s)
        renewing = asyncio.create_task(held.keep(self._sleep), name=f"renew-{name[:40]}")
        try:
            return await make(), False
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            try:
                await held.leases.release_off_loop(name)
            except Exception:  # the database is away: the lease lapses by itself
                log.warning("could not release lease %s", name, exc_info=True)

    def _leases(self, index: Index) -> Leases:
        return Leases(index, self.owner, clock=self._clock)

    def _take_or_look(
        self, index: Index, name: str, cached: Callable[[Index], V | None]
    ) -> tuple[bool, V | None]:
        """Take the lease and look in the cache, in one trip to the database thread.

        Looked at after taking it too: its last holder may have finished between this
        request's own cache lookup and now.
        """
        took = self._leases(index).take(name, self._lease_s)
        hit = cached(index)
        if took and hit is not None:
            self._leases(index).release(name)
        return took, hit
