"""Digest fan-out at Telegram's real limits: 1,000 chats due at the same minute.

Run: python -m benchmarks.fanout [--chats 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from bot.articles.text import make_article
from tests.briefings import is_digest, news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, running_bot, settings_for


async def fanout(chats: int) -> dict[str, float]:
    """Send 1,000 due digests through the bot's limiter; return what it achieved."""
    groups = chats // 10
    chat_ids = [*range(10_001, 10_001 + chats - groups),
                *range(-1009_000_000_001, -1009_000_000_001 - groups, -1)]  # fmt: skip
    clock = FakeClock(datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLLM(newsroom()) as llm,
        FakeTelegram(rate_limits=True, global_per_second=30, group_per_minute=20) as tg,
    ):
        make = functools.partial(settings_for, Path(tmp) / "data", llm)
        # Digests re-check access at every tick: the chats must be allowed.
        allowed = ",".join(map(str, chat_ids))
        async with running_bot(
            tg, llm, make, clock=clock, llm_max_concurrency=4, allowed_chat_ids=allowed
        ) as bot:
            articles = [make_article(news(f"region {i}")) for i in range(10)]
            for article in articles:
                await bot.services.briefing.brief(article)
            for n, chat in enumerate(chat_ids):
                a = articles[n % 10]
                bot.services.index.record_chat_article(chat, a.content_hash, message_id=n,
                                                       received_at=clock.now, title=a.title,
                                                       source=None)  # fmt: skip
                bot.services.subscriptions.subscribe(chat, clock_time(7, 0), "UTC", clock.now)
                tg.add_chat(chat)  # subscribed earlier: the fake Bot API knows the chat
            clock.now += timedelta(hours=1, seconds=10)
            started = time.perf_counter()
            outcome = await bot.app.bot_data.scheduler.tick()
            elapsed = time.perf_counter() - started
        sent = len(tg.sent_messages())
        print(f"digest fan-out: {chats} chats ({groups} groups) due at the same minute")
        print(f"  delivered {outcome['sent']}/{chats}, Telegram 429s: {tg.rate_limited}")
        print(f"  wall time {elapsed:.1f} s, {sent / elapsed:.1f} messages/s")
        print(f"  LLM digest calls: {sum(is_digest(r) for r in llm.requests)} "
              f"(10 distinct article sets), max in flight {llm.max_in_flight}")  # fmt: skip
        return {"delivered": outcome["sent"], "chats": chats, "flood_errors": tg.rate_limited,
                "wall_s": elapsed, "per_s": sent / elapsed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=1000)
    asyncio.run(fanout(parser.parse_args().chats))


if __name__ == "__main__":
    main()
