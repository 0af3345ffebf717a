"""/tz: the time zone this chat reads its dates in (thin: parse, store, answer)."""

from __future__ import annotations

from telegram import Update

from bot.digest.places import read_place
from bot.digest.schedule import ScheduleError
from bot.render.briefing_html import esc, render_error
from bot.render.dates import DateStyle
from bot.telegram.context import Ctx
from bot.telegram.permissions import refuse_unless_admin

TZ_USAGE = (
    "<code>/tz Paris</code> (a city, or a zone such as <code>Europe/Paris</code>) sets the "
    "time zone dates are shown in here."
)


async def on_tz(update: Update, context: Ctx) -> None:
    """Handle /tz [place]: show or set this chat's time zone."""
    message = update.effective_message
    if message is None:
        return
    data = context.bot_data
    zones = data.services.zones
    wanted = " ".join(context.args or [])
    if not wanted:
        zone, chosen = await zones.zones_off_loop(message.chat_id)
        how = "set with /tz" if chosen else "the default"
        today = DateStyle.at(zone, data.clock()).clock(data.clock())
        await message.reply_html(
            f"Dates here are in {esc(zone.key)} ({how}); it is {esc(today)} there.\n{TZ_USAGE}"
        )
        return
    if await refuse_unless_admin(context, update):
        return
    try:
        zone = read_place(wanted)
    except ScheduleError as exc:
        await message.reply_html(render_error(str(exc)))
        return
    await zones.set_off_loop(message.chat_id, zone)
    now = data.clock()
    local = DateStyle.at(zone, now).clock(now)
    await message.reply_html(f"🕰 Dates here are now in {esc(zone.key)}: it is {esc(local)} there.")
