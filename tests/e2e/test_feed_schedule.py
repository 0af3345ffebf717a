"""Per-source polling: 5 hostile slow sources never hold back the other 45 (fake fetcher, fake clock)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.feeds.following import FEED
from bot.services import Services, build_services
from bot.sources.fetch import Fetched, Validators
from bot.store.index import Index, iso
from tests.fake_llm import FakeLLM
from tests.feed_pages import rss
from tests.harness import FakeClock, settings_for

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
INTERVAL = 600.0
SLOW = {f"https://slow{i}.test/feed.xml" for i in range(5)}
# Ten fast sources share one host; the rest have one each.
SHARED = "shared.test"
FAST = [f"https://{SHARED}/{i}.xml" for i in range(10)] + [
    f"https://fast{i}.test/feed.xml" for i in range(35)
]


class FakeFeeds:
    """A fetcher whose slow hosts never answer, counting fetches and concurrency per host."""

    def __init__(self) -> None:
        self.fetched: Counter[str] = Counter()
        self.busy: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.release = asyncio.Event()  # the slow hosts answer (the fetch timeout, in life)

    async def fetch(self, url: str, validators: Validators | None = None) -> Fetched:  # noqa: ARG002
        host = urlsplit(url).hostname or ""
        self.fetched[url] += 1
        self.busy[host] += 1
        self.most[host] = max(self.most[host], self.busy[host])
        try:
            if url in SLOW:
                await self.release.wait()
            elif host == SHARED:
                # Answered in pairs (the tenth of a round alone): a poll's reads wait on the
                # database thread, so a fetch answered at once would rarely meet another.
                started = sum(n for u, n in self.fetched.items() if SHARED in u)
                while self.busy[host] < 2 and started % 10:  # the fake's pace
                    await asyncio.sleep(0)
                    started = sum(n for u, n in self.fetched.items() if SHARED in u)
            else:
                await asyncio.sleep(0)  # a fast answer still yields once, as a real one does
            return Fetched(url, FEED, "utf-8", rss([]).encode())
        finally:
            self.busy[host] -= 1


async def until(done: Callable[[], Awaitable[bool]]) -> None:
    """Let the event loop run until `done()` holds (10 s of real time only if polling is stuck)."""
    async with asyncio.timeout(10):
        while not await done():  # noqa: ASYNC110 - the state is in the database: nothing to wait on
            await asyncio.sleep(0)


def polled_by(built: Services, when: datetime) -> Callable[[], Awaitable[bool]]:
    """Tell whether every fast source has been polled, due next at `when`, and let go of."""

    async def done() -> bool:
        # One read on the database thread, as the polls' own reads are: on PostgreSQL, fifty
        # round trips on the loop at every check starved the polls being waited for.
        rows = await built.index.run(_polls)
        polled = all(rows[url][0] == iso(when) and rows[url][1] for url in FAST)
        # A poll that has stored its result may still be releasing its lease (off the loop):
        # in flight until then, so the next round would pass it over.
        return polled and len(built.feed_poller.scheduler.in_flight) == len(SLOW)

    return done


@pytest.fixture
async def services(
    tmp_path: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Services, FakeFeeds, FakeClock]]:
    settings = settings_for(
        tmp_path / "data", fake_llm, feed_poll_interval_s=INTERVAL,
        feed_poll_concurrency=8, feed_poll_per_host=2,
    )  # fmt: skip
    built = build_services(settings)
    clock = FakeClock(NOW)
    built.feeds.clock = built.feed_poller.clock = clock
    fake = FakeFeeds()
    monkeypatch.setattr(built.feeds, "fetch", fake.fetch)
    for i, url in enumerate(sorted(SLOW) + FAST):
        # Slow sources first in the queue: the worst order for a shared lock.
        built.feeds.store.follow(100 + i, url, FEED, url, live=False, now=NOW)
    yield built, fake, clock
    fake.release.set()
    await built.feed_poller.aclose()
    await built.aclose()


async def test_slow_sources_never_stall_the_others_nor_are_polled_twice_at_once(
    services: tuple[Services, FakeFeeds, FakeClock],
) -> None:
    built, fake, clock = services
    poller = built.feed_poller
    first = asyncio.create_task(poller.tick())
    await until(polled_by(built, NOW + timedelta(seconds=INTERVAL)))  # while the slow five hang
    assert all(fake.fetched[url] == 1 for url in FAST) and sum(fake.fetched.values()) == 50
    assert fake.most["shared.test"] == 2  # the per-host limit, reached and kept
    assert sum(fake.busy.values()) == 5  # the slow five hold five of eight slots, no more

    clock.advance(seconds=INTERVAL)  # the next round is due: the fast ones again, on time
    second = asyncio.create_task(poller.tick())
    await until(polled_by(built, NOW + timedelta(seconds=2 * INTERVAL)))
    assert all(fake.fetched[url] == 2 for url in FAST)
    assert all(fake.fetched[url] == 1 for url in SLOW)  # still in flight: not polled again
    assert not first.done()

    fake.release.set()
    reports = await first + await second
    assert len(reports) == 95 and all(r.error is None for r in reports)


def _polls(index: Index) -> dict[str, tuple[str, str | None]]:
    """Return each source's next poll and last good one, by address."""
    rows = index.connection.execute("SELECT url, next_poll_at, ok_at FROM feed_sources")
    return {url: (next_at, ok_at) for url, next_at, ok_at in rows.fetchall()}
