"""A worker never dies: a job whose error path raises stays pending and the next is answered."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime

import pytest

from bot.jobs.attempt import Attempt
from bot.jobs.outbox import Outbox
from bot.jobs.pending import Job, JobKind, PendingStore
from bot.jobs.port import ChatClosedError
from bot.jobs.runner import JobRunner
from bot.jobs.workers import WorkerPool
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from tests.unit.jobs.test_job_runner import NOW, FakeReplies, _counting

FULL = "database or disk is full"


class FailingPending(PendingStore):
    """A pending store whose done-marking raises for the jobs it is told to fail."""

    def __init__(self, index: Index) -> None:
        super().__init__(index)
        self.full_for: set[int] = set()

    def done(self, job_id: int, now: datetime, outcome: str = "replied") -> None:
        if job_id in self.full_for:
            raise sqlite3.OperationalError(FULL)
        super().done(job_id, now, outcome)

    async def done_off_loop(
        self,
        job_id: int,
        now: datetime,
        outcome: str = "replied",
        *,
        also: Callable[[Index], object] | None = None,
    ) -> None:
        if job_id in self.full_for:
            raise sqlite3.OperationalError(FULL)
        await super().done_off_loop(job_id, now, outcome, also=also)


class Handler:
    """Raise what a job is told to raise; answer every other job."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.raises: dict[int, BaseException] = {}

    async def __call__(self, job: Job, attempt: Attempt) -> None:  # noqa: ARG002
        if job.id in self.raises:
            raise self.raises[job.id]
        if await self.outbox.deliver(job, f"answer {job.id}"):
            self.outbox.pending.done(job.id, NOW)


@pytest.fixture
def parts(tmp_path) -> tuple[FailingPending, FakeReplies, Handler, JobRunner]:
    pending = FailingPending(Index(tmp_path / "index.sqlite3"))
    replies = FakeReplies()
    outbox = Outbox(replies, pending, ArticleTexts(tmp_path / "texts"))
    handler = Handler(outbox)
    return pending, replies, handler, JobRunner(outbox, dict.fromkeys(JobKind, handler))


def _job(pending: PendingStore, message_id: int) -> Job:
    job = pending.add(JobKind.TEXT, chat_id=1, message_id=message_id, reply_to=message_id,
                      now=NOW, text="t")  # fmt: skip
    assert job is not None
    return job


def _errors_naming(caplog: pytest.LogCaptureFixture, job: Job) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and f"job {job.id}" in r.getMessage()
    ]


async def test_one_worker_survives_a_job_whose_error_path_cannot_write(parts, caplog) -> None:
    pending, replies, handler, runner = parts
    a, b = _job(pending, 7), _job(pending, 8)
    handler.raises[a.id] = RuntimeError("boom")
    pending.full_for.add(a.id)
    pool = WorkerPool(1, runner.answer)
    pool.start()
    try:
        pool.submit(a)
        pool.submit(b)
        # Returns at once when the worker lives; the bound only fails a dead pool quickly.
        await asyncio.wait_for(pool.join(), timeout=5)
    finally:
        await pool.stop()
    assert (b.id, f"answer {b.id}") in replies.sent
    assert [j.id for j in pending.pending()] == [a.id]  # kept for a later attempt
    [error] = _errors_naming(caplog, a)
    assert error.exc_info is not None
    assert FULL in caplog.text  # the failed write is in the traceback of that one line


@pytest.mark.parametrize("raised", [RuntimeError("boom"), ChatClosedError("blocked")])
async def test_the_runner_never_raises_when_marking_a_failed_job_fails(
    parts, caplog, raised: Exception
) -> None:
    pending, _replies, handler, runner = parts
    job = _job(pending, 7)
    handler.raises[job.id] = raised
    pending.full_for.add(job.id)
    refunds: list[int] = []
    await runner.answer(job, refund=_counting(refunds))
    assert [j.id for j in pending.pending()] == [job.id]
    assert len(_errors_naming(caplog, job)) == 1
    assert refunds == []  # it stays pending: a later attempt may still deliver it


async def test_cancelling_the_pool_still_stops_a_busy_worker(parts) -> None:
    pending, _replies, _handler, runner = parts
    job = _job(pending, 7)
    started, never = asyncio.Event(), asyncio.Event()

    async def busy(job: Job, attempt: Attempt) -> None:
        started.set()
        await never.wait()

    runner.handlers = dict.fromkeys(JobKind, busy)
    pool = WorkerPool(1, runner.answer)
    pool.start()
    pool.submit(job)
    await asyncio.wait_for(started.wait(), timeout=5)
    await asyncio.wait_for(pool.stop(), timeout=5)
    assert [j.id for j in pending.pending()] == [job.id]


async def test_a_worker_survives_an_answer_that_raises(caplog) -> None:
    answered: list[int] = []

    async def answer(job: Job, **_: object) -> None:
        if job.id == 1:
            raise sqlite3.OperationalError("database is locked")
        answered.append(job.id)

    pool = WorkerPool(1, answer)
    pool.start()
    try:
        for job_id in (1, 2):
            pool.submit(_bare(job_id))
        await asyncio.wait_for(pool.join(), timeout=5)
    finally:
        await pool.stop()
    assert answered == [2]
    assert any("job 1" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def _bare(job_id: int) -> Job:
    return Job(id=job_id, kind=JobKind.TEXT, chat_id=1, message_id=job_id, reply_to=job_id,
               thread_id=None, user_id=None, text="t", ref=None, title=None, source=None,
               created_at=NOW, attempts=0)  # fmt: skip
