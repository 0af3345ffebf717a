"""/digest (subscribe, unsubscribe, status, now) and the on-demand overview of the last 24 h."""

from __future__ import annotations

from telegram import Message, Update

from bot.digest.places import read_schedule
from bot.digest.schedule import ScheduleError, describe_next, next_due
from bot.render.briefing_html import esc, render_error
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.maps import PICTURES_USAGE, on_digest_pictures
from bot.telegram.overviews import accept_overview
from bot.telegram.permissions import refuse_unless_admin
from bot.telegram.replies import thread_of

USAGE = (
    "<b>Daily digest</b>\n"
    "<code>/digest on [time] [place]</code>, e.g. <code>/digest on 7am Paris</code> or "
    "<code>/digest on 07:30 Europe/Paris</code>\n"
    "<code>/digest off</code> — stop it\n"
    "<code>/digest now</code> — the last 24 h, right away\n"
    "<code>/digest</code> — show the schedule\n"
    f"{PICTURES_USAGE} — start it with a map of who stands where"
)
PAUSED = (
    "🗞 Daily digest at {at} {tz} is <b>paused</b>: whoever set it up is no longer allowed "
    "to use this bot. Send <code>/digest on</code> to take it over."
)


async def on_digest(update: Update, context: Ctx) -> None:  # noqa: C901 - a branch per verb
    """Handle /digest [on [time] [place] | off | now | pictures on|off]."""
    message = update.effective_message
    if message is None:
        return
    data = context.bot_data
    subs = data.services.subscriptions
    args = context.args or []
    verb = args[0].lower() if args else ""
    now = data.clock()
    if verb in {"on", "off"} and await refuse_unless_admin(context, update):
        return
    if verb == "on":
        settings = data.settings
        try:
            at, zone = read_schedule(
                args[1:], settings.digest_default_time, settings.digest_default_tz
            )
        except ScheduleError as exc:
            await message.reply_html(render_error(str(exc)))
            return
        # The topic it was asked in is where it goes; the person (if any) is whose access
        # it keeps riding on, re-checked at every tick.
        sender = message.from_user.id if message.from_user else None
        sub = await subs.subscribe_off_loop(
            message.chat_id, at, zone.key, now,
            thread_id=thread_of(message),
            subscriber_id=None if message.sender_chat else sender,
        )  # fmt: skip
        data.services.zones.forget(message.chat_id)  # its dates may follow the digest's zone
        due = next_due(now, sub.at, sub.zone, last_date=sub.last_date)
        await message.reply_html(
            f"🗞 Daily digest on: every day at {sub.at:%H:%M} {esc(sub.tz)}.\n"
            f"Next: {esc(describe_next(due, sub.zone, now))}"
        )
    elif verb == "off":
        stopped = await subs.unsubscribe_off_loop(message.chat_id)
        await message.reply_text("Daily digest off." if stopped else "The daily digest was not on.")
    elif verb == "pictures":
        await on_digest_pictures(update, context)
    elif verb == "now":
        await _overview_now(context, message)
    elif not args:
        current = await subs.get_off_loop(message.chat_id)
        if current is None or not current.enabled:
            await message.reply_html("The daily digest is off.\n\n" + USAGE)
            return
        sub = current
        if sub.paused:
            await message.reply_html(PAUSED.format(at=f"{sub.at:%H:%M}", tz=esc(sub.tz)))
            return
        due = next_due(now, sub.at, sub.zone, last_date=sub.last_date)
        await message.reply_html(
            f"🗞 Daily digest on at {sub.at:%H:%M} {esc(sub.tz)}.\n"
            f"Next: {esc(describe_next(due, sub.zone, now))}"
        )
    else:
        await message.reply_html(USAGE)


async def _overview_now(context: Ctx, message: Message) -> None:
    if await allow_command(context, message.chat_id, "digest_now"):
        await accept_overview(context, message)
