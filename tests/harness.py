"""The whole bot, as `briefbot run` wires it, against the fake Bot API and fake LLM servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.config import Settings, load_settings
from bot.llm.client import OpenAIAdapter
from bot.services import Services, build_services
from bot.sources.article_reader import SourceService
from bot.telegram.app import build_application
from bot.telegram.limiter import PriorityRateLimiter
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.fake_web import FakeResolver

USER, OTHER_USER, STRANGER = 100, 101, 666
GROUP = -1001234500001


def settings_for(data_dir: Path, llm: FakeLLM, **overrides: Any) -> Settings:
    """Settings pointing at the fake LLM and a data directory (tests and benchmarks)."""
    values: dict[str, Any] = {
        "bot_data_dir": data_dir,
        "openai_base_url": llm.base_url,
        "openai_api_key": "sk-test-secret",
        "llm_model": "fake-model",
        "llm_timeout_s": 5.0,
        "album_window_s": 0.3,  # albums and forward-with-comment: far above loopback latency
    }
    values.update(overrides)
    return load_settings(**values)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward and return the new now."""
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Bot:
    """A running bot and the fakes around it."""

    tg: FakeTelegram
    llm: FakeLLM
    services: Services
    app: Application  # type: ignore[type-arg]
    settings: Settings

    def texts(self, chat_id: int) -> list[str]:
        """Return the texts the bot sent to a chat (HTML as sent)."""
        return [str(m["text"]) for m in self.tg.sent_messages(chat_id)]

    async def replies(
        self, chat_id: int, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until the bot has sent at least `count` messages to the chat; return them all."""
        await self.tg.wait_for(
            lambda: len(self.tg.sent_messages(chat_id)) >= count,
            timeout=timeout,
            message=f"{count} message(s) to chat {chat_id}",
        )
        return self.tg.sent_messages(chat_id)


async def _no_sleep(_seconds: float) -> None:
    """Back off without waiting."""


def _speed_up_private_pacing(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    # A private chat gets one message a second after a burst of 3 (bot/telegram/chat_pace.py,
    # tested with a fake clock); these tests don't measure pacing, so it goes 20 times faster.
    limiter = app.bot.rate_limiter
    if isinstance(limiter, PriorityRateLimiter):
        limits = limiter.budget.limits
        limiter.budget.limits = replace(limits, private_interval_s=limits.private_interval_s / 20)


@asynccontextmanager
async def running_bot(
    tg: FakeTelegram,
    llm: FakeLLM,
    make_settings: Callable[..., Settings],
    *,
    clock: Callable[[], datetime] | None = None,
    llm_sleep: Callable[[float], Awaitable[None]] | None = None,
    **overrides: Any,
) -> AsyncIterator[Bot]:
    """Start the real Application (long polling) against the fakes; stop it cleanly after."""
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_base_url": tg.base_url,
        "allowed_user_ids": f"{USER},{OTHER_USER}",
    }
    values.update(overrides)
    settings = make_settings(**values)
    # LLM retries back off without sleeping: tenacity's random waits (up to seconds each) are
    # tested in test_llm.py with a recording sleep; here they would only slow the suite down.
    sleep = llm_sleep or _no_sleep
    llm_port = OpenAIAdapter(settings, sleep=sleep) if settings.llm_configured else None
    services = build_services(settings, llm=llm_port)
    # No test may reach the internet: links and followed feeds (one SourceService serves
    # both) resolve through an empty fake DNS, every name unknown, unless a test installs its
    # own fake web.
    services.sources = services.feeds.sources = SourceService(settings, resolver=FakeResolver())
    # With a test clock the digest tick is driven by the test, not by the JobQueue.
    extra: dict[str, Any] = {"clock": clock, "digest_job": False} if clock else {}
    app = build_application(settings, services, **extra)
    # "typing…" at once, as the tests check it with an instant fake LLM (test_bot tests the wait).
    app.bot_data.replies.typing_after_s = 0.0
    _speed_up_private_pacing(app)
    async with app:
        if app.post_init:  # run_polling() calls it; we start the pieces by hand
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield Bot(tg, llm, services, app, settings)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop:  # run_polling() calls it: the briefing workers stop here
                await app.post_stop(app)
    await services.aclose()
