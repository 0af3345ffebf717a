"""Feeds against a hostile allowed user: fetches and disk capped, the follower pays for the LLM."""

from __future__ import annotations

import dataclasses
import errno
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.feeds.seen import DEGRADED
from bot.services import Services
from bot.store import briefing_cache
from tests.e2e import test_feed_poll as base
from tests.e2e.test_feed_poll import CHAT, FEED, clock, poll_again, story
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_web import FakeWeb
from tests.feed_pages import rss

# The feed poll tests' fake web, transport and services, shared rather than copied.
web, transport, make = base.web, base.transport, base.make
FOLLOWER = 7001


def files(services: Services, kind: str) -> int:
    root = Path(services.settings.bot_data_dir) / kind
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def pages(web: FakeWeb) -> list[str]:
    return [p for p in web.paths() if p.startswith("/a/")]


async def test_items_beyond_the_daily_cap_are_seen_from_the_feed_alone_never_fetched(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_daily_items_per_chat=1)
    web.add("/feed.xml", rss([story(i) for i in range(12)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert (report.new_items, report.delivered, report.skipped) == (12, 1, 11)
    assert fake_llm.calls == 1
    assert len(pages(web)) == 1  # one page fetched, not twelve
    assert files(services, "articles") == 1 and files(services, "fetched") == 1
    now = clock(services).now
    digest = await services.digests.build(
        CHAT, since=now - timedelta(hours=24), until=now + timedelta(seconds=1)
    )
    assert digest is not None
    assert digest.notes == [
        "11 new items from followed sources skipped (the daily cap of 1 per chat)"
    ]
    calls = fake_llm.calls  # the digest's own
    [report] = await poll_again(services)  # the same feed: nothing new, nothing fetched
    assert report.new_items == 0 and len(pages(web)) == 1 and fake_llm.calls == calls
    await services.aclose()


async def test_fetches_per_source_per_poll_are_capped_and_the_rest_wait_their_turn(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_max_fetches_per_poll=3)
    web.add("/feed.xml", rss([story(i) for i in range(8)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 3 and len(pages(web)) == 3
    [report] = await poll_again(services)  # still listed: three more now
    assert report.delivered == 3 and len(pages(web)) == 6
    web.add("/feed.xml", rss([story(i) for i in (8, 9)]), "application/rss+xml")
    [report] = await poll_again(services)  # 6 and 7 left the feed: never fetched
    assert report.delivered == 2 and len(pages(web)) == 8 and fake_llm.calls == 8
    await services.aclose()


def costly(make: Callable[..., Services], fake_llm: FakeLLM) -> Services:
    """Services with a user budget that one briefing (of 18,150 tokens) all but spends."""
    services = make(user_daily_token_budget=20_000, llm_max_concurrency=1)
    respond = fake_llm.responder
    assert respond is not None

    def responder(request: Request) -> Reply:
        return dataclasses.replace(respond(request), prompt_tokens=18_000)

    fake_llm.responder = responder
    return services


async def test_feed_briefings_are_charged_to_the_follower_and_stop_at_their_budget(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = costly(make, fake_llm)
    web.add("/feed.xml", rss([story(i) for i in range(3)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED, follower_id=FOLLOWER)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 1 and fake_llm.calls == 1  # the rest would go over their budget
    start, _ = services.budget.day_bounds()
    assert services.events.tokens_since(start, user_id=FOLLOWER) > 0  # booked to them
    [report] = await poll_again(services, hours=7)  # waited long enough: no LLM, said so
    assert report.delivered == 2 and fake_llm.calls == 1
    assert len(services.index.queries.chat_articles(CHAT)) == 3
    now = clock(services).now
    degraded = services.feeds.seen.count_deliveries(CHAT, DEGRADED, now - timedelta(days=1), now)
    assert degraded == 0  # recorded at `now`: counted below with the instant included
    assert services.feeds.seen.count_deliveries(CHAT, DEGRADED, now, now + timedelta(1)) == 2
    await services.aclose()


async def test_a_follow_with_no_follower_left_is_charged_to_its_chat(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = costly(make, fake_llm)
    web.add("/feed.xml", rss([story(i) for i in range(3)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)  # followed from the CLI: nobody to name
    [report] = await services.feed_poller.tick()
    assert report.delivered == 1 and fake_llm.calls == 1
    start, _ = services.budget.day_bounds()
    assert services.events.tokens_since(start, user_id=CHAT) > 0
    await services.aclose()


async def test_briefings_made_without_the_llm_count_against_the_daily_cap(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    # Every answer unusable: each item gets the extractive briefing after a paid attempt.
    # Those used not to count, so a feed the model always failed on was briefed without end.
    services = make(feed_daily_items_per_chat=2)
    fake_llm.responder = lambda _request: Reply(content={"not": "a briefing"})
    web.add("/feed.xml", rss([story(i) for i in range(3)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert (report.delivered, report.skipped) == (2, 1)
    web.add("/feed.xml", rss([story(i) for i in range(6)]), "application/rss+xml")
    [report] = await poll_again(services, hours=1)
    assert (report.delivered, report.skipped) == (0, 3) and len(pages(web)) == 2
    now = clock(services).now
    assert services.feeds.seen.count_deliveries(CHAT, DEGRADED, now - timedelta(1), now) == 2
    await services.aclose()


async def test_a_full_disk_fails_no_poll_and_its_items_come_at_the_next_one(
    make: Callable[..., Services], web: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make()
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as full:
        full.setattr(briefing_cache, "atomic_write", full_disk)
        [report] = await services.feed_poller.tick()
    assert report.error is None and report.delivered == 0  # the source is not to blame
    [follow] = services.feeds.following(CHAT)
    assert follow.source.failures == 0
    [report] = await poll_again(services, hours=1)  # room on the disk again
    assert report.delivered == 1 and len(services.index.queries.chat_articles(CHAT)) == 1
    await services.aclose()
