"""Stored-data scenarios: /who over years of history, and building a big digest.

The history is synthetic, written through the real store by `benchmarks.seed`.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import LoopLag, Result, bot_on, median, pct
from benchmarks.seed import seed_chat
from bot.services import build_services
from bot.store.briefing_cache import BriefingCache
from bot.store.index import Index
from tests.briefings import digest_reply
from tests.fake_llm import FakeLLM
from tests.harness import settings_for

WHO_CHAT, DIGEST_CHAT = 777, 778
WHO_BRIEFINGS, WHO_STANCES = 20_000, 5  # 100,000 stances
DIGEST_ARTICLES = 500
QUERIES = [
    "Kim Jong Un", "kim", "the north korean leader", "pyongyang", "DPRK", "North Korea",
    "Actor 7 Lastname7", "Minister 40", "actor 1500", "Lastname33", "Actr 25 Lastname25",
    "nobody we know", "Actor 1999 Lastname59", "Minister 1990",
]  # fmt: skip


def seed(data_dir: Path, now: datetime) -> dict[str, float]:
    """Write the /who chat (20,000 briefings over two years) and the digest chat (500 today)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    index = Index(data_dir / "index.sqlite3")
    started = time.perf_counter()
    seed_chat(index, WHO_CHAT, briefings=WHO_BRIEFINGS, stances=WHO_STANCES,
              start=now - timedelta(days=730), span=timedelta(days=729))  # fmt: skip
    seeded_who = time.perf_counter() - started
    seed_chat(index, DIGEST_CHAT, briefings=DIGEST_ARTICLES, start=now - timedelta(hours=23),
              span=timedelta(hours=22), cache=BriefingCache(data_dir), first=10**6)  # fmt: skip
    index.close()
    (data_dir / "seeded-at").write_text(now.isoformat())
    return {"seed_who_s": seeded_who, "seed_total_s": time.perf_counter() - started}


def seeded_at(data_dir: Path) -> datetime:
    """Return the instant a seeded directory was made for (its digest window ends there)."""
    return datetime.fromisoformat((data_dir / "seeded-at").read_text().strip())


async def who(data_dir: Path, rounds: int = 1, lists: int = 3) -> Result:
    """Ask /who NAME in the big chat, end to end: command handed out → answer sent.

    Then `lists` times /who alone (the actor list of the last 30 days), reported apart.
    """
    latencies: list[float] = []
    listed: list[float] = []
    async with bot_on(data_dir, users=[WHO_CHAT]) as bot:

        async def ask(query: str) -> float:
            # Wait for the previous answer's later parts, and keep to Telegram's ~1
            # message/s in a private chat, which the send limiter (rightly) enforces.
            await asyncio.sleep(2.0)
            before = len(bot.tg.sent_messages(WHO_CHAT))
            update = bot.tg.command(WHO_CHAT, WHO_CHAT, "who", args=query)
            await bot.replies(WHO_CHAT, before + 1, timeout=60)
            answered = [r.at for r in bot.tg.requests("sendMessage")
                        if r.params.get("chat_id") == WHO_CHAT and r.status == 200]  # fmt: skip
            return (answered[before] - bot.tg.handed_out[update["update_id"]]) * 1000

        for _ in range(rounds):
            latencies += [await ask(query) for query in QUERIES]
        listed += [await ask("") for _ in range(lists)]
    p95 = pct(latencies, 95)
    each = zip(QUERIES * rounds, latencies, strict=True)
    print("/who per name (ms):", ", ".join(f"{q}={t:.0f}" for q, t in each), file=sys.stderr)
    print("/who alone, the actor list (ms):", ", ".join(f"{t:.0f}" for t in listed),
          file=sys.stderr)  # fmt: skip
    return Result(
        "/who NAME in a chat with years of history",
        f"{WHO_BRIEFINGS * WHO_STANCES:,} stances over {WHO_BRIEFINGS:,} briefings, "
        f"{len(QUERIES)} names x {rounds}, end to end",
        f"median {median(latencies):.0f} ms, p95 {p95:.0f} ms",
        "p95 ≤ 50 ms",
        p95 <= 50,
        {
            "median_ms": median(latencies),
            "p95_ms": p95,
            "max_ms": max(latencies),
            "list_median_ms": median(listed) if listed else 0.0,
        },
    )


async def digest_build(data_dir: Path, now: datetime, runs: int = 5) -> Result:
    """Build the 500-article digest: time the event loop spent on it (the LLM is instant)."""
    loop_ms: list[float] = []
    walls: list[float] = []
    worst = 0.0
    with FakeLLM(digest_reply) as llm:
        services = build_services(settings_for(data_dir, llm))
        try:
            for _ in range(runs):
                for old in (data_dir / "digests").glob("*/*.json"):
                    old.unlink()  # a new digest every run, not the cached one
                with LoopLag() as lag:
                    cpu, wall = time.thread_time(), time.perf_counter()
                    result = await services.digests.build(
                        DIGEST_CHAT, since=now - timedelta(hours=24), until=now
                    )
                    loop_ms.append((time.thread_time() - cpu) * 1000)
                    walls.append((time.perf_counter() - wall) * 1000)
                    await asyncio.sleep(0.005)  # let the probe see the last stretch
                worst = max(worst, lag.worst * 1000)
                assert result is not None
        finally:
            await services.aclose()
    used = median(loop_ms)
    return Result(
        "digest build, 500 articles in the window",
        f"{DIGEST_ARTICLES} briefed articles in 24 h, {runs} builds, fake LLM instant",
        f"event-loop CPU {used:.0f} ms (wall {median(walls):.0f} ms, longest block {worst:.0f} ms)",
        "≤ 50 ms of event-loop time",
        used <= 50,
        {"loop_cpu_ms": used, "wall_ms": median(walls), "longest_block_ms": worst},
    )


def now_utc() -> datetime:
    """Return the current instant."""
    return datetime.now(UTC)
