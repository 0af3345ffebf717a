"""Overview jobs: write the chat's last 24 h overview and deliver it.

`/brief` alone and `/digest now` persist such a job (telegram/overviews.py); a worker
answers it here, and a crash meanwhile loses nothing: start-up answers it with the same
24 h window as asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.errors import LLMError
from bot.jobs.attempt import Attempt
from bot.jobs.outbox import Outbox, now, resumed_prefix
from bot.jobs.pending import Job
from bot.ops.budget import charged_to
from bot.ops.stats import DIGEST_SENT
from bot.render.briefing_html import esc, render_error
from bot.render.digest_html import render_digest
from bot.services import Services

WINDOW = timedelta(hours=24)
# The button under an overview asks for the chat's map of the last 30 days (bot/telegram/maps.py).
MAP_BUTTON = ("🗺 Who stands where", "map:30")
NOTHING = "No briefed articles here in the last 24 h. Forward me some news first."


@dataclass
class OverviewJobs:
    """Answer OVERVIEW jobs; mark each done once its reply was delivered."""

    services: Services
    outbox: Outbox

    async def __call__(self, job: Job, attempt: Attempt) -> None:
        """Write the overview a job asked for and deliver it (no refund: it was not charged)."""
        services = self.services
        result = None
        if attempt.redelivery and (held := self.outbox.undelivered.get(job.id)) is not None:
            # Written already; only Telegram did not take it: not another LLM call.
            if await self.outbox.deliver(job, held):
                await self.outbox.pending.done_off_loop(job.id, now())
            return
        try:
            with charged_to(job.user_id, job.chat_id):  # the LLM call counts against budgets
                async with self.outbox.replies.typing(job):
                    result = await services.digests.build(
                        job.chat_id, since=job.created_at - WINDOW, until=job.created_at
                    )
        except LLMError as exc:
            html = render_error(f"I couldn't write the overview: {exc.user_message}")
        else:
            if result is None:
                html = esc(NOTHING)
            else:
                dates = await services.zones.style_off_loop(job.chat_id, now())
                html = render_digest(
                    result, chat_id=job.chat_id, chat_username=job.ref, dates=dates
                )
        button = MAP_BUTTON if result is not None else None
        sent = await self.outbox.deliver(job, resumed_prefix(attempt.resumed) + html, button=button)
        if not sent:
            return  # still pending (the network is down) or closed as rejected
        await self.outbox.pending.done_off_loop(job.id, now())
        if result is not None:
            await services.events.record_off_loop(
                DIGEST_SENT, chat_id=job.chat_id, detail="on demand"
            )
