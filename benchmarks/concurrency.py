"""Twenty chats send an article at once to a slow LLM: wall time vs. the LLM's latency.

Run: python -m benchmarks.concurrency [--latency 2.0] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import tempfile
import time
from pathlib import Path

from tests.briefings import echo_briefing, news
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.harness import running_bot, settings_for


async def measure(latency: float, concurrency: int, chats: int = 20) -> None:
    def slow(request: Request) -> Reply:
        reply = echo_briefing(request)
        reply.delay_s = latency
        return reply

    users = list(range(1000, 1000 + chats))
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(slow) as llm, FakeTelegram() as tg:
        make = functools.partial(settings_for, Path(tmp) / "data", llm)
        async with running_bot(tg, llm, make, llm_max_concurrency=concurrency,
                               allowed_user_ids=",".join(map(str, users))) as bot:  # fmt: skip
            started = time.perf_counter()
            for user in users:
                tg.user_message(user, user, news(f"city {user}"))
            for user in users:
                await bot.replies(user, timeout=chats * latency + 30)
            elapsed = time.perf_counter() - started
    ideal = latency * chats / concurrency
    setting = f"LLM_MAX_CONCURRENCY={concurrency}"
    print(f"concurrency: {chats} chats, LLM latency {latency:.1f} s, {setting}")
    print(f"  wall time {elapsed:.2f} s (ideal {ideal:.2f} s, serial {latency * chats:.1f} s), "
          f"max LLM calls in flight {llm.max_in_flight}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(measure(args.latency, args.concurrency))


if __name__ == "__main__":
    main()
