"""Answering an overview job: write the chat's last 24 h overview and deliver it.

The worker's `Answerer` calls this with itself as the `Replier`: the overview needs only
the services, the bot (for "typing…"), the pending store and a way to deliver a reply.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.errors import LLMError
from bot.ops.budget import charged_to
from bot.ops.stats import DIGEST_SENT
from bot.render.briefing_html import esc, render_error
from bot.render.digest_html import render_digest
from bot.telegram.replies import typing

if TYPE_CHECKING:
    from telegram import Bot, Message

    from bot.jobs.pending import Job, PendingStore
    from bot.services import Services

WINDOW = timedelta(hours=24)
NOTHING = "No briefed articles here in the last 24 h. Forward me some news first."


class Replier(Protocol):
    """What answering an overview needs from the worker's answerer."""

    services: Services
    pending: PendingStore
    bot: Bot

    async def deliver(self, job: Job, html: str) -> list[Message] | None:
        """Send a job's reply; None: still pending, []: refused."""
        ...


async def answer_overview(answerer: Replier, job: Job, *, prefix: str) -> None:
    """Write the overview a job asked for and deliver it; mark the job done once delivered."""
    services = answerer.services
    result = None
    try:
        with charged_to(job.user_id, job.chat_id):  # the LLM call counts against budgets
            async with typing(answerer.bot, job.chat_id, job.thread_id):
                result = await services.digests.build(
                    job.chat_id, since=job.created_at - WINDOW, until=job.created_at
                )
    except LLMError as exc:
        html = render_error(f"I couldn't write the overview: {exc.user_message}")
    else:
        if result is None:
            html = esc(NOTHING)
        else:
            html = render_digest(result, chat_id=job.chat_id, chat_username=job.ref)
    sent = await answerer.deliver(job, prefix + html)
    if not sent:
        return  # still pending (the network is down) or closed as rejected
    await answerer.pending.done_off_loop(job.id, datetime.now(UTC))
    if result is not None:
        services.events.record(DIGEST_SENT, chat_id=job.chat_id, detail="on demand")
