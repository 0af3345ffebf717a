"""Holding a lease across awaits: renewed while the work goes on, let go after, lost if taken."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.index import Index
from bot.store.lease_hold import Sleep, hold
from bot.store.leases import Leases
from tests.blobs_kit import a_clock
from tests.harness import FakeClock

SPAN = 30.0


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


def passing(clock: FakeClock) -> tuple[list[float], Sleep]:
    """An injected sleep: time passes at once by what was asked, and the loop turns."""
    asked: list[float] = []

    async def sleep(seconds: float) -> None:
        asked.append(seconds)
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    return asked, sleep


async def test_a_held_lease_is_renewed_while_the_work_goes_on_and_released_after(
    engine_index: Index, clock: FakeClock
) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    asked, sleep = passing(clock)
    async with hold(a, "feed:1", SPAN, sleep=sleep) as held:
        assert held is not None
        for _ in range(1000):  # four spans go by: only the renewals keep it
            if len(asked) >= 12:
                break
            await asyncio.sleep(0.001)  # each renewal is a trip to the database thread
        assert len(asked) >= 12 and set(asked) == {SPAN / 3}
        assert not b.take("feed:1", SPAN)
    assert b.take("feed:1", SPAN)  # released at once, not left to lapse


async def test_a_lease_held_elsewhere_gives_no_hold(engine_index: Index, clock: FakeClock) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert b.take("digest:1", SPAN)
    async with hold(a, "digest:1", SPAN) as held:
        assert held is None
    assert a.holder("digest:1") == "b"  # not released by one who never held it


async def test_a_hold_whose_lease_was_taken_knows_it_and_lets_go_of_nothing(
    engine_index: Index, clock: FakeClock
) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)

    async def stalled_work() -> None:
        async with hold(a, "digest:1", SPAN) as held:
            assert held is not None and await held.still_held()
            clock.advance(seconds=SPAN)  # a stalled loop: no renewal ran
            assert b.take("digest:1", SPAN)
            assert not await held.still_held()
            raise RuntimeError  # the work fails; the lease is b's all the same

    with pytest.raises(RuntimeError):
        await stalled_work()
    assert a.holder("digest:1") == "b"
