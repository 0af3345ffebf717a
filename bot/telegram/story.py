"""/story (as a reply to a briefing, or its button) and /label: thin handlers over StoryViews."""

from __future__ import annotations

import asyncio
import shlex

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.render.briefing_html import esc
from bot.render.split import split_html
from bot.render.story_html import STORY_CALLBACK, render_story
from bot.store.index import Index
from bot.stories.view import MAX_LABEL
from bot.stories.views import set_label
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.incoming import replied_to
from bot.telegram.permissions import refuse_unless_admin
from bot.telegram.replies import send_chunks, send_html, thread_of

HOW = (
    "Reply to a briefing (or to the article it answers) with /story to see every source "
    "that covered the same event."
)
NOT_PLACED = "That article is not in a story yet: send or forward it first."
LABEL_HOW = (
    "Usage: <code>/label @channel state media</code> gives a source your label (shown in "
    "/story); <code>/label @channel</code> alone removes it."
)


async def _story_reply(context: Ctx, message: Message, article_hash: str | None) -> None:
    services = context.bot_data.services
    chat_id = message.chat_id
    view = await services.story_views.view(chat_id, article_hash) if article_hash else None
    if view is None:
        text = esc(NOT_PLACED if article_hash else HOW)
        await send_html(context.bot, chat_id, text, reply_to=message.message_id,
                        message_thread_id=thread_of(message))  # fmt: skip
        return
    chunks = await asyncio.to_thread(lambda: split_html(render_story(view)))
    await send_chunks(context.bot, chat_id, chunks, reply_to=message.message_id,
                      message_thread_id=thread_of(message))  # fmt: skip


async def on_story(update: Update, context: Ctx) -> None:
    """Show the story of the briefing (or article) this command replies to."""
    message = update.effective_message
    if message is None:
        return
    replied = replied_to(message)
    index = context.bot_data.services.index
    found = None
    if replied is not None:
        found = await index.run(Index.article_for_message, message.chat_id, replied.message_id)
    if replied is None:
        await send_html(context.bot, message.chat_id, esc(HOW), reply_to=message.message_id,
                        message_thread_id=thread_of(message))  # fmt: skip
        return
    if not await allow_command(context, message.chat_id, "story"):
        return  # it said how long to wait
    await _story_reply(context, message, found)


async def on_story_button(update: Update, context: Ctx) -> None:
    """Show the story of the briefing whose "Also covered by…" button was tapped."""
    query = update.callback_query
    if query is None:
        return
    if not isinstance(query.message, Message):
        await query.answer("This briefing is too old for its button. Reply /story to it.")
        return
    if not await allow_command(context, query.message.chat_id, "story"):
        return  # the alert said how long to wait
    await query.answer()
    message = query.message
    index = context.bot_data.services.index
    found = await index.run(Index.article_for_message, message.chat_id, message.message_id)
    await _story_reply(context, message, found)


async def on_label(update: Update, context: Ctx) -> None:
    """Give one of the chat's sources the chat's own label (the bot never invents one)."""
    message = update.effective_message
    if message is None or await refuse_unless_admin(context, update):
        return
    try:
        words = shlex.split(" ".join(context.args or []))
    except ValueError:
        words = []
    reply = LABEL_HOW
    if words and words[0].strip():
        source, label = words[0], " ".join(words[1:]).strip()[:MAX_LABEL] or None
        await set_label(context.bot_data.services.index, message.chat_id, source, label)
        reply = (f"{esc(source)} is labelled “{esc(label)}” in /story." if label
                 else f"{esc(source)} has no label now.")  # fmt: skip
    await send_html(context.bot, message.chat_id, reply, reply_to=message.message_id,
                    message_thread_id=thread_of(message))  # fmt: skip


def add_handlers(application: Application, commands: filters.BaseFilter) -> None:  # type: ignore[type-arg]
    """Register /story, /label and the story button."""
    application.add_handler(CommandHandler("story", on_story, filters=commands))
    application.add_handler(CommandHandler("label", on_label, filters=commands))
    application.add_handler(CallbackQueryHandler(on_story_button, pattern=rf"^{STORY_CALLBACK}$"))
