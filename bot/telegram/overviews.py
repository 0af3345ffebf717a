"""The on-demand overview of a chat's last 24 h (`/brief` alone, `/digest now`) as a job.

Writing an overview is an LLM call, so it goes the way articles go: the handler persists a
job and returns (no update slot is held while the LLM writes), a worker answers it, and a
crash meanwhile loses nothing: start-up answers it, with the same 24 h window as asked.
This module accepts the job; bot/jobs/overviews.py writes and delivers it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Message

from bot.jobs.pending import JobKind
from bot.telegram.groups import payer_of
from bot.telegram.replies import thread_of

if TYPE_CHECKING:
    from bot.telegram.context import Ctx

log = logging.getLogger(__name__)


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
        user_id=payer_of(message),  # the chat, for anonymous admins and channel posts
        ref=message.chat.username,  # public chats link each article to its message
    )
    if job is None:
        log.info("overview %s in chat %s was accepted already", message.message_id, message.chat_id)
        return
    data.workers.hand_over(job)
