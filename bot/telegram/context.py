"""Typed context: what every handler can reach through `context.bot_data`."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.actors.page_tokens import PageTokens
from bot.config import Settings
from bot.jobs.claim_loop import ClaimLoop
from bot.jobs.degraded import DegradedReplies
from bot.jobs.pending import PendingStore
from bot.jobs.runner import JobRunner
from bot.jobs.workers import WorkerPool
from bot.services import Services
from bot.telegram.access import Allowlist, InFlight, UserRateLimit
from bot.telegram.command_windows import CommandLimits
from bot.telegram.digest_sends import Clock, DigestScheduler
from bot.telegram.gatherer import Gatherer
from bot.telegram.job_replies import TelegramReplies

ACCEPTING_AT_ONCE = 4


class BotData:
    """The services a handler needs; set once in build_application."""

    services: Services
    settings: Settings
    allowlist: Allowlist
    rate_limit: UserRateLimit
    chat_rate_limit: UserRateLimit  # posts no person sent: channel posts, auto-forwards
    command_limits: CommandLimits  # /brief alone, /digest now, /who… per chat
    fetch_quota: UserRateLimit  # links and files fetched per payer: failed ones count too
    in_flight: InFlight  # jobs per payer accepted and not yet answered
    gatherer: Gatherer  # albums and forward-with-comment, which arrive as several updates
    clock: Clock
    scheduler: DigestScheduler
    # Pending work (bot/jobs/), the runner that decides each job's life cycle, the workers
    # that run it, and the Telegram side of its replies.
    pending: PendingStore
    degraded: DegradedReplies
    jobs: JobRunner
    replies: TelegramReplies
    workers: WorkerPool
    claimer: ClaimLoop  # claims jobs for free workers; renews and lets go of this process's

    def __init__(self) -> None:
        # How many updates may be accepting an article (cache lookup, persisting the job) at
        # once. The database thread serves in arrival order: 500 articles arriving together
        # queued ~1,500 accepting steps ahead of the first worker's, so the first LLM calls
        # started 0.4 s late and a third of the LLM slots idled through the first second.
        # A few at a time keep that thread just as busy while workers' steps get in between.
        self.accepting = asyncio.Semaphore(ACCEPTING_AT_ONCE)
        # What /who's page buttons page through (their callback data holds only a token).
        self.who_pages = PageTokens()


Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
