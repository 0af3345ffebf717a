"""1,000 chats due at the same minute, against a fake Bot API that enforces flood limits."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.articles.text import make_article
from tests.briefings import is_digest, news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, running_bot

CHATS = [*range(10_001, 10_901), *range(-1009_000_000_001, -1009_000_000_101, -1)]  # 900 + 100


async def test_thousand_chats_all_delivered_without_a_single_429(
    fake_llm: FakeLLM, make_settings
) -> None:
    # Telegram's limits scaled x10 on both sides (300/s overall, 200/min per group) keep the
    # test to seconds; benchmarks/fanout.py measures the same at the real limits.
    clock = FakeClock(datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    fake_llm.responder = newsroom()
    with FakeTelegram(rate_limits=True, global_per_second=300, group_per_minute=200) as tg:
        async with running_bot(tg, fake_llm, make_settings, clock=clock, llm_max_concurrency=4,
                               allowed_chat_ids=",".join(map(str, CHATS)),
                               telegram_messages_per_second=250) as bot:  # fmt: skip
            services = bot.services
            articles = [make_article(news(f"region {i}")) for i in range(10)]
            for article in articles:
                await services.briefing.brief(article)
            for n, chat in enumerate(CHATS):
                article = articles[n % 10]  # ten distinct sets of briefings: ten digest calls
                services.index.record_chat_article(chat, article.content_hash, message_id=n,
                                                   received_at=clock.now, title=article.title,
                                                   source=None)  # fmt: skip
                services.subscriptions.subscribe(chat, time(7, 0), "UTC", clock.now)
                tg.add_chat(chat)  # subscribed earlier, with /digest on
            clock.now += timedelta(hours=1, seconds=10)
            outcome = await bot.app.bot_data.scheduler.tick()
            assert outcome["sent"] == len(CHATS)
            assert not await bot.app.bot_data.scheduler.tick()  # nothing twice
    delivered = {m["chat_id"] for m in tg.sent_messages()}
    assert delivered == set(CHATS)
    assert tg.rate_limited == 0
    assert sum(is_digest(r) for r in fake_llm.requests) == 10
    assert fake_llm.max_in_flight <= 4
