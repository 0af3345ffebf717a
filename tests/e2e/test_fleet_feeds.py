"""Feeds with two processes on one database: a source polled by one at a time, items once.

Each "process" is its own Services (its own connections) and lease owner, polling the same
fake web; on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.briefing.service import BriefResult
from bot.feeds import item_delivery
from bot.feeds.follows_store import Follow
from bot.services import Services, build_services
from bot.sources.article_reader import SourceService
from tests.blobs_kit import ENGINES
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.feed_pages import Entry, rss
from tests.harness import FakeClock, settings_for
from tests.pages import news_page
from tests.postgres import libpq_url

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
FEED = "https://news.test/feed.xml"
SILENT, LIVE = 100, 200


class Sent:
    """A notifier that records the live briefings it would send."""

    def __init__(self) -> None:
        self.briefings: list[tuple[int, str]] = []

    async def briefing(self, follow: Follow, result: BriefResult) -> None:
        self.briefings.append((follow.chat_id, result.stored.article.content_hash))

    async def note(self, follow: Follow, text: str) -> None:
        raise AssertionError(f"no note expected, got {text!r} for chat {follow.chat_id}")


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as fake:
        for i in range(3):
            fake.add(f"/a/{i}", news_page(news(f"harbour topic {i}"), site="Korea Watch"))
        entries = [
            Entry(
                f"guid-{i}", f"https://news.test/a/{i}", f"Story {i}", "t", NOW - timedelta(hours=1)
            )
            for i in range(3)
        ]
        fake.add("/feed.xml", rss(entries), "application/rss+xml")
        yield fake


@pytest.fixture(params=ENGINES)
async def pair(
    request: pytest.FixtureRequest, tmp_path: Path, fake_llm: FakeLLM, web: FakeWeb
) -> AsyncIterator[tuple[Services, Services]]:
    """Two processes' services on one store, the fake web's feed followed by two chats."""
    fake_llm.responder = newsroom()
    url = None
    if request.param == "postgresql":
        url = libpq_url(str(request.getfixturevalue("postgres_url")))
    settings = settings_for(tmp_path / "data", fake_llm, database_url=url)
    resolver = FakeResolver()
    resolver.set("news.test", ["93.184.216.34"])
    transport = RoutingTransport(web)
    clock = FakeClock(NOW)
    built = []
    for owner in ("process-a", "process-b"):
        services = build_services(settings)
        sources = SourceService(settings, resolver=resolver, transport=transport, clock=clock)
        services.sources = services.feeds.sources = sources
        services.feeds.clock = services.feed_poller.clock = clock
        services.feed_poller.notifier = Sent()
        services.feed_poller.leases.owner = owner
        built.append(services)
    a, b = built
    try:
        await a.feeds.follow(SILENT, FEED)
        await a.feeds.follow(LIVE, FEED, live=True)
        yield a, b
    finally:
        for services in built:
            await services.aclose()
        await transport.aclose()


def feed_fetches(web: FakeWeb) -> int:
    return sum(hit.path == "/feed.xml" for hit in web.hits)


def live_sent(*processes: Services) -> list[tuple[int, str]]:
    sent = [p.feed_poller.notifier for p in processes]
    return sorted(b for s in sent if isinstance(s, Sent) for b in s.briefings)


def deliveries(services: Services) -> list[tuple[int, int]]:
    rows = services.index.connection.execute(
        "SELECT chat_id, item_id FROM feed_deliveries ORDER BY chat_id, item_id"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


async def test_two_processes_polling_at_once_fetch_a_source_once(
    pair: tuple[Services, Services], web: FakeWeb
) -> None:
    a, b = pair
    before = feed_fetches(web)  # /follow read it once
    reports = [
        r for rs in await asyncio.gather(a.feed_poller.tick(), b.feed_poller.tick()) for r in rs
    ]
    assert sorted(r.elsewhere for r in reports) == [False, True]
    assert sum(r.delivered for r in reports) == 6  # three items, two chats
    assert feed_fetches(web) == before + 1
    assert len(deliveries(a)) == 6
    assert [chat for chat, _ in live_sent(a, b)] == [LIVE] * 3
    # The other process, with a list of due sources read before that poll, fetches nothing.
    [source] = [f.source for f in b.feeds.following(SILENT)]
    stale = replace(source, next_poll_at=NOW)
    assert (await b.feed_poller.poll(stale)).elsewhere
    assert feed_fetches(web) == before + 1


async def test_two_polls_of_one_source_at_once_still_deliver_each_item_once(
    pair: tuple[Services, Services], web: FakeWeb
) -> None:
    a, b = pair
    # One owner for both: as if a's lease had passed to b while a still polled.
    b.feed_poller.leases.owner = a.feed_poller.leases.owner
    before = feed_fetches(web)
    await asyncio.gather(a.feed_poller.tick(), b.feed_poller.tick())
    assert feed_fetches(web) == before + 2  # both polled: no lease kept the other out
    rows = deliveries(a)
    assert len(rows) == len(set(rows)) == 6
    states = a.index.connection.execute("SELECT state FROM feed_items").fetchall()
    assert [r[0] for r in states] == ["ready"] * 3  # remembered once, none lost to a duplicate
    assert [chat for chat, _ in live_sent(a, b)] == [LIVE] * 3
    assert len(set(live_sent(a, b))) == 3


async def test_an_item_both_processes_briefed_for_a_chat_is_recorded_and_sent_once(
    pair: tuple[Services, Services],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = pair
    await a.feed_poller.tick()  # the items are ready
    late = (await a.feeds.follow(300, FEED, live=True)).follow  # its backfill waits for it
    caplog.set_level(logging.INFO, logger="bot.feeds.item_delivery")
    # Both plan the same three items before either records one: each process's database
    # thread waits, having read what is waiting, until the other has read it too.
    both_read = threading.Barrier(2, timeout=30)
    count = item_delivery._counted  # the plan's last read, held back

    def count_then_wait(*args: Any, **kwargs: Any) -> int:
        spent = count(*args, **kwargs)
        both_read.wait()
        return spent

    monkeypatch.setattr(item_delivery, "_counted", count_then_wait)
    done = await asyncio.gather(
        a.feed_poller.deliverer.deliver(late, {}, NOW),
        b.feed_poller.deliverer.deliver(late, {}, NOW),
    )
    # Which process claims which item is a race: each is claimed once, the loser says so.
    assert [sum(n) for n in zip(*done, strict=True)] == [3, 0]
    assert caplog.text.count("chat 300 already has it") == 3
    assert [chat for chat, _ in live_sent(a, b)].count(300) == 3
    assert len(a.index.queries.chat_articles(300)) == 3
