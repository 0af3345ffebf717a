"""The housekeeping job: prune the bookkeeping at start-up and every HOUSEKEEPING_INTERVAL_S."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram.ext import Application

from bot.services import Services
from bot.telegram.context import Ctx


async def _housekeeping(context: Ctx) -> None:
    await context.bot_data.services.housekeeper.run()  # off the loop inside; never raises


def wire(
    application: Application,  # type: ignore[type-arg]
    services: Services,
    clock: Callable[[], datetime],
    *,
    schedule: bool,
) -> None:
    """Give the housekeeper the bot's clock; schedule its runs (first soon after start-up)."""
    services.housekeeper.clock = clock
    if schedule and application.job_queue is not None:
        application.job_queue.run_repeating(
            _housekeeping,
            interval=services.settings.housekeeping_interval_s,
            first=10.0,  # after the start-up work, not competing with it
            name="housekeeping",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
