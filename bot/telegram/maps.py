"""/map [30d] [issue words], its button under the overview, and /digest pictures on|off."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.pictures.captions import map_caption, map_text, period
from bot.pictures.reads import map_of
from bot.pictures.render import map_png
from bot.render.briefing_html import esc
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.permissions import refuse_unless_admin
from bot.telegram.pictures import send_photo
from bot.telegram.replies import send_html, thread_of

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30  # as the button under an overview asks (bot/jobs/overviews.py)
MAX_DAYS = 366
_PERIOD = re.compile(r"^(\d{1,3})\s*d(?:ays?)?$", re.IGNORECASE)
PICTURES_USAGE = "<code>/digest pictures on</code> or <code>/digest pictures off</code>"


def parse_map_args(args: list[str]) -> tuple[int, str]:
    """Read `/map [Nd] [issue words]` in any order: (days, issue words)."""
    days, words = DEFAULT_DAYS, []
    for arg in args:
        if m := _PERIOD.match(arg):
            days = min(max(int(m.group(1)), 1), MAX_DAYS)
        else:
            words.append(arg)
    return days, " ".join(words)[:60]


async def send_map(context: Ctx, message: Message, days: int, topic: str) -> None:
    """Send the chat's map over the last `days` days (a picture, else its text)."""
    if not await allow_command(context, message.chat_id, "map"):
        return  # over the chat's limit: allow_command said how long to wait
    data = context.bot_data
    since = data.clock() - timedelta(days=days)
    chat_id, thread = message.chat_id, thread_of(message)
    found = await data.services.index.run(map_of, chat_id, since=since, days=days, topic=topic)
    if found is None:
        about = f" on “{esc(topic)}”" if topic else ""
        await send_html(
            context.bot, chat_id,
            f"No stances{about} in this chat's articles from the {period(days)} yet. "
            "Forward me some news first.",
            reply_to=message.message_id, message_thread_id=thread,
        )  # fmt: skip
        return
    try:
        png = await map_png(data.services.pictures, found)
    except Exception:
        log.exception("map of chat %s not rendered: text only", chat_id)
        png = b""
    sent = bool(png) and await send_photo(
        context.bot, chat_id, png, map_caption(found), name="map",
        reply_to=message.message_id, thread=thread,
    )  # fmt: skip
    if not sent:
        await send_html(
            context.bot, chat_id, map_text(found), reply_to=message.message_id,
            message_thread_id=thread,
        )  # fmt: skip


async def on_map(update: Update, context: Ctx) -> None:
    """Handle /map [Nd] [issue words]."""
    message = update.effective_message
    if message is None:
        return
    days, topic = parse_map_args(context.args or [])
    await send_map(context, message, days, topic)


async def on_map_button(update: Update, context: Ctx) -> None:
    """Answer the map button under an overview."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    days = (query.data or "").removeprefix("map:")
    if isinstance(query.message, Message):
        await send_map(context, query.message, int(days) if days.isdigit() else DEFAULT_DAYS, "")


async def on_digest_pictures(update: Update, context: Ctx) -> None:
    """Handle /digest pictures on|off: start the daily digest with the map of its period."""
    message = update.effective_message
    if message is None:
        return
    args = [a.lower() for a in (context.args or [])[1:]]
    if args not in (["on"], ["off"]):
        await message.reply_html(PICTURES_USAGE)
        return
    if await refuse_unless_admin(context, update):
        return
    enabled = args == ["on"]
    await context.bot_data.services.chat_settings.set_digest_pictures_off_loop(
        message.chat_id, enabled=enabled
    )
    await message.reply_text(
        "The daily digest will start with a map of who stands where."
        if enabled
        else "The daily digest will be text only."
    )


def handlers(new: filters.BaseFilter) -> list[BaseHandler[Update, Ctx, None]]:
    """Return /map's handlers: the command (new messages only) and the overview's button."""
    return [
        CommandHandler("map", on_map, filters=new),
        CallbackQueryHandler(on_map_button, pattern=r"^map:"),
    ]
