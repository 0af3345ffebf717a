"""/who's pages: Newer / Older buttons under an actor's page, and what a tap on them does."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.actors.identity import Identity
from bot.actors.lookup import page_by_key_prefix
from bot.actors.page import ActorPage
from bot.actors.page_tokens import PageState
from bot.actors.who_query import WhoFilter
from bot.render.split import split_html
from bot.render.who_page import render_page
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.replies import send_chunks, thread_of

PREFIX = "whop:"  # "whop:TOKEN:PAGE", or "whop:TOKEN:c" for a choice among several actors
EXPIRED = "These buttons have expired. Send /who with the name again."
GONE = "That actor is no longer in this chat's articles."


def _keyboard(token: str, page: ActorPage) -> InlineKeyboardMarkup | None:
    if page.pages <= 1:
        return None
    row = []
    if page.page > 1:
        row.append(
            InlineKeyboardButton("« Newer", callback_data=f"{PREFIX}{token}:{page.page - 1}")
        )
    row.append(
        InlineKeyboardButton(
            f"{page.page} / {page.pages}", callback_data=f"{PREFIX}{token}:{page.page}"
        )
    )
    if page.page < page.pages:
        row.append(
            InlineKeyboardButton("Older »", callback_data=f"{PREFIX}{token}:{page.page + 1}")
        )
    return InlineKeyboardMarkup([row])


def choice_data(context: Ctx, chat_id: int, actor: Identity, keep: WhoFilter) -> str:
    """Return a candidate button's data that keeps the filters the /who asked for."""
    token = context.bot_data.who_pages.token(PageState(chat_id, actor.key, keep))
    return f"{PREFIX}{token}:c"


async def _chunks(context: Ctx, message: Message, page: ActorPage) -> list[str]:
    chat = message.chat
    show = context.bot_data.settings.show_unverified_quotes
    dates = await context.bot_data.services.zones.style_off_loop(chat.id, context.bot_data.clock())
    # A long page needs splitting (~3 ms): not on the event loop.
    return await asyncio.to_thread(
        lambda: split_html(
            render_page(
                page, chat_id=chat.id, username=chat.username, show_unverified=show, dates=dates
            )
        )
    )


async def send_page(
    context: Ctx, message: Message, page: ActorPage, keep: WhoFilter, token: str | None = None
) -> None:
    """Send an actor's page as a reply, with Newer / Older buttons when it has more pages."""
    chunks = await _chunks(context, message, page)
    if page.pages > 1 and token is None:
        token = context.bot_data.who_pages.token(PageState(message.chat_id, page.actor.key, keep))
    await send_chunks(
        context.bot, message.chat_id, chunks, reply_to=message.message_id,
        reply_markup=_keyboard(token, page) if token else None,
        message_thread_id=thread_of(message),
    )  # fmt: skip


async def on_who_page(update: Update, context: Ctx) -> None:
    """Answer a tap on a /who page's buttons (or on a candidate chosen under filters)."""
    query = update.callback_query
    if query is None:
        return
    token, _, wanted = (query.data or "").removeprefix(PREFIX).partition(":")
    message = query.message
    state = None
    if isinstance(message, Message):
        state = context.bot_data.who_pages.state(token, message.chat_id)
    if state is None or not isinstance(message, Message):
        await query.answer(EXPIRED, show_alert=True)
        return
    if wanted == "c":
        await _choose(query, context, message, state)
        return
    number = int(wanted) if wanted.isdigit() else 1
    page = await context.bot_data.services.index.run(
        page_by_key_prefix, message.chat_id, state.key, state.keep, number
    )
    if page is None:
        await query.answer(GONE)
        return
    await query.answer()
    chunks = await _chunks(context, message, page)
    keyboard = _keyboard(token, page)
    if len(chunks) == 1:  # the usual case: the page changes in place
        with contextlib.suppress(BadRequest):  # "message is not modified": the same page
            await message.edit_text(
                chunks[0], parse_mode=ParseMode.HTML, reply_markup=keyboard,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )  # fmt: skip
        return
    await send_chunks(
        context.bot, message.chat_id, chunks, reply_markup=keyboard,
        message_thread_id=thread_of(message),
    )  # fmt: skip


async def _choose(query: CallbackQuery, context: Ctx, message: Message, state: PageState) -> None:
    # A choice among actors makes a page afresh, as /who does: it counts as one (turning the
    # pages of an answer already given does not). The question becomes its answer, once.
    if not await allow_command(context, message.chat_id, "who"):
        return
    if message.reply_markup is None:
        await query.answer(EXPIRED)
        return
    index = context.bot_data.services.index
    page = await index.run(page_by_key_prefix, message.chat_id, state.key, state.keep, 1)
    if page is None:
        await query.answer(GONE)
        return
    await query.answer()
    await message.edit_text(f"→ {page.actor.name}")
    await send_page(context, message, page, state.keep)
