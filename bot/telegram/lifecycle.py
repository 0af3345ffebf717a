"""The bot's lifecycle around PTB's: the workers and their jobs, start-up and shutdown."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.ext import Application

from bot.config import Settings
from bot.jobs.bootstrap import job_runner
from bot.jobs.claim_loop import ClaimLoop
from bot.jobs.claims import JobClaims
from bot.jobs.degraded import DegradedReplies
from bot.jobs.hosts import HostSlots
from bot.jobs.pending import PendingStore, prune_jobs
from bot.jobs.workers import Queued, WorkerPool
from bot.services import Services
from bot.telegram.context import BotData
from bot.telegram.job_replies import TelegramReplies
from bot.telegram.menu import register_menus

log = logging.getLogger(__name__)


async def post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menu (never fatal), start the workers and resume pending jobs."""
    await _start(application, "briefbot started")


async def worker_init(application: Application) -> None:  # type: ignore[type-arg]
    """Start as `briefbot worker`: post_init's work, said in its own start-up line."""
    await _start(application, "briefbot worker started (no updates: jobs, digests, feeds)")


async def _start(application: Application, started: str) -> None:  # type: ignore[type-arg]
    await register_menus(application.bot)
    log_startup(application, started)
    data: BotData = application.bot_data
    await data.services.index.run(prune_jobs, datetime.now(UTC))
    if not data.workers.free:
        log.info("no job workers (JOB_WORKERS=0): `briefbot worker` processes answer the jobs")
        return
    data.workers.start()
    # A process of this host killed with its jobs claimed (the one we replace, most often)
    # need not be waited for: its jobs are claimed again in the first round, at once.
    released = await data.claimer.claims.release_the_dead_here()
    if released:
        log.info("%d job(s) claimed by a process of this host that runs no more", released)
    data.claimer.start()


async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the workers and let go of their jobs: another process, or the next start, takes them."""
    data: BotData = application.bot_data
    await data.claimer.stop()
    await data.workers.stop()
    await data.claimer.release()


def workers_for(settings: Settings) -> int:
    """Size the pool: enough to keep every LLM slot busy while others render and send."""
    return min(64, settings.llm_max_concurrency * 4)


def log_startup(application: Application, started: str = "briefbot started") -> None:  # type: ignore[type-arg]
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
        "%s: bot @%s, model %s, data dir %s, prompts %s",
        started,
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
    size = workers_for(settings) if settings.job_workers is None else settings.job_workers
    data.workers = WorkerPool(size, data.jobs.answer, hosts)
    data.jobs.redeliver = data.workers.submit_later
    data.jobs.claims = JobClaims(services.index, settings.job_lease_s)
    data.claimer = ClaimLoop(data.jobs.claims, data.workers, poll_s=settings.job_poll_s)
