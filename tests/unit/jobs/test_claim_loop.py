"""The claim loop and the runner's claim: free workers take what nobody holds, once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.jobs import claims
from bot.jobs.claim_loop import ClaimLoop
from bot.jobs.claims import JobClaims
from bot.jobs.outbox import Outbox
from bot.jobs.pending import Job, JobKind, PendingStore
from bot.jobs.runner import JobRunner
from bot.jobs.workers import WorkerPool
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from tests.blobs_kit import a_clock
from tests.harness import FakeClock
from tests.unit.jobs.test_job_runner import FakeReplies, Scripted

LEASE = 60.0


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    made = Index(tmp_path / "index.sqlite3")
    yield made
    made.close()


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


class Answers:
    """What the pool's workers were asked to answer, and how."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, bool]] = []

    async def __call__(self, job: Job, *, resumed: bool = False, **_: Any) -> None:
        self.seen.append((job.id, resumed))


def _add(index: Index, clock: FakeClock, message_id: int) -> Job:
    job = PendingStore(index).add(JobKind.TEXT, chat_id=1, message_id=message_id,
                                  reply_to=message_id, now=clock(), text="t")  # fmt: skip
    assert job is not None
    return job


async def _answered(pool: WorkerPool) -> None:
    pool.start()
    try:
        await asyncio.wait_for(pool.join(), timeout=5)
    finally:
        await pool.stop()


async def test_a_job_a_dead_process_held_is_answered_here_once_its_lease_lapses(
    index: Index, clock: FakeClock
) -> None:
    job = _add(index, clock, 7)
    assert claims.claim(index, job.id, "elsewhere:1:dead", LEASE, clock())
    answers = Answers()
    pool = WorkerPool(2, answers)
    loop = ClaimLoop(JobClaims(index, LEASE, owner="here:2:b", clock=clock), pool, poll_s=1.0)
    loop.started = clock() + timedelta(days=1)  # every job is from "before the restart"…
    assert await loop.sweep() is False  # still held: nothing to take, workers idle
    assert pool.free == 2
    clock.advance(seconds=LEASE)
    loop.started = clock() - timedelta(days=1)  # …or none is: the lapse alone says sorry
    await loop.sweep()
    await _answered(pool)
    assert answers.seen == [(job.id, True)]
    assert loop.claims.held == {job.id}


async def test_a_sweep_takes_no_more_than_the_free_workers_and_no_job_queued_here(
    index: Index, clock: FakeClock
) -> None:
    jobs = [_add(index, clock, n) for n in range(1, 6)]
    answers = Answers()
    pool = WorkerPool(3, answers)
    loop = ClaimLoop(JobClaims(index, LEASE, owner="here:2:b", clock=clock), pool, poll_s=1.0)
    loop.started = clock() - timedelta(days=1)  # all arrived while this process ran
    pool.submit(jobs[0])  # handed over by its update's handler: queued here, not claimed yet
    # Two free: the oldest two claimed, the one queued here already not queued again.
    assert await loop.sweep() is True  # as many claimed as asked: more may be waiting
    assert pool.free == 1
    assert await loop.sweep() is True
    assert pool.free == 0
    assert await loop.sweep() is True  # no free worker: nothing claimed
    await _answered(pool)
    assert sorted(answers.seen) == [(job.id, False) for job in jobs[:3]]  # once each
    assert loop.claims.held == {job.id for job in jobs[:3]}


async def test_a_process_without_workers_stores_jobs_for_others_and_tells_done_at_once(
    index: Index, clock: FakeClock
) -> None:
    answers, told = Answers(), []
    pool = WorkerPool(0, answers)
    pool.hand_over(_add(index, clock, 7), done=lambda: told.append(1))
    assert (told, pool.free) == ([1], 0)
    await _answered(pool)
    assert answers.seen == []
    [(job, lapsed)] = claims.claim_next(index, "worker", 5, LEASE, clock())
    assert (job.message_id, lapsed) == (7, False)


async def test_the_runner_skips_a_job_another_live_process_holds(
    index: Index, clock: FakeClock, tmp_path: Path
) -> None:
    pending, replies = PendingStore(index), FakeReplies()
    outbox = Outbox(replies, pending, ArticleTexts(tmp_path / "texts"))
    handler = Scripted(outbox)
    runner = JobRunner(outbox, dict.fromkeys(JobKind, handler))
    runner.claims = JobClaims(index, LEASE, owner="here:2:b", clock=clock)
    theirs, ours = _add(index, clock, 7), _add(index, clock, 8)
    assert claims.claim(index, theirs.id, "there:3:c", LEASE, clock())
    await runner.answer(theirs)
    await runner.answer(ours)
    assert [job_id for job_id, _ in replies.sent] == [ours.id]
    assert [job.id for job in pending.pending()] == [theirs.id]  # left to its holder
    assert runner.claims.held == {ours.id}
    assert await runner.claims.renew() == set()  # done: its claim went with it
    assert runner.claims.held == set()


async def test_stopping_lets_go_of_what_this_process_holds(index: Index, clock: FakeClock) -> None:
    job = _add(index, clock, 7)
    mine = JobClaims(index, LEASE, owner="here:2:b", clock=clock)
    assert await mine.claim(job.id)
    loop = ClaimLoop(mine, WorkerPool(1, Answers()), poll_s=1.0)
    await loop.release()
    assert mine.held == set()
    [(taken, lapsed)] = claims.claim_next(index, "next", 1, LEASE, clock())
    assert (taken.id, lapsed) == (job.id, False)


async def test_the_heartbeat_keeps_a_held_job_past_its_first_lease(
    index: Index, clock: FakeClock
) -> None:
    job = _add(index, clock, 7)
    mine = JobClaims(index, 30.0, owner="here:2:b", clock=clock)
    assert await mine.claim(job.id)
    beats: list[float] = []
    stopped = asyncio.Event()

    async def sleep(seconds: float) -> None:  # the heartbeat's: no worker, so no polling
        beats.append(seconds)
        if len(beats) == 5:
            stopped.set()
            await asyncio.Event().wait()
        clock.advance(seconds=seconds)

    loop = ClaimLoop(mine, WorkerPool(0, Answers()), poll_s=1.0, sleep=sleep)
    loop.start()
    await asyncio.wait_for(stopped.wait(), timeout=5)
    await loop.stop()
    assert beats == [10.0] * 5  # a third of the lease
    assert claims.claim_next(index, "other", 1, 30.0, clock()) == []  # still held
    clock.advance(seconds=30)  # no beat since 40 s: lapsed at 70 s
    assert len(claims.claim_next(index, "other", 1, 30.0, clock())) == 1
