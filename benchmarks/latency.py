"""Latency scenarios: the bot's own overhead, cache hits, dedup, a group burst, steady load."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from benchmarks.common import RemoteBot, Result, bot_on, median, pct, reply_times
from tests.briefings import article_of, news
from tests.harness import GROUP, USER, Bot

WARM_UP = 5  # first articles pay for imports and connection set-up; not counted


PACE_S = 0.1  # at most 10 articles a second: see _one_at_a_time


async def paced(
    bot: Bot | RemoteBot, texts: list[str], first_user: int
) -> list[tuple[float, float]]:
    """Send articles one at a time, each from its own chat; return (handed out, replied) each."""
    # Each article from its own chat: one chat sending 200 articles in seconds would be
    # (rightly) held to Telegram's ~1 message/s per chat, which is not what is measured here.
    # Paced: sent back to back (50 a second with a 20 ms answer) the replies alone exceed
    # Telegram's ~30 messages/s overall, and the figure would be the send limiter's
    # (correct) wait for the next second, not the bot's overhead.
    spans = []
    started = time.monotonic()
    for n, text in enumerate(texts):
        await asyncio.sleep(max(0.0, started + n * PACE_S - time.monotonic()))
        chat = first_user + n
        update = bot.tg.user_message(chat, chat, text)
        uid, mid = update["update_id"], update["message"]["message_id"]

        def answered(c: int = chat, m: int = mid) -> bool:
            return m in reply_times(bot, c)

        await bot.tg.wait_for(answered, timeout=60)
        spans.append((bot.tg.handed_out[uid], reply_times(bot, chat)[mid]))
    return spans


async def _one_at_a_time(bot: Bot | RemoteBot, texts: list[str], first_user: int) -> list[float]:
    return [replied - handed for handed, replied in await paced(bot, texts, first_user)]


async def overhead_and_cache_hit(tmp: Path, count: int = 200) -> list[Result]:
    """Time handed-out → reply for new articles (instant LLM), then for the same ones again."""
    texts = [news(f"overhead story {i}") for i in range(count)]
    users = list(range(5000, 5000 + count))
    async with bot_on(tmp / "overhead", users=[*range(4000, 4000 + WARM_UP), *users]) as bot:
        await _one_at_a_time(bot, [news(f"warm up {i}") for i in range(WARM_UP)], 4000)
        raw = [g * 1000 for g in await _one_at_a_time(bot, texts, users[0])]
        hit = [g * 1000 for g in await _one_at_a_time(bot, texts, users[0])]
        llm = _llm_ms(bot, texts)
    # Minus the LLM's latency: the fake LLM's own time to answer (request read → answer
    # written), measured per article. "Instant" still costs it ~1-2 ms of Python (JSON in
    # and out) in the benchmark's process; that time is the LLM server's, not the bot's.
    new = [r - t for r, t in zip(raw, llm, strict=True)]
    med, p99 = median(new), pct(new, 99)
    return [
        Result(
            "overhead: new article → reply, minus the LLM's latency",
            f"{count} articles one at a time, fake LLM instant",
            f"median {med:.1f} ms, p99 {p99:.1f} ms (before subtracting the fake LLM's "
            f"{median(llm):.1f} ms: {median(raw):.1f} / {pct(raw, 99):.1f} ms)",
            "median ≤ 10 ms (goal 5), p99 ≤ 25 ms",
            med <= 10 and p99 <= 25,
            {
                "median_ms": med,
                "p99_ms": p99,
                "raw_median_ms": median(raw),
                "raw_p99_ms": pct(raw, 99),
                "llm_median_ms": median(llm),
            },
        ),
        Result(
            "cache hit: re-forwarded article → reply",
            f"the same {count} articles again",
            f"median {median(hit):.1f} ms, p99 {pct(hit, 99):.1f} ms",
            "median ≤ 10 ms",
            median(hit) <= 10,
            {"median_ms": median(hit), "p99_ms": pct(hit, 99)},
        ),
    ]


def _llm_ms(bot: Bot | RemoteBot, texts: list[str]) -> list[float]:
    """The fake LLM's time to answer each article's request, in ms (in the order of texts)."""
    answered = {
        article_of(q).split("\n", 1)[0]: (q.answered_at - q.at) * 1000
        for q in bot.llm.requests
        if q.answered_at is not None
    }
    return [answered[text.split("\n", 1)[0]] for text in texts]


async def dedup(tmp: Path, chats: int = 100) -> Result:
    """Many chats forward the same new article at once: one LLM call between them."""
    users = list(range(2000, 2000 + chats))
    text = news("one story everyone forwards")
    async with bot_on(tmp / "dedup", latency=1.0, users=users, llm_max_concurrency=32) as bot:
        for user in users:
            bot.tg.user_message(user, user, text)
        for user in users:
            await bot.replies(user, timeout=60)
        calls = bot.llm.calls
    return Result(
        "dedup: the same new article from many chats at once",
        f"{chats} chats, LLM 1 s",
        f"{calls} LLM call(s), {chats}/{chats} answered",
        "exactly 1 LLM call",
        calls == 1,
        {"llm_calls": calls},
    )


async def group_burst(tmp: Path, articles: int = 10, latency: float = 8.0) -> Result:
    """Articles forwarded at once in one group: replies within the LLM's latency."""
    async with bot_on(
        tmp / "group", latency=latency, rate_limits=True, llm_max_concurrency=32
    ) as bot:
        origin = bot.tg.origin_channel(title="Wire", username="wire")
        mids = [
            bot.tg.user_message(GROUP, USER, news(f"group story {i}"), forward_origin=origin)
            for i in range(articles)
        ]
        await bot.tg.wait_for(
            lambda: len(reply_times(bot, GROUP)) >= articles, timeout=latency + 120
        )
        first = min(bot.tg.handed_out[u["update_id"]] for u in mids)
        wall = max(reply_times(bot, GROUP).values()) - first
        floods = bot.tg.rate_limited
    return Result(
        "group burst: articles at once in one group",
        f"{articles} articles, LLM {latency:.0f} s, LLM_MAX_CONCURRENCY=32, 20/min enforced",
        f"all replies in {wall:.2f} s, {floods} flood errors",
        f"≤ {latency:.0f} s + 0.5 s (10 replies fit Telegram's 20/min: no spacing due)",
        wall <= latency + 0.5 and floods == 0,
        {"wall_s": wall, "flood_errors": floods},
    )


async def steady_load(
    tmp: Path, chats: int = 100, every: float = 4.0, rounds: int = 3, latency: float = 5.0
) -> Result:
    """Chats keep sending while the LLM is slow: does any update wait for a handler slot?"""
    users = list(range(3000, 3000 + chats))
    probe = 2999  # sends /help meanwhile: is an update answered while the LLM calls wait?
    probes: list[tuple[int, int]] = []
    async with bot_on(
        tmp / "load", latency=latency, users=[probe, *users], llm_max_concurrency=256
    ) as bot:
        sent: dict[str, tuple[int, int, int]] = {}  # first line → (chat, update id, message id)
        for r in range(rounds):
            started = time.monotonic()
            for n, user in enumerate(users):
                if r and n % 25 == 0:
                    asked_help = bot.tg.command(probe, probe, "help")
                    probes.append((asked_help["update_id"], asked_help["message"]["message_id"]))
                text = news(f"load {user} {r}")
                update = bot.tg.user_message(user, user, text)
                ids = (user, update["update_id"], update["message"]["message_id"])
                sent[text.split("\n", 1)[0]] = ids
                await asyncio.sleep(every / chats)  # spread over the period
            await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))
        total = len(sent)
        await bot.tg.wait_for(
            lambda: sum(len(reply_times(bot, u)) for u in users) >= total, timeout=300
        )
        helped = reply_times(bot, probe)
        handled = [(helped[m] - bot.tg.handed_out[u]) * 1000 for u, m in probes if m in helped]
        asked = {article_of(q).split("\n", 1)[0]: q.at for q in bot.llm.requests}
        slot_wait, after_llm = [], []
        for line, (user, uid, mid) in sent.items():
            slot_wait.append((asked[line] - bot.tg.handed_out[uid]) * 1000)
            after_llm.append((reply_times(bot, user)[mid] - asked[line] - latency) * 1000)
    worst = max(slot_wait)
    answered = max(handled) if len(handled) == len(probes) else float("inf")
    return Result(
        "load: steady stream from many chats, slow LLM",
        f"{chats} chats, an article each every {every:.0f} s, {rounds} rounds, "
        f"LLM {latency:.0f} s; {len(probes)} /help probes meanwhile",
        f"/help answered within {answered:.0f} ms; article → its LLM call median "
        f"{median(slot_wait):.0f} ms (max {worst:.0f}); reply {median(after_llm):.1f} ms "
        "after the LLM (median)",
        "no update waits for a handler slot; reply ≤ 50 ms after the LLM",
        answered <= 250 and median(after_llm) <= 50,
        {
            "probe_max_ms": answered,
            "to_llm_median_ms": median(slot_wait),
            "to_llm_max_ms": worst,
            "after_llm_median_ms": median(after_llm),
        },
    )
