"""The bot's lifecycle around PTB's: the workers and their jobs, start-up and shutdown."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.ext import Application

from bot.config import Settings
from bot.jobs.bootstrap import job_runner
from bot.jobs.degraded import DegradedReplies
from bot.jobs.hosts import HostSlots
from bot.jobs.pending import PendingStore
from bot.jobs.workers import Queued, WorkerPool
from bot.services import Services
from bot.telegram.context import BotData
from bot.telegram.job_replies import TelegramReplies
from bot.telegram.menu import register_menus

log = logging.getLogger(__name__)


async def post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menu (never fatal), start the workers and resume pending jobs."""
    await register_menus(application.bot)
    log_startup(application)
    data: BotData = application.bot_data
    data.workers.start()
    data.pending.prune(datetime.now(UTC))
    resumed = data.pending.pending()
    if resumed:
        log.info("resuming %d pending job(s) from before the restart", len(resumed))
    for job in resumed:
        data.workers.submit(job, resumed=True)


async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the workers; what they had not finished stays pending for the next start."""
    data: BotData = application.bot_data
    await data.workers.stop()


def workers_for(settings: Settings) -> int:
    """Size the pool: enough to keep every LLM slot busy while others render and send."""
    return min(64, settings.llm_max_concurrency * 4)


def log_startup(application: Application) -> None:  # type: ignore[type-arg]
    """Log, in one line, what `briefbot check` checks: who we are, which model, where data goes."""
    data: BotData = application.bot_data
    settings = data.settings
    from bot.llm.client import safe_url

    llm = (
        f"{settings.llm_model} at {safe_url(settings.llm_base_url)}"
        if settings.llm_configured
        else "none (no LLM configured)"
    )
    log.info(
        "briefbot started: bot @%s, model %s, data dir %s, prompts %s",
        application.bot.username,
        llm,
        settings.bot_data_dir.resolve(),
        ", ".join(f"{p.name} v{p.version}" for p in data.services.prompts.values()),
    )


async def close_services(application: Application) -> None:  # type: ignore[type-arg]
    """Close the services the bot built for itself (`briefbot run`; tests close their own)."""
    data: BotData = application.bot_data
    await data.services.aclose()


def wire_jobs(application: Application, settings: Settings, services: Services) -> None:  # type: ignore[type-arg]
    """Give the bot its pending jobs, their runner and the workers that run them."""
    data: BotData = application.bot_data
    data.pending = PendingStore(services.index)
    data.degraded = DegradedReplies(services.index)
    data.replies = TelegramReplies(application.bot)
    hosts: HostSlots[Queued] = HostSlots(settings.fetches_per_host)
    data.jobs = job_runner(
        services,
        data.replies,
        data.pending,
        data.degraded,
        show_unverified=settings.show_unverified_quotes,
        fetched=hosts.release,
    )
    data.workers = WorkerPool(workers_for(settings), data.jobs.answer, hosts)
    data.jobs.redeliver = data.workers.submit_later
