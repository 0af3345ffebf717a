"""Sending: HTML chunks as threaded replies, and "typing…" while the LLM works."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from bot.render.split import split_html
from bot.telegram.limiter import PriorityRateLimiter

log = logging.getLogger(__name__)
_TYPING_EVERY_S = 4.5  # Telegram shows a chat action for about 5 s
# A reply ready this soon needs no "typing…": the action would only cost a request (and the
# loop's time) while the reply is already on its way.
TYPING_AFTER_S = 0.3


async def send_html(
    bot: Bot,
    chat_id: int,
    html: str,
    *,
    reply_to: int | None = None,
    reply_markup: object = None,
    message_thread_id: int | None = None,
) -> list[Message]:
    """Send HTML split into ≤4096-character messages; the first one replies to `reply_to`.

    `message_thread_id` keeps every part in a forum topic (a reply alone does not).
    """
    return await send_chunks(
        bot, chat_id, split_html(html), reply_to=reply_to, reply_markup=reply_markup,
        message_thread_id=message_thread_id,
    )  # fmt: skip


async def send_chunks(
    bot: Bot,
    chat_id: int,
    chunks: list[str],
    *,
    reply_to: int | None = None,
    reply_markup: object = None,
    message_thread_id: int | None = None,
) -> list[Message]:
    """Send chunks `split_html` made (elsewhere, e.g. off the loop) as `send_html` sends them."""
    sent: list[Message] = []
    for i, chunk in enumerate(chunks):
        sent.append(
            await bot.send_message(
                chat_id,
                chunk,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # The original may have been deleted meanwhile; answer anyway.
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None and i == 0
                else None,
                reply_markup=reply_markup if i == len(chunks) - 1 else None,  # type: ignore[arg-type]
                message_thread_id=message_thread_id,
            )
        )
    return sent


def _has_room(bot: Bot, chat_id: int) -> bool:
    limiter = getattr(bot, "rate_limiter", None)
    return not isinstance(limiter, PriorityRateLimiter) or limiter.action_has_room(chat_id)


async def _keep_typing(bot: Bot, chat_id: int, thread_id: int | None, after: float) -> None:
    # One "typing…" when the work starts; repeated only while it still runs and the chat's
    # budget has room to spare, so a reply never waits for a slot a chat action took.
    if after > 0:
        await asyncio.sleep(after)
    first = True
    while True:
        if first or _has_room(bot, chat_id):
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING, message_thread_id=thread_id)
            except TelegramError as exc:
                log.debug("chat action failed in %s: %s", chat_id, exc)  # cosmetic; never fatal
        first = False
        await asyncio.sleep(_TYPING_EVERY_S)


@contextlib.asynccontextmanager
async def typing(
    bot: Bot, chat_id: int, thread_id: int | None = None, *, after: float = 0.0
) -> AsyncIterator[None]:
    """Show "typing…" in the chat (or its topic) until the block ends; never blocks it.

    With `after`, only once the block has taken that long.
    """
    task = asyncio.create_task(_keep_typing(bot, chat_id, thread_id, after))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def thread_of(message: Message | None) -> int | None:
    """Return the forum topic a message was sent in, so answers stay in that topic."""
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id
