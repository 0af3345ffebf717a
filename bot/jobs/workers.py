"""The worker pool: a fixed number of asyncio tasks answering queued jobs, in order.

How many workers run, how a persisted job reaches one, and how they start, drain and
stop is scheduling; what a worker does with a job (brief, reply, close, apologise) is the
`JobRunner` in runner.py. The pool knows only a job and the coroutine that answers it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.jobs.attempt import Refund
from bot.jobs.pending import Job
from bot.logs import UpdateTrace, current_trace

log = logging.getLogger(__name__)


class WorkerPool:
    """A fixed number of asyncio workers taking jobs from a queue, started and stopped once."""

    def __init__(self, size: int, answer: Callable[..., Awaitable[None]]) -> None:
        self._size = size
        self._answer = answer
        self._queue: asyncio.Queue[tuple[Job, bool, UpdateTrace | None, Refund | None]] = (
            asyncio.Queue()
        )
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start the workers (in the running event loop)."""
        self._tasks = [
            asyncio.create_task(self._work(), name=f"briefing-worker-{i}")
            for i in range(self._size)
        ]

    def submit(
        self,
        job: Job,
        *,
        resumed: bool = False,
        trace: UpdateTrace | None = None,
        refund: Refund | None = None,
    ) -> None:
        """Queue a persisted job for a worker (with the trace of the update that brought it)."""
        self._queue.put_nowait((job, resumed, trace, refund))

    def hand_over(self, job: Job, *, refund: Refund | None = None) -> None:
        """Queue a job from an update's handler; the worker finishes the update's log line."""
        trace = current_trace()
        if trace is not None:
            trace.deferred = True  # its outcome is known when the worker is done
        self.submit(job, trace=trace, refund=refund)

    async def join(self) -> None:
        """Wait until every queued job has been answered (tests, benchmarks)."""
        await self._queue.join()

    async def stop(self) -> None:
        """Cancel the workers; unfinished jobs stay pending on disk for the next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            job, resumed, trace, refund = await self._queue.get()
            try:
                await self._answer(job, resumed=resumed, trace=trace, refund=refund)
            except Exception:  # never the end of a worker; cancelling still is
                log.exception("job %s stays pending: answering it raised", job.id)
            finally:
                self._queue.task_done()
