"""Typed context: what every handler can reach through `context.bot_data`."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.services import Services
from bot.store.pending import DegradedReplies, PendingStore
from bot.telegram.access import Allowlist, UserRateLimit
from bot.telegram.delivery import Clock, DigestScheduler
from bot.telegram.groups import Gatherer
from bot.telegram.work import Answerer, WorkerPool


class BotData:
    """The services a handler needs; set once in build_application."""

    services: Services
    settings: Settings
    allowlist: Allowlist
    rate_limit: UserRateLimit
    chat_rate_limit: UserRateLimit  # posts no person sent: channel posts, auto-forwards
    gatherer: Gatherer  # albums and forward-with-comment, which arrive as several updates
    clock: Clock
    scheduler: DigestScheduler
    # Pending work (bot/store/pending.py) and the workers that answer it (bot/telegram/work.py).
    pending: PendingStore
    degraded: DegradedReplies
    answerer: Answerer
    workers: WorkerPool


Ctx = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
