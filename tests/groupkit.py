"""Helpers for the group, channel and topic tests (issue 10)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from telegram.ext import AIORateLimiter

from bot.config import Settings
from bot.telegram.limiter import PriorityRateLimiter
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import USER, Bot, running_bot

# Groups get one message per 3.2 s under the bot's real pacing; these tests don't measure
# pacing (the flood test scales the fake's limits instead), so they pace 64 times faster.
SPEED_UP = 64
WINDOW_S = 0.5  # album / forward-with-comment window: short, still far above loopback latency


def speed_up_group_pacing(bot: Bot, factor: float = SPEED_UP) -> None:
    """Divide the bot's per-group send interval by `factor` (a no-op with another limiter)."""
    limiter = bot.app.bot.rate_limiter
    if isinstance(limiter, AIORateLimiter) and hasattr(limiter, "_group_time_period"):
        limiter._group_time_period /= factor
    if isinstance(limiter, PriorityRateLimiter):  # the bot's own limiter (issue 11)
        limits = limiter.budget.limits
        limiter.budget.limits = replace(limits, group_span_s=limits.group_span_s / factor)


@asynccontextmanager
async def group_bot(
    tg: FakeTelegram, llm: FakeLLM, make_settings: Callable[..., Settings], **overrides: Any
) -> AsyncIterator[Bot]:
    """Run the bot with fast group pacing and a short album window."""
    overrides.setdefault("album_window_s", WINDOW_S)
    async with running_bot(tg, llm, make_settings, **overrides) as bot:
        speed_up_group_pacing(bot)
        yield bot


async def settle(bot: Bot, chat_id: int, user_id: int = USER) -> None:
    """Wait until the bot answered a /help sent now (after the updates pushed before it)."""
    before = len(bot.tg.sent_messages(chat_id))
    bot.tg.command(chat_id, user_id, "help")
    await bot.replies(chat_id, before + 1)
    await idle(bot)


async def idle(bot: Bot) -> None:
    """Wait until every update fetched so far is handled and the workers have finished."""
    # Articles are answered by workers after their update is handled: wait for those too.
    app = bot.app
    await bot.tg.wait_for(
        lambda: app.update_queue.empty() and app.update_processor.current_concurrent_updates == 0,
        timeout=20,
    )
    await asyncio.wait_for(app.bot_data.workers.join(), timeout=20)


def is_help(text: str) -> bool:
    """Tell /help's answer apart from everything else the bot sends."""
    return "<b>briefbot</b> turns news" in text


async def answered(bot: Bot, chat_id: int, count: int = 1) -> list[str]:
    """Wait for `count` answers (not /help's), let stragglers arrive, return all answers."""
    await bot.tg.wait_for(
        lambda: len([t for t in bot.texts(chat_id) if not is_help(t)]) >= count,
        timeout=10,
        message=f"{count} answer(s) in chat {chat_id}",
    )
    await settle(bot, chat_id)
    return [t for t in bot.texts(chat_id) if not is_help(t)]
