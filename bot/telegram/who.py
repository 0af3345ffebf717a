"""/who: an actor's stances across this chat's articles (and the actor list)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, CommandHandler
from telegram.ext.filters import BaseFilter

from bot.actors.identity import Identity
from bot.actors.lookup import (
    active_chats,
    actors_of_article,
    chat_directory,
    find_page,
    mentioned_in_article,
    page_by_key_prefix,
    recent_actors,
    split_name,
)
from bot.actors.page import ActorPage, Counted
from bot.actors.who_query import FilterError, WhoFilter, split_period
from bot.articles.text import content_hash, normalize_text
from bot.render.briefing_html import esc
from bot.render.who_page import render_actor_list, render_article_actors
from bot.store.index import Index
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.incoming import replied_to, text_of
from bot.telegram.pictures import send_who_picture
from bot.telegram.replies import send_html, thread_of
from bot.telegram.who_pages import choice_data, on_who_page, send_page

RECENT_DAYS = 30
STALE = "This choice was already made or has expired. Send /who again."
_CALLBACK_BYTES = 60  # Telegram allows 64 bytes of callback data; "who:" takes 4

MAX_NAME_CHARS = 100


def _callback(actor: Identity) -> str:
    key = actor.key.encode("utf-8")[:_CALLBACK_BYTES].decode("utf-8", errors="ignore")
    return f"who:{key}"


def _seen_in(actor: Identity) -> int:
    # An actor only mentioned has no stance articles: count the articles that name it.
    if actor.articles or not isinstance(actor, Counted):
        return actor.articles
    return actor.mentioned


async def _replied_article(context: Ctx, message: Message) -> str | None:
    replied = replied_to(message)
    if replied is None:
        return None
    index = context.bot_data.services.index
    chat_id = message.chat_id
    found = await index.run(Index.article_for_message, chat_id, replied.message_id)
    if found is not None:
        return found
    text = normalize_text(text_of(replied))
    if not text:
        return None
    h = content_hash(text)
    sent: bool = await index.run(_has_article, chat_id, h)
    return h if sent else None


def _has_article(index: Index, chat_id: int, article_hash: str) -> bool:
    return index.queries.chat_has_article(chat_id, article_hash)


async def on_who(update: Update, context: Ctx) -> None:
    """Handle /who [NAME [ISSUE] [PERIOD]], or /who as a reply to an article."""
    message = update.effective_message
    if message is None:
        return
    chat_id = message.chat_id
    data = context.bot_data
    if not await allow_command(context, chat_id, "who"):
        return
    now = data.clock()
    dates = await data.services.zones.style_off_loop(chat_id, now)
    today = dates.local(now)  # the chat's day: "30d" counts back from it
    try:
        words, keep = split_period(list(context.args or []), today=today)
    except FilterError as exc:
        await message.reply_text(str(exc))
        return
    # No actor's name is longer than this; a longer one is cut so the echo fits a message.
    name = " ".join(words).strip()[:MAX_NAME_CHARS]
    index = data.services.index
    if not name and replied_to(message) is not None:
        article = await _replied_article(context, message)
        if article is None:
            await message.reply_text(
                "I haven't briefed that message in this chat yet. Reply /brief to it first."
            )
            return
        actors = await index.run(actors_of_article, chat_id, article)
        named = await index.run(mentioned_in_article, chat_id, article)
        show = data.settings.show_unverified_quotes
        html = render_article_actors(actors, mentioned=named, show_unverified=show)
        await send_html(
            context.bot, chat_id, html, reply_to=message.message_id,
            message_thread_id=thread_of(message),
        )  # fmt: skip
        return
    if not name:
        days = RECENT_DAYS
        if keep.since:  # "/who 7d": the actors of the last 7 days
            days = max(1, (today - keep.since).days + 1)
        since = now - timedelta(days=days)
        recent = await index.run(recent_actors, chat_id, since)
        html = render_actor_list(recent, days=days)
        await send_html(
            context.bot, chat_id, html, reply_to=message.message_id,
            message_thread_id=thread_of(message),
        )  # fmt: skip
        return
    # "/who kim sanctions": the longest prefix naming an actor is the name, the rest the issue.
    name, issue = await index.run(split_name, chat_id, name.split())
    keep = replace(keep, issue=issue)
    found, page = await index.run(find_page, chat_id, name, keep)
    if page is not None:
        await _send_page(context, message, page, keep)
    elif found.candidates:
        buttons = [
            [
                InlineKeyboardButton(
                    f"{a.name} ({_seen_in(a)})",
                    callback_data=choice_data(context, chat_id, a, keep) if keep else _callback(a),
                )
            ]
            for a in found.candidates
        ]
        await message.reply_text(
            f"Several actors match “{name}”. Which one?",
            reply_markup=InlineKeyboardMarkup(buttons),
        )
    else:
        hint = f" Did you mean: {', '.join(found.suggestions)}?" if found.suggestions else ""
        await message.reply_html(
            f"I haven't seen “{esc(name)}” in this chat's articles.{esc(hint)} "
            "/who alone lists the actors seen lately."
        )


async def on_who_choice(update: Update, context: Ctx) -> None:
    """Answer the inline button picked after an ambiguous /who."""
    query = update.callback_query
    if query is None:
        return
    if query.data is None or not isinstance(query.message, Message):
        await query.answer(STALE)  # the message is too old for Telegram to show us
        return
    if not await allow_command(context, query.message.chat_id, "who"):
        return  # told with an alert
    key = query.data.removeprefix("who:")
    index = context.bot_data.services.index
    page = await index.run(page_by_key_prefix, query.message.chat_id, key) if key else None
    if page is None:
        await query.answer("That actor is no longer in this chat's articles.")
        return
    if query.message.reply_markup is None:
        await query.answer(STALE)  # already picked: a second tap must not send it twice
        return
    await query.answer()
    await query.message.edit_text(f"→ {page.actor.name}")
    await _send_page(context, query.message, page)


async def _send_page(
    context: Ctx, message: Message, page: ActorPage, keep: WhoFilter | None = None
) -> None:
    await send_who_picture(context, message, page)  # the timeline first; never raises
    await send_page(context, message, page, keep or WhoFilter())


async def warm_directories(context: Ctx) -> None:
    """Build the name directories of the chats active lately, so no first /who waits for it."""
    index = context.bot_data.services.index
    for chat_id in await index.run(active_chats):
        await index.run(chat_directory, chat_id)  # one chat at a time: other work interleaves


def add_handlers(application: Application, new: BaseFilter) -> None:  # type: ignore[type-arg]
    """Register /who, its choice buttons and its page buttons."""
    handlers: list[BaseHandler] = [  # type: ignore[type-arg]
        CommandHandler("who", on_who, filters=new),
        CallbackQueryHandler(on_who_choice, pattern=r"^who:"),
        CallbackQueryHandler(on_who_page, pattern=r"^whop:"),
    ]
    application.add_handlers(handlers)
