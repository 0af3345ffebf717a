"""Digests with two processes on one database: each due digest sent once, whoever ticks.

A "process" here is what one holds of its own: a store connection (its own Services) and a
lease owner; both tick against the same fake Bot API, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.config import Settings
from bot.digest.models import DigestResult
from bot.services import Services, build_services
from bot.store.leases import Leases
from bot.store.subscriptions import Subscription, SubscriptionStore
from bot.telegram.digest_sends import DigestScheduler
from tests.blobs_kit import ENGINES
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import Bot, FakeClock, running_bot
from tests.loop_watch import watch
from tests.postgres import libpq_url

CHATS = list(range(201, 241))  # more than one process builds at once (32): both get work
DUE = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)


@dataclass
class Fleet:
    """Two processes' schedulers over one store, and what the test drives them with."""

    bot: Bot
    clock: FakeClock
    a: DigestScheduler
    b: DigestScheduler
    second: Services

    def digests(self, chat_id: int) -> int:
        return sum(t.startswith("<b>🗞") for t in self.bot.texts(chat_id))


def scheduler(
    services: Services,
    bot: Bot,
    owner: str,
    clock: FakeClock,
    subscriptions: SubscriptionStore | None = None,
) -> DigestScheduler:
    """Build a process's digest scheduler as the app does, with its own lease owner."""
    return DigestScheduler(
        services.settings,
        digests=services.digests,
        subscriptions=subscriptions or services.subscriptions,
        leases=Leases(services.index, owner, clock=clock),
        bot=bot.app.bot,
        migrate=services.migrate_chat_off_loop,
        clock=clock,
    )


@pytest.fixture(params=ENGINES)
async def fleet(
    request: pytest.FixtureRequest,
    tg: FakeTelegram,
    fake_llm: FakeLLM,
    make_settings: Callable[..., Settings],
) -> AsyncIterator[Fleet]:
    fake_llm.responder = newsroom()
    url = None
    if request.param == "postgresql":
        url = libpq_url(str(request.getfixturevalue("postgres_url")))
    clock = FakeClock(DUE - timedelta(hours=3))
    chats = ",".join(map(str, CHATS))
    # Telegram's pace is not what is tested here: 40 digests need not take 1.5 s.
    async with running_bot(
        tg, fake_llm, make_settings, clock=clock, allowed_chat_ids=chats, database_url=url,
        telegram_messages_per_second=1000,
    ) as bot:  # fmt: skip
        second = build_services(bot.settings)  # the other process: its own connections
        try:
            articles = [make_article(news(f"harbour news for chat {chat}")) for chat in CHATS]
            await asyncio.gather(*map(bot.services.briefing.brief, articles))
            for chat, article in zip(CHATS, articles, strict=True):
                tg.add_chat(chat)
                bot.services.subscriptions.subscribe(chat, time(7, 0), "UTC", clock.now)
                bot.services.index.record_chat_article(
                    chat, article.content_hash, message_id=None,
                    received_at=clock.now, title=article.title, source=None,
                )  # fmt: skip
            a = scheduler(bot.services, bot, "process-a", clock)
            b = scheduler(second, bot, "process-b", clock)
            clock.now = DUE
            yield Fleet(bot, clock, a, b, second)
        finally:
            await second.aclose()


async def test_two_processes_ticking_at_once_send_each_due_digest_once(fleet: Fleet) -> None:
    a, b = await asyncio.gather(fleet.a.tick(), fleet.b.tick())
    assert {chat: fleet.digests(chat) for chat in CHATS} == dict.fromkeys(CHATS, 1)
    assert a["sent"] + b["sent"] == len(CHATS)
    assert a["elsewhere"] + b["elsewhere"] == len(CHATS)  # each saw every chat, sent its share
    assert not a["failed"] and not b["failed"]
    fleet.clock.advance(minutes=1)
    assert list(await asyncio.gather(fleet.a.tick(), fleet.b.tick())) == [Counter(), Counter()]
    assert {fleet.digests(chat) for chat in CHATS} == {1}


class ReadEarlier(SubscriptionStore):
    """A process that listed the subscriptions just before the other one sent them."""

    def __init__(self, store: SubscriptionStore, listed: list[Subscription]) -> None:
        self.__dict__.update(store.__dict__)
        self._listed = listed

    def enabled(self) -> list[Subscription]:
        return self._listed

    async def enabled_off_loop(self) -> list[Subscription]:
        return self._listed


async def test_a_process_that_read_before_the_other_sent_does_not_send_again(
    fleet: Fleet,
) -> None:
    listed = fleet.second.subscriptions.enabled()
    assert (await fleet.a.tick())["sent"] == len(CHATS)
    stale = ReadEarlier(fleet.second.subscriptions, listed)
    late = scheduler(fleet.second, fleet.bot, "process-b", fleet.clock, stale)
    # The lease is free again (a released it), so only re-reading under it can tell.
    assert await late.tick() == Counter(elsewhere=len(CHATS))
    assert {fleet.digests(chat) for chat in CHATS} == {1}


async def test_a_dead_holders_lease_delays_the_digest_until_it_lapses(fleet: Fleet) -> None:
    chat, span = CHATS[0], fleet.bot.settings.lease_s
    dead = Leases(fleet.second.index, "killed-mid-send", clock=fleet.clock)
    assert dead.take(f"digest:{chat}", span)
    outcomes = await asyncio.gather(fleet.a.tick(), fleet.b.tick())
    assert sum(o["elsewhere"] for o in outcomes) == len(CHATS) + 1  # the held one: by both
    assert fleet.digests(chat) == 0
    fleet.clock.advance(seconds=span - 1)
    assert list(await asyncio.gather(fleet.a.tick(), fleet.b.tick())) == [
        Counter(elsewhere=1),
        Counter(elsewhere=1),
    ]
    fleet.clock.advance(seconds=1)  # lapsed: whoever ticks first sends it, once
    outcomes = await asyncio.gather(fleet.a.tick(), fleet.b.tick())
    assert sum(o["sent"] for o in outcomes) == 1
    assert {fleet.digests(c) for c in CHATS} == {1}


async def test_a_process_whose_lease_passed_on_while_building_does_not_send(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat, span = CHATS[0], fleet.bot.settings.lease_s
    other = Leases(fleet.second.index, "process-b", clock=fleet.clock)
    build = fleet.bot.services.digests.build

    async def stalled(chat_id: int, **kwargs: Any) -> DigestResult | None:
        # The loop stalls past the lease (no renewal ran): the other process takes over.
        fleet.clock.advance(seconds=span)
        assert other.take(f"digest:{chat_id}", span)
        return await build(chat_id, **kwargs)

    monkeypatch.setattr(fleet.bot.services.digests, "build", stalled)
    subs = fleet.bot.services.subscriptions
    sub = subs.get(chat)
    assert sub is not None
    one = scheduler(
        fleet.bot.services, fleet.bot, "process-a", fleet.clock, ReadEarlier(subs, [sub])
    )
    assert await one.tick() == Counter(lost=1)
    assert fleet.digests(chat) == 0
    assert sub == subs.get(chat)  # not marked: the lease's holder sends it
    assert other.holder(f"digest:{chat}") == "process-b"  # a let go of nothing it did not hold


async def test_digests_falling_due_are_sent_with_no_statement_of_theirs_on_the_loop(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Settings], postgres_url: str
) -> None:
    fake_llm.responder = newsroom()
    clock, chats = FakeClock(DUE - timedelta(hours=3)), CHATS[:4]
    async with running_bot(
        tg, fake_llm, make_settings, clock=clock, database_url=libpq_url(postgres_url),
        allowed_chat_ids=",".join(map(str, chats)), telegram_messages_per_second=1000,
    ) as bot:  # fmt: skip
        for chat in chats:
            tg.add_chat(chat)
            article = make_article(news(f"harbour news for chat {chat}"))
            await bot.services.briefing.brief(article)
            bot.services.subscriptions.subscribe(chat, time(7, 0), "UTC", clock.now)
            bot.services.index.record_chat_article(
                chat, article.content_hash, message_id=None,
                received_at=clock.now, title=article.title, source=None,
            )  # fmt: skip
        bot.services.chat_settings.set_digest_pictures(chats[0], enabled=True)  # its map too
        scheduler = bot.app.bot_data.scheduler
        with watch() as on_loop:
            assert await scheduler.tick() == Counter()  # not due yet
            clock.now = DUE
            assert await scheduler.tick() == Counter(sent=len(chats))
            clock.advance(minutes=1)
            assert await scheduler.tick() == Counter()  # sent today: never again
        assert {chat: sum(t.startswith("<b>🗞") for t in bot.texts(chat)) for chat in chats} == (
            dict.fromkeys(chats, 1)
        )
    # The tick, the lease, the re-read, the digest's reads and its marking wait on PostgreSQL
    # off the event loop (the LLM's budget, ops/, is another module's).
    ours = ("telegram/digest_sends", "telegram/pictures", "digest/", "feeds/")
    assert [c for c in on_loop.callers() if c.startswith(ours)] == []
