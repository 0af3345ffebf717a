"""Sending pictures: the /who timeline before its text, the digest's map; text if they can't go.

Every failure here ends in text only: a picture Telegram would refuse (checked before
sending), a render that raises (logged with its exception) or a refusal all the same.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime, timedelta

from telegram import Bot, InputFile, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.actors.page import ActorPage
from bot.pictures.captions import map_caption, timeline_caption
from bot.pictures.limits import caption_fits, photo_problem
from bot.pictures.reads import map_of, timeline_of
from bot.pictures.render import map_png, timeline_png
from bot.pictures.stance_map import StanceMap
from bot.services import Services
from bot.store.chat_settings import ChatSettings
from bot.store.index import Index
from bot.telegram.context import Ctx
from bot.telegram.replies import thread_of

log = logging.getLogger(__name__)

PICTURE_WAIT_S = 1.0  # the longest a /who text waits for its picture


async def send_photo(
    bot: Bot,
    chat_id: int,
    png: bytes,
    caption: str,
    *,
    name: str,
    reply_to: int | None = None,
    thread: int | None = None,
) -> bool:
    """Send a PNG with an HTML caption if Telegram would take it; False if it was not sent."""
    problem = photo_problem(png) or (None if caption_fits(caption) else "caption too long")
    if problem is not None:
        log.warning("picture %s for chat %s not sent (%s): text only", name, chat_id, problem)
        return False
    try:
        await bot.send_photo(
            chat_id, InputFile(png, filename=f"{name}.png"), caption=caption,
            parse_mode=ParseMode.HTML, message_thread_id=thread,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to is not None else None,
        )  # fmt: skip
    except TelegramError as exc:
        log.warning("picture %s for chat %s refused (%s): text only", name, chat_id, exc)
        return False
    return True


async def send_who_picture(context: Ctx, message: Message, page: ActorPage) -> None:
    """Send the actor's stance timeline ahead of its /who page; never raises.

    The text waits at most PICTURE_WAIT_S for the picture: a render that takes longer (the
    first after a start, a busy machine) finishes in the background and follows the text.
    """
    # The application's task: a late picture is still sent (or awaited at shutdown).
    sending = context.application.create_task(_who_picture(context, message, page))
    done, _pending = await asyncio.wait({sending}, timeout=PICTURE_WAIT_S)
    if not done:
        log.info("timeline for chat %s is slow: the text goes first", message.chat_id)


async def _who_picture(context: Ctx, message: Message, page: ActorPage) -> bool:
    services = context.bot_data.services
    chat_id = message.chat_id
    try:
        dates = await services.zones.style_off_loop(chat_id, context.bot_data.clock())
        data = await services.index.run(timeline_of, chat_id, page, dates)
        if data is None:
            return False  # under two dated stances: the text says it all
        png = await timeline_png(services.pictures, data)
    except Exception:
        log.exception("timeline of %r in chat %s not rendered: text only", page.actor.name, chat_id)
        return False
    return await send_photo(
        context.bot, chat_id, png, timeline_caption(data, dates), name="who-timeline",
        reply_to=message.message_id, thread=thread_of(message),
    )  # fmt: skip


async def digest_map(
    services: Services, bot: Bot, chat_id: int, *, since: datetime, until: datetime,
    thread: int | None,
) -> bool:  # fmt: skip
    """Send the map of a digest's period first, if the chat turned that on; never raises."""
    days = max(1, math.ceil((until - since) / timedelta(days=1)))
    try:
        data = await services.index.run(_wanted_map, chat_id, since=since, days=days)
        if data is None:
            return False
        png = await map_png(services.pictures, data)
    except Exception:
        log.exception("digest map for chat %s not rendered: text only", chat_id)
        return False
    return await send_photo(bot, chat_id, png, map_caption(data), name="map", thread=thread)


def _wanted_map(index: Index, chat_id: int, *, since: datetime, days: int) -> StanceMap | None:
    """Read the map's data on the database thread, if the chat wants a map (one trip, reads)."""
    if not ChatSettings(index).digest_pictures(chat_id):
        return None
    return map_of(index, chat_id, since=since, days=days)
