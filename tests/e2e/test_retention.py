"""Retention: bookkeeping is pruned on time, exactly-once survives it, the product stays."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.ops.stats import RECEIVED
from bot.ops.storage import render_storage, storage_report
from bot.services import Services
from bot.sources.fetch_cache import FetchedPage
from tests.e2e import test_feed_poll as base
from tests.e2e.test_feed_poll import CHAT, FEED, clock, poll_again, story
from tests.fake_llm import FakeLLM
from tests.fake_web import FakeWeb
from tests.feed_pages import rss

web, transport, make, services = base.web, base.transport, base.make, base.services


def _rows(services: Services, table: str) -> int:
    query = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - the tests' own table names
    return int(services.index.connection.execute(query).fetchone()[0])


async def housekeep(services: Services) -> None:
    services.housekeeper.clock = clock(services)
    await services.housekeeper.run()


async def test_items_gone_from_their_feed_are_forgotten_and_never_come_back(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_history_days=10)
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    assert fake_llm.calls == 2 and _rows(services, "feed_deliveries") == 2
    web.add("/feed.xml", rss([story(1), story(2)]), "application/rss+xml")  # story 0 leaves
    await poll_again(services, days=1)
    assert fake_llm.calls == 3
    for _ in range(12):  # twelve days later the feed still lists 1 and 2
        await poll_again(services, days=1)
    await housekeep(services)
    assert _rows(services, "feed_items") == 2 and _rows(services, "feed_deliveries") == 2
    # Story 0 comes back, dated before the history kept: not new. Stories 1 and 2 were kept.
    old = story(0, hours_ago=24 * 14)
    web.add("/feed.xml", rss([old, story(1), story(2)]), "application/rss+xml")
    [report] = await poll_again(services)
    assert report.new_items == 0 and report.delivered == 0 and fake_llm.calls == 3
    assert len(services.index.queries.chat_articles(CHAT)) == 3  # the product stays
    await services.aclose()


async def test_a_feed_answering_304_for_months_keeps_its_items(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_history_days=10)
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml", etag='"v1"')
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    for _ in range(3):
        [report] = await poll_again(services, days=30)
        assert report.not_modified
    await housekeep(services)
    assert _rows(services, "feed_items") == 2
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml", etag='"v2"')
    [report] = await poll_again(services)  # the body again: still seen, not re-delivered
    assert report.new_items == 0 and report.delivered == 0 and fake_llm.calls == 2
    await services.aclose()


async def test_old_fetched_pages_and_events_are_pruned_and_briefings_kept(
    make: Callable[..., Services], web: FakeWeb
) -> None:
    services = make(fetch_cache_hours=24, events_days=30)
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    data = Path(services.settings.bot_data_dir)
    old = FetchedPage(url="https://news.test/old", fetched_at=clock(services).now, text="x")
    services.sources.cache.put(old, old.url)
    [stale] = [p for p in (data / "fetched").rglob("*.json") if "old" in p.read_text()]
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    (stale.parent / ".left.json.abc.tmp").write_text("half")  # a write a full disk cut short
    os.utime(stale.parent / ".left.json.abc.tmp", (day_ago, day_ago))
    now = clock(services).now
    services.events.record(RECEIVED, chat_id=CHAT, at=now - timedelta(days=31))
    services.events.record(RECEIVED, chat_id=CHAT, at=now - timedelta(days=29))
    briefings = sorted((data / "briefings").rglob("*.json"))
    events = _rows(services, "events")
    await housekeep(services)
    assert not stale.exists() and not (stale.parent / ".left.json.abc.tmp").exists()
    assert len(list((data / "fetched").rglob("*.json"))) == 1  # today's page stays
    assert _rows(services, "events") == events - 1
    assert sorted((data / "briefings").rglob("*.json")) == briefings and briefings
    await services.aclose()


async def test_the_storage_report_names_kinds_chats_and_sources(
    services: Services, web: FakeWeb
) -> None:
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    data = Path(services.settings.bot_data_dir)
    report = await storage_report(data, services.index)
    kinds = dict(report.kinds)
    texts = sum(p.stat().st_size for p in (data / "articles").rglob("*.txt"))
    assert kinds["article texts"] == texts > 0 and kinds["fetch cache"] > 0
    assert kinds["briefings cache"] > 0 and kinds["index database"] > 0
    assert report.chats == [(CHAT, 2, texts)]
    assert report.sources == [("Korea Watch", 2, texts)]
    assert dict(report.tables)["feed bookkeeping"] > 0
    text = render_storage(report)
    assert f"biggest chats     {CHAT} (2 articles" in text
    assert "biggest sources   Korea Watch (2 items" in text
