"""`briefbot run` receiving only (JOB_WORKERS=0) and a `briefbot worker` answering, on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.ext import Application

from bot.config import Settings
from bot.jobs import claims
from bot.jobs.attempt import Attempt
from bot.jobs.outbox import SORRY
from bot.jobs.pending import Job, JobKind
from bot.services import build_services
from bot.sources.article_reader import SourceService
from bot.store.index import Index
from bot.telegram import lifecycle
from bot.telegram.app import build_application
from bot.telegram.worker import serve
from tests.briefings import echo_briefing, news
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.fake_web import FakeResolver
from tests.harness import USER, FakeClock, running_bot
from tests.loop_watch import watch
from tests.postgres import libpq_url

pytestmark = pytest.mark.postgres
ARTICLES = 6


@asynccontextmanager
async def running_worker(settings: Settings) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `briefbot worker`'s Application in this loop (its updates never fetched)."""
    services = build_services(settings)
    services.sources = services.feeds.sources = SourceService(settings, resolver=FakeResolver())
    app = build_application(settings, services, clock=lambda: datetime.now(UTC), digest_job=False)
    app.bot_data.replies.typing_after_s = 0.0
    app.post_init = lifecycle.worker_init  # as `briefbot worker` starts it
    stop, started = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(app, stop, started))
    try:
        # Jobs stored from now on came after the worker started: none is late.
        await asyncio.wait_for(started.wait(), timeout=10)
        yield app
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await services.aclose()


def _count_answers(app: Application) -> list[int]:  # type: ignore[type-arg]
    """Record the ids of the jobs this process's handlers answer."""
    answered: list[int] = []
    runner = app.bot_data.jobs
    handlers = dict(runner.handlers)

    def counting(kind: JobKind) -> Callable[[Job, Attempt], Awaitable[None]]:
        async def handle(job: Job, attempt: Attempt) -> None:
            answered.append(job.id)
            await handlers[kind](job, attempt)

        return handle

    runner.handlers = {kind: counting(kind) for kind in handlers}
    return answered


def _count_sweeps(app: Application) -> list[int]:  # type: ignore[type-arg]
    """Count the claim loop's rounds from now on (a list of one number, for lambdas)."""
    loop, sweeps = app.bot_data.claimer, [0]
    sweep = loop.sweep

    async def counted() -> bool:
        sweeps[0] += 1
        filled: bool = await sweep()
        return filled

    loop.sweep = counted
    return sweeps


def _replies(tg: FakeTelegram) -> Counter[int]:
    return Counter(
        int(m["reply_parameters"]["message_id"])
        for m in tg.sent_messages(USER)
        if m.get("reply_parameters")
    )


async def test_a_worker_answers_what_a_receiving_only_bot_stored_once_each(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings, postgres_url: str
) -> None:
    fake_llm.responder = echo_briefing
    shared: dict[str, Any] = {"database_url": libpq_url(postgres_url), "job_poll_s": 0.05}
    async with running_bot(tg, fake_llm, make_settings, job_workers=0, **shared) as receiver:
        answered_there = _count_answers(receiver.app)
        worker_settings = receiver.settings.model_copy(update={"job_workers": 2})
        async with running_worker(worker_settings) as worker:
            answered_here = _count_answers(worker)
            with watch() as on_loop:
                asked = [
                    tg.user_message(USER, USER, news(f"harbour dispute {n}"))["message"][
                        "message_id"
                    ]
                    for n in range(ARTICLES)
                ]
                await tg.wait_for(lambda: len(_replies(tg)) == ARTICLES, timeout=30,
                                  message="a reply to every article")  # fmt: skip
            sweeps = _count_sweeps(worker)  # a few more rounds: none may answer a job again
            await tg.wait_for(lambda: sweeps[0] >= 3, timeout=10, message="three more polls")
    assert _replies(tg) == Counter(asked)
    assert (len(answered_here), answered_there) == (ARTICLES, [])
    assert not any(SORRY in str(m["text"]) for m in tg.sent_messages(USER))  # none was late
    # A job's life cycle (claimed, counted, answered, done) waits on PostgreSQL off the loop.
    assert [c for c in on_loop.callers() if c.startswith("jobs/")] == []


async def test_a_job_a_dead_process_claimed_is_answered_once_its_lease_lapses(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings, postgres_url: str, tmp_path
) -> None:
    fake_llm.responder = echo_briefing
    url = libpq_url(postgres_url)
    shared: dict[str, Any] = {"database_url": url, "job_poll_s": 0.05, "job_lease_s": 30}
    async with running_bot(tg, fake_llm, make_settings, job_workers=0, **shared) as receiver:
        asked = tg.user_message(USER, USER, news("harbour dispute"))["message"]["message_id"]
        index = Index(tmp_path / "unused.sqlite3", database_url=url)
        try:
            await tg.wait_for(lambda: len(index.connection.execute(
                "SELECT id FROM pending_jobs").fetchall()) == 1, timeout=10, message="the job")  # fmt: skip
            [job] = receiver.app.bot_data.pending.pending()
            clock = FakeClock(datetime.now(UTC))
            # Claimed, then its process died (another host: only the lease can tell).
            assert claims.claim(index, job.id, "gone-host:4242:dead", 30, clock())
        finally:
            index.close()
        async with running_worker(receiver.settings.model_copy(update={"job_workers": 2})) as w:
            w.bot_data.claimer.claims.clock = clock
            sweeps = _count_sweeps(w)
            await tg.wait_for(lambda: sweeps[0] >= 3, timeout=10, message="three polls")
            assert _replies(tg) == Counter()  # still held by the dead process
            clock.advance(seconds=30)
            await tg.wait_for(lambda: len(_replies(tg)) == 1, timeout=10, message="the reply")
    assert _replies(tg) == Counter([asked])
    [reply] = [m for m in tg.sent_messages(USER) if m.get("reply_parameters")]
    assert SORRY in str(reply["text"])  # late, and it says so
