"""A full briefing replaces, in place, the extractive reply a chat got for the same article."""

from __future__ import annotations

import contextlib
import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.jobs.degraded import DegradedReplies
from bot.jobs.pending import Job
from bot.render.split import split_html
from bot.telegram.replies import send_html

log = logging.getLogger(__name__)


async def upgrade(
    bot: Bot, degraded: DegradedReplies, job: Job, article_hash: str, html: str
) -> None:
    """Edit the chat's earlier extractive reply for this article into the full briefing."""
    chat_id, thread = job.chat_id, job.thread_id
    for ids in degraded.take(chat_id, article_hash):
        chunks = split_html(html)
        for message_id, chunk in zip(ids, chunks, strict=False):
            try:
                await bot.edit_message_text(chunk, chat_id, message_id, parse_mode=ParseMode.HTML)
            except TelegramError as exc:  # deleted, too old to edit: the new reply stands
                log.info("could not upgrade message %s in %s: %s", message_id, chat_id, exc)
                break
        else:
            if len(chunks) > len(ids):
                with contextlib.suppress(TelegramError):
                    rest = "\n\n".join(chunks[len(ids) :])
                    await send_html(bot, chat_id, rest, reply_to=ids[-1], message_thread_id=thread)
