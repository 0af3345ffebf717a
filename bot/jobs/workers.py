"""The worker pool: a fixed number of asyncio tasks answering queued jobs, in order.

How many workers run, how a persisted job reaches one, and how they start, drain and
stop is scheduling; what a worker does with a job (brief, reply, close, apologise) is the
`JobRunner` in runner.py. The pool knows only a job and the coroutine that answers it, and
(hosts.py) parks a link whose host already has its share of fetches running. It tells the
claim loop (claim_loop.py) how many workers are free, so a process takes no more jobs from
the database than it can start on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.jobs.attempt import Refund
from bot.jobs.hosts import HostSlots
from bot.jobs.pending import Job
from bot.logs import UpdateTrace, current_trace

log = logging.getLogger(__name__)

Done = Callable[[], None]  # told when a job's answer is over (jobs in flight, hosts.py)


@dataclass(frozen=True)
class Queued:
    """A job in the queue, with what its answer needs."""

    job: Job
    resumed: bool
    trace: UpdateTrace | None
    refund: Refund | None
    done: Done | None
    redelivery: bool = False  # only its reply is missing (runner.py)


class WorkerPool:
    """A fixed number of asyncio workers taking jobs from a queue, started and stopped once."""

    def __init__(
        self,
        size: int,
        answer: Callable[..., Awaitable[None]],
        hosts: HostSlots[Queued] | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._size = size
        self._answer = answer
        self._queue: asyncio.Queue[Queued] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._later: set[asyncio.Task[None]] = set()  # redeliveries waiting for their time
        self._outstanding: set[int] = set()  # queued, parked or being answered here
        self._freed = asyncio.Event()  # a job was answered: a worker may be free
        self.sleep = sleep
        self.hosts: HostSlots[Queued] = hosts or HostSlots(per_host=size)
        self.hosts.resume = self._queue.put_nowait

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
        done: Done | None = None,
    ) -> None:
        """Queue a persisted job for a worker (with the trace of the update that brought it)."""
        self._put(Queued(job, resumed, trace, refund, done))

    def hand_over(
        self, job: Job, *, refund: Refund | None = None, done: Done | None = None
    ) -> None:
        """Queue a job from an update's handler; the worker finishes the update's log line.

        Without workers (JOB_WORKERS=0) the job waits in the database for a worker process,
        and `done` is told at once: this process will not answer it.
        """
        if self._size == 0:
            if done is not None:
                done()
            return
        trace = current_trace()
        if trace is not None:
            trace.deferred = True  # its outcome is known when the worker is done
        self.submit(job, trace=trace, refund=refund, done=done)

    def submit_later(self, job: Job, delay: float) -> None:
        """Queue a job again after `delay` seconds, to deliver the reply an outage held up."""

        async def wait_then_submit() -> None:
            await self.sleep(delay)
            self._put(
                Queued(job, resumed=False, trace=None, refund=None, done=None, redelivery=True)
            )

        task = asyncio.create_task(wait_then_submit(), name=f"redeliver-{job.id}")
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    async def join(self) -> None:
        """Wait until every queued job, and every redelivery due, has been answered."""
        # A parked job is back in the queue before the job holding its host's slot is done.
        await self._queue.join()
        while self._later:
            await asyncio.gather(*self._later, return_exceptions=True)
            await self._queue.join()

    @property
    def free(self) -> int:
        """Return how many more jobs the workers could start on now."""
        return max(0, self._size - len(self._outstanding))

    def holds(self, job_id: int) -> bool:
        """Tell whether a job is queued, parked or being answered here."""
        return job_id in self._outstanding

    async def freed(self) -> None:
        """Wait until a worker is free."""
        while self.free == 0:
            self._freed.clear()
            await self._freed.wait()

    def _put(self, item: Queued) -> None:
        self._outstanding.add(item.job.id)
        self._queue.put_nowait(item)

    @property
    def alive(self) -> int:
        """Return how many workers are running (all of them, unless stopped)."""
        return sum(not task.done() for task in self._tasks)

    async def stop(self) -> None:
        """Cancel the workers; unfinished jobs stay pending on disk for the next start."""
        tasks = [*self._tasks, *self._later]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            job = item.job
            try:
                if not self.hosts.admit(job, item):
                    continue  # parked: back in the queue when its host has a free slot
                extra = {"redelivery": True} if item.redelivery else {}
                try:
                    await self._answer(
                        job, resumed=item.resumed, trace=item.trace, refund=item.refund, **extra
                    )
                finally:
                    self.hosts.release(job.id)
                    self._outstanding.discard(job.id)
                    self._freed.set()
                    if item.done is not None:
                        item.done()
            except Exception:  # never the end of a worker; cancelling still is
                log.exception("job %s stays pending: answering it raised", job.id)
            finally:
                self._queue.task_done()
