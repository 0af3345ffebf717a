"""Following and polling on PostgreSQL: no statement waits on the event loop, none at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.sources.article_reader import SourceService
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram, parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.feed_pages import Entry, rss
from tests.harness import USER, FakeClock, running_bot
from tests.loop_watch import Watched, watch
from tests.pages import news_page
from tests.postgres import libpq_url

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
FEED = "https://news.test/feed.xml"


def story(i: int) -> Entry:
    return Entry(f"g{i}", f"https://news.test/a/{i}", f"Story {i}", "Teaser.",
                 NOW - timedelta(minutes=10 * i))  # fmt: skip


@pytest.fixture
async def web() -> AsyncIterator[tuple[FakeWeb, RoutingTransport]]:
    with FakeWeb() as fake:
        for i in range(3):
            fake.add(f"/a/{i}", news_page(news(f"harbour strike day {i}")))
        fake.add("/feed.xml", rss([story(0)]), "application/rss+xml")
        routing = RoutingTransport(fake)
        yield fake, routing
        await routing.aclose()


def feed_statements(on_loop: Watched) -> list[str]:
    """Return the statements run on the loop: none, the lease and the cache check included."""
    return on_loop.callers()


async def test_follow_and_a_poll_delivering_a_new_item_never_wait_on_the_loop(
    tg: FakeTelegram,
    fake_llm: FakeLLM,
    make_settings: Any,
    postgres_url: str,
    web: tuple[FakeWeb, RoutingTransport],
) -> None:
    fake, transport = web
    fake_llm.responder = newsroom()
    clock = FakeClock(NOW)
    url = libpq_url(postgres_url)
    async with running_bot(tg, fake_llm, make_settings, clock=clock, database_url=url) as bot:
        resolver = FakeResolver()
        resolver.set("news.test", ["93.184.216.34"])
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        with watch() as on_loop:
            bot.tg.command(USER, USER, "follow", f"{FEED} live")
            [followed] = await bot.replies(USER, 1)
            await bot.services.feed_poller.tick()  # the first poll: the one item, live
            fake.add("/feed.xml", rss([story(1), story(0)]), "application/rss+xml")
            clock.advance(minutes=15)
            await bot.services.feed_poller.tick()  # a new item, briefed and sent live
            bot.tg.command(USER, USER, "following")
            replies = await bot.replies(USER, 4)
    assert "Following" in parse_html(str(followed["text"]))[0]
    live = [parse_html(str(m["text"]))[0] for m in replies[1:3]]
    assert ["Harbour Strike Day 0" in t for t in live] == [True, False]
    assert "Harbour Strike Day 1" in live[1]
    assert "Sources followed here" in parse_html(str(replies[3]["text"]))[0]
    # /follow, the polls (lease, items, claims, chat history, live sends) and /following
    # wait on PostgreSQL off the event loop's thread.
    assert feed_statements(on_loop) == []
