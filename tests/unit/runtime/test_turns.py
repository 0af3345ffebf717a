"""Turns: CPU-heavy steps spread over loop iterations, first come first served."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from bot.runtime.loop_turns import Turns, take_turn, turns
from bot.telegram.operators import LoggedUpdates


class Iterations:
    """Count event-loop iterations with a callback that re-arms itself each iteration."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.count = 0
        self._loop = loop
        self._handle = loop.call_soon(self._tick)

    def _tick(self) -> None:
        self.count += 1
        self._handle = self._loop.call_soon(self._tick)

    def stop(self) -> None:
        self._handle.cancel()


async def test_a_lone_task_takes_its_turn_without_waiting() -> None:
    loop = asyncio.get_running_loop()
    ticks = Iterations(loop)
    await Turns(loop).take()
    assert ticks.count == 0  # not even one iteration later
    ticks.stop()


async def test_tasks_wanting_turns_together_get_one_iteration_each_in_order() -> None:
    loop = asyncio.get_running_loop()
    gate, ticks = Turns(loop), Iterations(loop)
    ran: list[tuple[int, int]] = []  # (task, iteration it went on in)

    async def step(n: int) -> None:
        await gate.take()
        ran.append((n, ticks.count))

    await asyncio.gather(*(step(n) for n in range(6)))
    ticks.stop()
    assert [n for n, _ in ran] == list(range(6))  # first come, first served
    iterations = [at for _, at in ran]
    assert len(set(iterations)) == 6  # never two in the same iteration
    assert gate.waiting == 0


async def test_a_cancelled_waiter_gives_its_turn_to_the_next() -> None:
    gate = Turns(asyncio.get_running_loop())
    order: list[str] = []

    async def step(name: str) -> None:
        await gate.take()
        order.append(name)

    tasks = {name: asyncio.create_task(step(name)) for name in ("first", "second", "third")}
    await asyncio.sleep(0)  # "first" went on at once; the others wait
    assert order == ["first"]
    assert gate.waiting == 2
    tasks["second"].cancel()
    await tasks["third"]
    assert order == ["first", "third"]
    assert tasks["second"].cancelled()


async def test_turns_are_per_event_loop_and_free_again_once_nobody_waits() -> None:
    assert turns() is turns()
    await take_turn()
    await asyncio.sleep(0)  # the next iteration frees the turn
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    ticks = Iterations(loop)
    await take_turn()
    assert ticks.count == 0
    ticks.stop()


async def test_an_update_cancelled_while_waiting_for_its_turn_never_runs_its_handlers() -> None:
    # Shutting down in a burst: the handlers' coroutine is closed, not left un-awaited.
    ran: list[str] = []

    async def handlers() -> None:
        ran.append("handlers")

    coroutine = handlers()
    first = asyncio.create_task(take_turn())  # takes the turn of the iteration both start in
    task = asyncio.create_task(LoggedUpdates(1).do_process_update(object(), coroutine))
    await asyncio.sleep(0)  # both have started: the update waits for a turn
    assert first.done()
    assert turns().waiting == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ran == []
    assert inspect.getcoroutinestate(coroutine) == inspect.CORO_CLOSED
