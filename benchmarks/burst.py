"""Burst: many distinct articles at once on top of a big stored history; loop lag and memory.

Run by the table in its own process, so that its peak RSS is the bot's (plus the in-process
fake servers), not the benchmark runner's: python -m benchmarks.burst DATA_DIR
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from benchmarks.common import LoopLag, bot_on, reply_times
from tests.briefings import news

ARTICLES, CHATS, LATENCY, CONCURRENCY = 500, 50, 1.0, 32


async def burst(data_dir: Path) -> dict[str, float]:
    """Send ARTICLES distinct articles from CHATS chats at once; time the last reply."""
    users = list(range(7000, 7000 + CHATS))
    async with bot_on(
        data_dir, latency=LATENCY, users=users, llm_max_concurrency=CONCURRENCY
    ) as bot:
        await asyncio.sleep(0.5)  # start-up work is not part of the burst
        with LoopLag() as lag:
            updates = [
                bot.tg.user_message(users[n % CHATS], users[n % CHATS], news(f"burst story {n}"))
                for n in range(ARTICLES)
            ]
            await bot.tg.wait_for(
                lambda: sum(len(reply_times(bot, u)) for u in users) >= ARTICLES, timeout=600
            )
        first = min(bot.tg.handed_out[u["update_id"]] for u in updates)
        last = max(t for u in users for t in reply_times(bot, u).values())
        calls = bot.llm.calls
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": last - first, "lag_ms": lag.worst * 1000, "rss_mb": rss_mb, "calls": calls}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(burst(Path(sys.argv[1])))))
