"""/search: the chat's articles that match, five to a message, paged with buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler
from telegram.ext.filters import BaseFilter

from bot.errors import QueryError
from bot.render.briefing_html import esc, message_link
from bot.render.search_results import NOTHING, PAGE, USAGE, results_html
from bot.search.archive import Hit
from bot.search.query import parse_query
from bot.store import search_pages
from bot.store.index import Index
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.replies import send_html, thread_of

STALE = "This search has expired. Send /search again."
GONE = "That message is no longer in this chat."
_MAX_QUERY_CHARS = 300


async def on_search(update: Update, context: Ctx) -> None:
    """Handle /search WORDS: the first page of the chat's matching articles."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or []).strip()[:_MAX_QUERY_CHARS]
    if not text:
        await _reply(context, message, USAGE)
        return
    if not await allow_command(context, message.chat_id, "search"):
        return  # over the chat's limit: allow_command said how long to wait
    index = context.bot_data.services.index
    number = await index.run(_remember, message.chat_id, text, context.bot_data.clock())
    await _show(context, message, text, number, page=0, edit=False)


async def on_search_page(update: Update, context: Ctx) -> None:
    """Answer a /search button: another page, or a reply to a hit's message (private chats)."""
    query = update.callback_query
    if query is None:
        return
    if query.data is None or not isinstance(query.message, Message):
        await query.answer(STALE)
        return
    kind, _, rest = query.data.partition(":")
    number, _, value = rest.partition(":")
    if not (number.isdigit() and value.isdigit()):
        await query.answer(STALE)
        return
    message = query.message
    index = context.bot_data.services.index
    text = await index.run(_recall, message.chat_id, int(number))
    if text is None:
        await query.answer(STALE)
        return
    if kind == "searchgo":
        await _point_at(context, query.message, int(value))
        await query.answer()
        return
    await query.answer()
    await _show(context, message, text, int(number), page=int(value), edit=True)


async def _show(
    context: Ctx, message: Message, text: str, number: int, *, page: int, edit: bool
) -> None:
    data = context.bot_data
    now = data.clock()
    dates = await data.services.zones.style_off_loop(message.chat_id, now)
    try:
        query = parse_query(text, today=dates.local(now))  # the chat's day: since:30d
    except QueryError as exc:
        await _reply(context, message, esc(str(exc)))
        return
    hits, total = await data.services.archive.search(
        message.chat_id, query, limit=PAGE, offset=page * PAGE
    )
    if not hits:
        await _reply(context, message, esc(NOTHING.format(query=text)))
        return
    chat = message.chat
    html = results_html(
        hits, total, query=text, page=page, chat_id=chat.id, username=chat.username, dates=dates
    )
    markup = _buttons(hits, total, number=number, page=page, chat_id=chat.id)
    if edit:
        await message.edit_text(
            html, parse_mode=ParseMode.HTML, reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )  # fmt: skip
        return
    await send_html(
        context.bot, chat.id, html, reply_to=message.message_id, reply_markup=markup,
        message_thread_id=thread_of(message),
    )  # fmt: skip


def _buttons(
    hits: list[Hit], total: int, *, number: int, page: int, chat_id: int
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    # Where Telegram has no message link (private chats, basic groups) the text says "↩ N":
    # the same rule here makes that button, which replies to the article's message.
    go = [
        InlineKeyboardButton(f"↩ {n}", callback_data=f"searchgo:{number}:{hit.message_id}")
        for n, hit in enumerate(hits, page * PAGE + 1)
        if hit.message_id is not None and message_link(chat_id, hit.message_id) is None
    ]
    if go:
        rows.append(go)
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton("◀ Previous", callback_data=f"search:{number}:{page - 1}")
        )
    if (page + 1) * PAGE < total:
        paging.append(InlineKeyboardButton("Next ▶", callback_data=f"search:{number}:{page + 1}"))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None


async def _point_at(context: Ctx, message: Message, message_id: int) -> None:
    """Reply to the article's message, so a tap on the reply's quote jumps to it."""
    try:
        await context.bot.send_message(
            message.chat_id, "↑ This one.",
            # Not without the reply (the bot's default): a message deleted since says so.
            reply_parameters=ReplyParameters(message_id, allow_sending_without_reply=False),
            message_thread_id=thread_of(message),
        )  # fmt: skip
    except BadRequest:
        await context.bot.send_message(message.chat_id, GONE)


async def _reply(context: Ctx, message: Message, html: str) -> None:
    await send_html(
        context.bot, message.chat_id, html, reply_to=message.message_id,
        message_thread_id=thread_of(message),
    )  # fmt: skip


def _remember(index: Index, chat_id: int, text: str, at: datetime) -> int:
    with index.transaction() as db:
        return search_pages.remember(db, chat_id, text, at)


def _recall(index: Index, chat_id: int, number: int) -> str | None:
    return search_pages.recall(index.connection, chat_id, number)


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any], new: BaseFilter) -> None:
    """Register /search and its buttons."""
    application.add_handler(CommandHandler("search", on_search, filters=new))
    application.add_handler(CallbackQueryHandler(on_search_page, pattern=r"^search(go)?:"))
