"""Quotas, command windows and jobs in flight shared by processes on one database."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.jobs.pending import JobKind, PendingStore
from bot.store import rate_hits
from bot.store.index import Index
from bot.store.rate_hits import RateHits
from bot.telegram.shared_limits import (
    ACCEPTING_S,
    SharedCommandLimits,
    SharedInFlight,
    SharedRateLimit,
)
from tests.blobs_kit import a_clock
from tests.harness import FakeClock

Opener = Callable[[], Index]


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


def test_two_processes_share_one_hourly_window(engine_indexes: Opener, clock: FakeClock) -> None:
    a = SharedRateLimit(RateHits(engine_indexes(), clock=clock), "user", 3)
    b = SharedRateLimit(RateHits(engine_indexes(), clock=clock), "user", 3)
    assert a.try_acquire("user:1") is None
    clock.advance(minutes=10)
    assert (a.try_acquire("user:1"), b.try_acquire("user:1")) == (None, None)
    assert b.try_acquire("user:1") == 3000  # the first hit leaves the window in 50 min
    assert a.try_acquire("user:2") is None  # another payer's window
    clock.advance(minutes=50)
    assert b.try_acquire("user:1") is None
    assert a.try_acquire("user:1") is not None


def test_a_refund_in_one_process_frees_the_slot_for_the_other(
    engine_indexes: Opener, clock: FakeClock
) -> None:
    a = SharedRateLimit(RateHits(engine_indexes(), clock=clock), "chat", 2)
    b = SharedRateLimit(RateHits(engine_indexes(), clock=clock), "chat", 2)
    assert a.try_acquire("chat:-5") is None
    assert b.try_acquire("chat:-5") is None
    assert a.try_acquire("chat:-5") is not None
    b.refund("chat:-5")
    assert a.try_acquire("chat:-5") is None


def test_scopes_are_separate_windows(engine_indexes: Opener, clock: FakeClock) -> None:
    hits = RateHits(engine_indexes(), clock=clock)
    user, fetch = SharedRateLimit(hits, "user", 1), SharedRateLimit(hits, "fetch", 1)
    assert (user.try_acquire("user:1"), fetch.try_acquire("user:1")) == (None, None)
    assert user.try_acquire("user:1") is not None


def test_command_windows_are_shared_per_chat_and_command(
    engine_indexes: Opener, clock: FakeClock
) -> None:
    a = SharedCommandLimits(RateHits(engine_indexes(), clock=clock), {"who": (2, 10)})
    b = SharedCommandLimits(RateHits(engine_indexes(), clock=clock), {"who": (2, 10)})
    assert (a.try_use(1, "who"), b.try_use(1, "who")) == (None, None)
    clock.advance(minutes=4)
    assert a.try_use(1, "who") == 360  # six minutes until the first use leaves the window
    assert (b.try_use(2, "who"), b.try_use(1, "search")) == (None, None)
    clock.advance(minutes=6)
    assert a.try_use(1, "who") is None


def test_old_hits_of_keys_nobody_checks_again_are_pruned(
    engine_indexes: Opener, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rate_hits, "PRUNE_EVERY", 3)
    index = engine_indexes()
    limit = SharedRateLimit(RateHits(index, clock=clock), "user", 5)
    assert limit.try_acquire("user:gone") is None
    clock.advance(hours=1)
    limit.try_acquire("user:1")
    count = "SELECT COUNT(*) FROM rate_hits WHERE key = 'user:gone'"
    assert index.connection.execute(count).fetchone()[0] == 1
    limit.try_acquire("user:1")  # the third check of the scope
    assert index.connection.execute(count).fetchone()[0] == 0


@pytest.mark.postgres
def test_concurrent_processes_never_grant_more_than_the_window(
    postgres_url: str, tmp_path: Path
) -> None:
    Index(tmp_path / "index.sqlite3", database_url=postgres_url).close()  # the schema, once
    granted: list[str] = []
    start = threading.Barrier(6)

    def process(name: str) -> None:
        index = Index(tmp_path / "index.sqlite3", database_url=postgres_url)
        limit = SharedRateLimit(RateHits(index), "user", 20)
        start.wait()
        granted.extend(name for _ in range(10) if limit.try_acquire("user:1") is None)
        index.close()

    threads = [threading.Thread(target=process, args=(f"p{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 20


def _job(index: Index, user_id: int, n: int, now: datetime) -> int:
    job = PendingStore(index).add(
        JobKind.TEXT, chat_id=1, message_id=n, reply_to=n, now=now, user_id=user_id, text="x"
    )
    assert job is not None
    return job.id


def test_jobs_in_flight_count_what_any_process_accepted(engine_indexes: Opener) -> None:
    here, there = engine_indexes(), engine_indexes()
    now = datetime.now(UTC)
    _job(there, 5, 1, now)
    done = _job(there, 5, 2, now)
    _job(there, 6, 3, now)  # another payer's
    in_flight = SharedInFlight(here, 3)
    release = in_flight.take("user:5")
    assert release is not None and in_flight.count("user:5") == 3
    assert in_flight.take("user:5") is None
    PendingStore(there).done(done, now)  # answered by the other process
    assert in_flight.take("user:5") is not None


def test_a_burst_counts_before_its_jobs_are_written_and_not_twice_after(
    engine_indexes: Opener,
) -> None:
    index = engine_indexes()
    in_flight = SharedInFlight(index, 2)
    first, second = in_flight.take("chat:-100"), in_flight.take("chat:-100")
    assert first is not None and second is not None
    assert in_flight.take("chat:-100") is None  # nothing written yet: still full
    _job(index, -100, 1, datetime.now(UTC))  # the first one's row (a chat pays: its id)
    assert in_flight.count("chat:-100") == 2
    second()  # refused later (its quota), never written
    assert in_flight.count("chat:-100") == 1


def test_an_accepted_job_never_written_stops_counting(engine_indexes: Opener) -> None:
    clock = FakeClock(datetime.now(UTC))
    in_flight = SharedInFlight(engine_indexes(), 1, clock=clock)
    assert in_flight.take("user:9") is not None  # its release is lost
    assert in_flight.take("user:9") is None
    clock.advance(seconds=ACCEPTING_S)
    assert in_flight.take("user:9") is not None


async def test_a_burst_taken_off_the_loop_is_cut_at_the_limit(engine_indexes: Opener) -> None:
    index = engine_indexes()
    _job(index, 7, 1, datetime.now(UTC))  # one answered by nobody yet
    in_flight = SharedInFlight(index, 3)
    taken = await asyncio.gather(*(in_flight.take_off_loop("user:7") for _ in range(5)))
    assert [release is not None for release in taken] == [True, True, False, False, False]
    assert await in_flight.count_off_loop("user:7") == 3
    first = taken[0]
    assert first is not None
    first()  # refused later (its quota), never written
    assert await in_flight.take_off_loop("user:7") is not None


async def test_hits_and_refunds_off_the_loop_share_the_window(
    engine_indexes: Opener, clock: FakeClock
) -> None:
    a = SharedRateLimit(RateHits(engine_indexes(), clock=clock), "fetch", 1)
    b = SharedCommandLimits(RateHits(engine_indexes(), clock=clock), {"who": (1, 10)})
    assert await a.try_acquire_off_loop("user:3") is None
    assert await a.try_acquire_off_loop("user:3") == 3600
    await a.refund_off_loop("user:3")
    assert a.try_acquire("user:3") is None  # the sync one sees the same rows
    assert await b.try_use_off_loop(3, "who") is None
    assert await b.try_use_off_loop(3, "who") == 600
