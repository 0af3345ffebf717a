"""Housekeeping in two processes on one database at once: harmless, and lapsed leases go."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.ops.retention import Housekeeper
from bot.ops.stats import RECEIVED, Events
from bot.store.index import Index
from bot.store.leases import Leases
from tests.blobs_kit import ENGINES, a_clock
from tests.fake_llm import FakeLLM
from tests.harness import FakeClock, settings_for
from tests.postgres import libpq_url


@pytest.fixture(params=ENGINES)
def url(request: pytest.FixtureRequest) -> str | None:
    if request.param == "sqlite":
        return None
    return libpq_url(str(request.getfixturevalue("postgres_url")))


@pytest.fixture
def indexes(tmp_path: Path, url: str | None) -> Iterator[tuple[Index, Index]]:
    """Two processes' connections to one store."""
    path = tmp_path / "data" / "index.sqlite3"
    path.parent.mkdir()
    a = Index(path, database_url=url)
    b = Index(path, database_url=url)
    yield a, b
    a.close()
    b.close()


def count(index: Index, table: str) -> int:
    query = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - the tests' own table names
    return int(index.connection.execute(query).fetchone()[0])


async def test_two_housekeepers_at_once_prune_once_between_them(
    indexes: tuple[Index, Index], tmp_path: Path, url: str | None
) -> None:
    a, b = indexes
    clock: FakeClock = a_clock()
    with FakeLLM() as llm:
        settings = settings_for(tmp_path / "data", llm, events_days=30, database_url=url)
    events = Events(a)
    for days in range(60):  # one event a day: thirty of them past EVENTS_DAYS
        events.record(RECEIVED, chat_id=1, at=clock.now - timedelta(days=days, hours=1))
    dead, alive = Leases(a, "dead", clock=clock), Leases(a, "alive", clock=clock)
    assert dead.take("digest:1", 60) and dead.take("feed:2", 60)
    clock.advance(seconds=61)
    assert alive.take("digest:3", 60)

    keepers = [Housekeeper(settings, index, clock=clock) for index in (a, b)]
    first, second = await asyncio.gather(*(k.run() for k in keepers))

    assert first.events + second.events == 30  # each event deleted once, by one of them
    assert first.leases + second.leases == 2
    assert count(b, "events") == 30
    assert alive.holder("digest:3") == "alive"  # a live lease is never pruned
    assert count(b, "leases") == 1
    again = await keepers[1].run()  # nothing left to do, and no error
    assert (again.events, again.leases) == (0, 0)
