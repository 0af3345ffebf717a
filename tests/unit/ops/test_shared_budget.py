"""Budgets shared by processes on one database: holds in budget_holds, one reserver at a time."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.ops.budget import BudgetExceededError
from bot.ops.shared_budget import SharedTokenBudget, hold_seconds
from bot.ops.stats import Events
from bot.store.index import Index
from tests.harness import FakeClock

Opener = Callable[[], Index]


def _settings(**budgets: int) -> Settings:
    return load_settings(**budgets)


def _budget(index: Index, owner: str, settings: Settings, **kw: FakeClock) -> SharedTokenBudget:
    return SharedTokenBudget(settings, Events(index), index, owner=owner, **kw)


def test_two_processes_cannot_both_spend_the_last_headroom(engine_indexes: Opener) -> None:
    settings = _settings(global_daily_token_budget=1000, user_daily_token_budget=700)
    a, b = _budget(engine_indexes(), "a", settings), _budget(engine_indexes(), "b", settings)
    a.reserve(7, 600)
    with pytest.raises(BudgetExceededError) as user:
        b.reserve(7, 200)  # 600 held for user 7 by the other process
    assert user.value.scope == "user"
    with pytest.raises(BudgetExceededError) as shared:
        b.reserve(8, 500)  # user 8 has room, the bot's day does not
    assert shared.value.scope == "global"
    assert b.reserve(8, 400).tokens == 400


def test_released_holds_give_the_headroom_back_to_every_process(engine_indexes: Opener) -> None:
    settings = _settings(global_daily_token_budget=1000)
    a, b = _budget(engine_indexes(), "a", settings), _budget(engine_indexes(), "b", settings)
    held = a.reserve(None, 900)
    with pytest.raises(BudgetExceededError):
        b.reserve(None, 200)
    a.release(held)
    b.reserve(None, 200)


def test_a_dead_process_holds_stop_counting_when_they_lapse(engine_indexes: Opener) -> None:
    settings = _settings(global_daily_token_budget=1000)
    clock = FakeClock(datetime.now(UTC))
    dead = _budget(engine_indexes(), "dead", settings, clock=clock)
    alive = _budget(engine_indexes(), "alive", settings, clock=clock)
    dead.reserve(None, 900)  # and is killed: never released
    clock.advance(seconds=hold_seconds(settings) - 1)
    with pytest.raises(BudgetExceededError):
        alive.reserve(None, 200)  # its call could still be running
    clock.advance(seconds=1)
    alive.reserve(None, 200)


@pytest.mark.postgres
def test_concurrent_reservers_in_many_processes_never_overspend(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = _settings(global_daily_token_budget=1000)
    Index(tmp_path / "index.sqlite3", database_url=postgres_url).close()  # the schema, once
    granted: list[int] = []
    start = threading.Barrier(6)

    def process(owner: str) -> None:
        index = Index(tmp_path / "index.sqlite3", database_url=postgres_url)
        budget = _budget(index, owner, settings)
        start.wait()
        for _ in range(10):
            with contextlib.suppress(BudgetExceededError):
                granted.append(budget.reserve(None, 100).tokens)
        index.close()

    threads = [threading.Thread(target=process, args=(f"p{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 1000  # exactly the budget: never two reservers on one headroom


async def test_reservations_off_the_loop_are_the_same_holds(engine_indexes: Opener) -> None:
    settings = _settings(global_daily_token_budget=1000)
    a, b = _budget(engine_indexes(), "a", settings), _budget(engine_indexes(), "b", settings)
    held = await a.reserve_off_loop(None, 900)
    assert held.hold is not None
    with pytest.raises(BudgetExceededError):
        b.reserve(None, 200)
    await a.release_off_loop(held)
    assert (await b.reserve_off_loop(None, 200)).tokens == 200
