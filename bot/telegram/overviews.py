"""The on-demand overview of a chat's last 24 h (`/brief` alone, `/digest now`) as a job.

Writing an overview is an LLM call, so it goes the way articles go: the handler persists a
job and returns (no update slot is held while the LLM writes), a worker answers it, and a
crash meanwhile loses nothing: start-up answers it, with the same 24 h window as asked.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from telegram import Message

from bot.errors import LLMError
from bot.ops.budget import charged_to
from bot.ops.stats import DIGEST_SENT
from bot.render.briefing_html import esc, render_error
from bot.render.digest_html import render_digest
from bot.store.pending import Job, JobKind
from bot.telegram.replies import thread_of, typing

if TYPE_CHECKING:  # both import this module: the worker answers overview jobs
    from bot.telegram.answerer import Answerer
    from bot.telegram.context import Ctx

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
NOTHING = "No briefed articles here in the last 24 h. Forward me some news first."


async def accept_overview(context: Ctx, message: Message) -> None:
    """Persist an overview of the chat's last 24 h for a worker to write, and return."""
    data = context.bot_data
    job = await data.pending.add_off_loop(
        JobKind.OVERVIEW,
        chat_id=message.chat_id,
        message_id=message.message_id,
        reply_to=message.message_id,
        now=data.clock(),  # the window ends when it was asked, even if answered after a restart
        thread_id=thread_of(message),
        user_id=message.from_user.id if message.from_user else None,
        ref=message.chat.username,  # public chats link each article to its message
    )
    if job is None:
        log.info("overview %s in chat %s was accepted already", message.message_id, message.chat_id)
        return
    data.workers.hand_over(job)


async def answer_overview(answerer: Answerer, job: Job, *, prefix: str) -> None:
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
