"""Fetch limits an allowed user cannot talk around: a fetch quota, jobs in flight, hosts."""

from __future__ import annotations

import asyncio

from bot.sources.article_reader import SourceService
from tests.briefings import echo_briefing, news
from tests.e2e.test_links import PUBLIC, send_link
from tests.fake_telegram import parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import USER, Bot, running_bot
from tests.pages import news_page


class SlowHost(FakeResolver):
    """DNS for two hosts: slow.test answers only once the test opens the gate."""

    def __init__(self, slow: str = "slow.test") -> None:
        super().__init__({slow: [[PUBLIC]], "fast.test": [[PUBLIC]]})
        self.slow = slow
        self.gate = asyncio.Event()
        self.waiting = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        if host == self.slow:
            self.waiting += 1
            await self.gate.wait()
        return await super().__call__(host, port)


def _use(bot: Bot, resolver: FakeResolver, transport: RoutingTransport) -> None:
    bot.services.sources = SourceService(bot.settings, resolver=resolver, transport=transport)


async def test_failed_fetches_count_against_a_fetch_quota_never_given_back(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    with FakeWeb() as web:
        async with running_bot(
            tg, fake_llm, make_settings, user_rate_limit_per_hour=2, user_hourly_fetches=2,
            fetch_allow_private_networks=True,
        ) as bot:  # fmt: skip
            for i in range(10):
                send_link(bot, web.url(f"/gone{i}"))
                await bot.replies(USER, i + 1)
            texts = [parse_html(t)[0] for t in bot.texts(USER)]
    assert len(web.hits) == 2  # not 10: a 404 gives the article slot back, not the fetch
    assert all("HTTP 404" in t for t in texts[:2])
    assert all("fetch a lot of links" in t for t in texts[2:])
    assert fake_llm.calls == 0


async def test_a_person_has_at_most_so_many_jobs_in_flight(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = echo_briefing
    resolver = SlowHost()
    with FakeWeb() as web:
        transport = RoutingTransport(web)
        async with running_bot(tg, fake_llm, make_settings, user_jobs_in_flight=3) as bot:
            _use(bot, resolver, transport)
            for i in range(5):
                send_link(bot, f"http://slow.test/a{i}")
            replies = await bot.replies(USER, 2)  # two refusals while three are in flight
            assert all("still working on" in r["text"] for r in replies)
            resolver.gate.set()
            await bot.replies(USER, 5)
            # Answered: the next one is accepted again.
            send_link(bot, "http://fast.test/a9")
            [*_, last] = await bot.replies(USER, 6)
            assert "still working on" not in last["text"]
        await transport.aclose()


async def test_a_slow_host_cannot_take_every_worker(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = echo_briefing
    resolver = SlowHost()
    with FakeWeb() as web:
        web.add("/harbour", news_page(news("harbour strike")))
        transport = RoutingTransport(web)
        # Four workers, two fetches of one host at a time.
        async with running_bot(tg, fake_llm, make_settings, llm_max_concurrency=1,
                               fetches_per_host=2) as bot:  # fmt: skip
            assert len(bot.app.bot_data.workers._tasks) == 4
            _use(bot, resolver, transport)
            for i in range(6):
                send_link(bot, f"http://slow.test/a{i}")
            await bot.tg.wait_for(lambda: resolver.waiting == 2, timeout=10)
            send_link(bot, "http://fast.test/harbour")
            [reply] = await bot.replies(USER, 1)
            assert "Harbour Strike officials said" in reply["text"]
            assert resolver.waiting == 2  # the others wait their turn, holding no worker
            resolver.gate.set()
            await bot.replies(USER, 7)
            assert resolver.waiting == 6
        await transport.aclose()
