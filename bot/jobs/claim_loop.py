"""The claim loop: a process with workers takes the jobs nobody holds, and keeps what it holds.

Jobs reach a worker two ways. An update's handler hands its new job to this process's pool
(`WorkerPool.hand_over`); and this loop claims, every JOB_POLL_S, as many of the oldest
jobs nobody holds as the pool has free workers: jobs another process received without
workers of its own (JOB_WORKERS=0), jobs left by a process that stopped or was killed, and,
at start-up, this process's own from before a restart. A heartbeat renews every lease this
process holds each third of JOB_LEASE_S, so only a process that stopped renewing (killed,
or paused for longer than a lease) loses its jobs to another.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.jobs.claims import JobClaims
from bot.jobs.workers import WorkerPool

log = logging.getLogger(__name__)


class ClaimLoop:
    """Claim jobs for the pool's free workers, and renew this process's leases."""

    def __init__(
        self,
        claims: JobClaims,
        pool: WorkerPool,
        *,
        poll_s: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.claims = claims
        self._pool = pool
        self._poll_s = poll_s
        self.sleep = sleep
        # Jobs accepted before this instant waited through a restart: their replies say sorry.
        # The wall clock, as jobs are stamped with it (the claims' clock may be a test's).
        self.started = datetime.now(UTC)
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start claiming (the first round at once) and renewing, in the running event loop."""
        self.started = datetime.now(UTC)
        self._tasks = [
            asyncio.create_task(self._claiming(), name="job-claims"),
            asyncio.create_task(self._renewing(), name="job-leases"),
        ]

    async def sweep(self) -> bool:
        """Claim jobs for the free workers and queue them; tell whether every worker is busy."""
        free = self._pool.free
        if free == 0:
            return True
        claimed = await self.claims.claim_next(free)
        resumed = 0
        for job, lapsed in claimed:
            if self._pool.holds(job.id):
                continue  # queued here already, by its update's handler
            late = lapsed or job.created_at < self.started
            resumed += late
            self._pool.submit(job, resumed=late)
        if resumed:
            log.info("resuming %d pending job(s) from before a restart or a process's end", resumed)
        return len(claimed) == free

    async def stop(self) -> None:
        """Stop claiming and renewing (the pool's jobs are let go of by `release`)."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def release(self) -> None:
        """Let go of every job this process holds, for another to claim at once."""
        try:
            await self.claims.release_all()
        except Exception:  # their leases lapse instead
            log.exception("could not let go of this process's jobs; their leases will lapse")

    async def _claiming(self) -> None:
        while True:
            try:
                busy = await self.sweep()
            except Exception:  # the database away for a while: try again next round
                log.exception("claiming jobs failed; trying again in %.1f s", self._poll_s)
                busy = False
            if busy:
                await self._pool.freed()  # a worker is free: more jobs may be waiting
            else:
                await self.sleep(self._poll_s)

    async def _renewing(self) -> None:
        while True:
            await self.sleep(self.claims.lease_s / 3)
            try:
                await self.claims.renew()
            except Exception:
                log.exception("renewing this process's job leases failed; trying again")
