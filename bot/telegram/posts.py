"""Messages in unusual shapes: albums (one update per item) and a channel's own posts."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.telegram.briefs import answer
from bot.telegram.context import Ctx
from bot.telegram.incoming import text_of

log = logging.getLogger(__name__)
ONLY_TEXT = (
    "I can only brief text: forward a post with text or a caption, paste the article, "
    "or send a link or a PDF."
)


class _InAlbum(filters.MessageFilter):
    """Messages that are one item of an album (they share a media_group_id)."""

    def filter(self, message: Message) -> bool:
        return message.media_group_id is not None


IN_ALBUM = _InAlbum(name="IN_ALBUM")


async def on_album_item(update: Update, context: Ctx) -> None:
    """Answer an album once: its first captioned item, after the rest has arrived."""
    message = update.effective_message
    if message is None:
        return
    gatherer = context.bot_data.gatherer
    if message.forward_origin is not None:
        gatherer.note_forward(message)
    if not gatherer.add_album_item(message):
        return  # another item of the album owns the answer
    # Telegram sends an album's items as separate updates within a moment of each other.
    await asyncio.sleep(gatherer.window_s)
    items = gatherer.close_album(message)
    captioned = next((m for m in items if text_of(m).strip()), None)
    if captioned is not None:
        await answer(context, captioned)
    elif message.chat.type == ChatType.PRIVATE:
        await message.reply_text(ONLY_TEXT)


async def on_channel_post(update: Update, context: Ctx) -> None:
    """Record and brief an allowed channel's post silently (no reply under every post)."""
    if update.channel_post is not None:
        await answer(context, update.channel_post)
