"""Burst: many distinct articles at once on top of a big stored history; loop lag and memory.

Run by the table in its own process, so that its peak RSS is the bot's (plus the in-process
fake servers), not the benchmark runner's: python -m benchmarks.burst DATA_DIR
"""

from __future__ import annotations

import asyncio
import json
import math
import resource
import sys
from pathlib import Path

from benchmarks.common import LoopLag, RemoteBot, bot_on, reply_times
from bot.config import Settings
from tests.briefings import news

ARTICLES, CHATS, LATENCY, CONCURRENCY = 500, 50, 1.0, 32


async def burst(data_dir: Path) -> dict[str, float]:
    """Send ARTICLES distinct articles from CHATS chats at once; time the last reply."""
    users = list(range(7000, 7000 + CHATS))
    async with bot_on(
        data_dir, latency=LATENCY, users=users, llm_max_concurrency=CONCURRENCY
    ) as bot:
        await asyncio.sleep(0.5)  # start-up work is not part of the burst
        if isinstance(bot, RemoteBot):
            bot.reset_lag()
        with LoopLag() as lag:
            updates = [
                bot.tg.user_message(users[n % CHATS], users[n % CHATS], news(f"burst story {n}"))
                for n in range(ARTICLES)
            ]
            await bot.tg.wait_for(
                lambda: sum(len(reply_times(bot, u)) for u in users) >= ARTICLES, timeout=600
            )
        first = min(bot.tg.handed_out[u["update_id"]] for u in updates)
        replied = sorted(t for u in users for t in reply_times(bot, u).values())
        calls = bot.llm.calls
    if isinstance(bot, RemoteBot):  # the bot's own loop and memory, in its own process
        lag_ms, rss_mb, stalls = bot.stats["lag_ms"], bot.stats["rss_mb"], bot.stats["stalls"]
        lag_cpu_ms = bot.stats["lag_cpu_ms"]
    else:
        lag_ms, stalls, lag_cpu_ms = lag.worst * 1000, lag.stalls, lag.worst_cpu * 1000
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first_reply = replied[0] - first
    return {
        "wall_s": replied[-1] - first,
        "first_reply_s": first_reply,
        "send_floor_s": first_reply + send_floor(ARTICLES),
        "lag_ms": lag_ms,
        "lag_cpu_ms": lag_cpu_ms,
        "stalls": stalls,
        "rss_mb": rss_mb,
        "calls": calls,
    }


def send_floor(replies: int) -> float:
    """Return the least time Telegram's overall window lets `replies` messages take.

    The limiter keeps TELEGRAM_MESSAGES_PER_SECOND (default 28) in any second, so the k-th
    group of 28 replies cannot leave before the first reply plus k seconds: with 500, the
    18th group leaves 17 s after the first reply, whatever the LLM and the bot do.
    """
    rate = float(Settings.model_fields["telegram_messages_per_second"].default)
    return (math.ceil(replies / round(rate)) - 1) * round(rate) / rate


if __name__ == "__main__":
    print(json.dumps(asyncio.run(burst(Path(sys.argv[1])))))
