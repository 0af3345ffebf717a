"""Application wiring: builder, handlers, polling or webhook (the lifecycle: lifecycle.py).

The access gate, /help, the error handler and the other feature-less handlers: basics.py.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.errors import ConfigError
from bot.runtime.gc_freeze import settled_after
from bot.services import Services
from bot.store.leases import Leases
from bot.telegram import (
    ask,
    basics,
    briefs,
    digests,
    exports,
    feeds,
    groups,
    housekeeping,
    lifecycle,
    maps,
    operators,
    posts,
    story,
    who,
    zones,
)
from bot.telegram.access import Allowlist
from bot.telegram.context import BotData, Ctx
from bot.telegram.digest_sends import Clock, DigestScheduler, utc_now
from bot.telegram.gatherer import Gatherer
from bot.telegram.incoming import REPLY_TO_BOT
from bot.telegram.pictures import digest_map
from bot.telegram.polling import build_bot
from bot.telegram.search import add_handlers as add_search_handlers
from bot.telegram.shared_limits import build_limits
from bot.telegram.unknown import add_unknown_command_handler

log = logging.getLogger(__name__)

# Only what we handle: no business or inline updates (strangers there would get refusals
# sent on the operator's behalf). Channel posts are briefed silently in allowed channels.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.CHANNEL_POST]
# Telegram caps concurrent work per bot far above this; it bounds our memory and sockets.
CONCURRENT_UPDATES = 64


async def _digest_tick(context: Ctx) -> None:
    await context.bot_data.scheduler.tick()


def _schedule(jobs: JobQueue[Any], tick_s: float) -> None:
    """Schedule the digest ticks and the start-up warm-up of /who."""
    # The JobQueue starts after the start-up work (seconds, on a busy machine), and
    # APScheduler silently drops an interval's first run that is past by then, so the
    # tick that sends what fell due while we were down is a one-off job of its own; and
    # a one-off job more than 1 s late is skipped unless told that late is fine.
    late_is_fine = {"misfire_grace_time": None}
    jobs.run_once(_digest_tick, when=1.0, name="digest-catch-up", job_kwargs=late_is_fine)
    jobs.run_repeating(
        _digest_tick, interval=tick_s, first=tick_s, name="digest-tick", job_kwargs=late_is_fine
    )
    # The busiest chats' /who name directories, built before anyone asks (bot/telegram/who.py).
    jobs.run_once(who.warm_directories, when=0.5, name="warm-who", job_kwargs=late_is_fine)


def build_application(  # noqa: PLR0915 - the routing table reads best as one list
    settings: Settings,
    services: Services,
    *,
    close_services: bool = False,
    clock: Clock = utc_now,
    digest_job: bool = True,
) -> Application:  # type: ignore[type-arg]
    """Build the PTB Application with every handler, pointed at TELEGRAM_API_BASE_URL."""
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: required to run the bot (get one from @BotFather)")
    token = settings.telegram_bot_token.get_secret_value()
    base = settings.telegram_api_base_url.rstrip("/")
    # Quoting replies, Telegram's send windows, getUpdates a page at a time, confirming only
    # updates the processor is done with: polling.py.
    bot = build_bot(token, base, settings.telegram_messages_per_second)
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(bot_data=BotData))
        .concurrent_updates(operators.LoggedUpdates(CONCURRENT_UPDATES, bot.handouts))
        .post_init(lifecycle.post_init)
    )
    builder = builder.post_stop(lifecycle.post_stop)
    if close_services:
        builder = builder.post_shutdown(lifecycle.close_services)
    application = builder.build()
    data: BotData = application.bot_data
    data.services, data.settings = services, settings
    data.allowlist = Allowlist(settings)
    # In memory on SQLite; on PostgreSQL in the database, shared with the other processes.
    limits = build_limits(settings, services.index)
    data.rate_limit, data.chat_rate_limit = limits.rate_limit, limits.chat_rate_limit
    data.command_limits, data.fetch_quota = limits.command_limits, limits.fetch_quota
    data.in_flight = limits.in_flight
    data.gatherer = Gatherer(settings.album_window_s)
    data.clock = clock
    lifecycle.wire_jobs(application, settings, services)
    data.scheduler = DigestScheduler(
        settings,
        digests=services.digests,
        subscriptions=services.subscriptions,
        leases=Leases(services.index, clock=clock),  # this process's name on its digests
        bot=application.bot,
        migrate=services.migrate_chat_off_loop,
        clock=clock,
        events=services.events,
        zones=services.zones,
        allowed=lambda sub: groups.subscription_allowed(data.allowlist, sub),
        first=functools.partial(digest_map, services, application.bot),
    )
    if digest_job and application.job_queue is not None:
        _schedule(application.job_queue, settings.digest_tick_s)
    # Followed sources: polled by the JobQueue (a test clock drives the ticks by hand).
    feeds.wire(application, services, clock, poll=digest_job)
    housekeeping.wire(application, services, clock, schedule=digest_job)
    if data.allowlist.empty:
        log.warning(
            "ALLOWED_USER_IDS and ALLOWED_CHAT_IDS are empty: the bot refuses everyone. "
            "Send the bot a message: its refusal tells you your user id; then set "
            "ALLOWED_USER_IDS=<that id> and restart."
        )
    # Migration first: a group upgraded by someone the gate would refuse keeps its history.
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, basics.on_migrate), group=-2
    )
    application.add_handler(TypeHandler(Update, basics.gate), group=-1)
    # New messages only: editing a command (or an article) must not run it, or pay, twice.
    new = filters.UpdateType.MESSAGE
    for name, handler in (("start", basics.on_start), ("help", basics.on_help)):
        application.add_handler(CommandHandler(name, handler, filters=new))
    application.add_handler(CommandHandler("brief", briefs.on_brief, filters=new))
    who.add_handlers(application, new)  # /who and its buttons
    application.add_handler(CommandHandler("ask", ask.on_ask, filters=new))
    application.add_handler(CommandHandler("export", exports.on_export, filters=new))
    # A channel's admins are the only ones who can post there: /digest in a channel is theirs.
    post = filters.UpdateType.CHANNEL_POST
    application.add_handler(CommandHandler("digest", digests.on_digest, filters=new | post))
    application.add_handler(CommandHandler("autoforwards", groups.on_autoforwards, filters=new))
    application.add_handler(CommandHandler("stats", operators.on_stats, filters=new))
    application.add_handler(CommandHandler("lang", operators.on_lang, filters=new))
    application.add_handler(CommandHandler("tz", zones.on_tz, filters=new))
    add_search_handlers(application, new)
    application.add_handlers(maps.handlers(new))  # /map and its button
    # Like /digest, a channel's admins may set up what the channel follows, in the channel.
    feeds.add_handlers(application, new | post)  # before the stale-button catch-all below
    story.add_handlers(application, new)
    application.add_handler(CallbackQueryHandler(basics.on_stale_button))
    # In groups only forwards and replies to the bot are ours; ordinary chatter is ignored.
    addressed = filters.ChatType.PRIVATE | filters.FORWARDED | REPLY_TO_BOT
    # Documents first: a PDF with a caption is about the PDF, not the caption.
    application.add_handler(
        MessageHandler(new & filters.Document.ALL & addressed, briefs.on_document)
    )
    application.add_handler(
        MessageHandler(
            (new | post) & posts.IN_ALBUM & ~filters.COMMAND & (addressed | post),
            posts.on_album_item,
        )
    )
    application.add_handler(
        MessageHandler(post & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
                       posts.on_channel_post)
    )  # fmt: skip
    application.add_handler(
        MessageHandler(
            new & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND & addressed,
            briefs.on_message,
        )
    )
    application.add_handler(
        MessageHandler(new & filters.ChatType.PRIVATE & ~filters.COMMAND, briefs.on_other)
    )
    add_unknown_command_handler(application, new)  # last: "/serch" gets the nearest command
    application.add_error_handler(basics.on_error)
    return application


def run(settings: Settings) -> None:
    """Run the bot until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    from bot.services import build_services

    if settings.webhook_url and settings.webhook_secret is None:
        # Without it anyone who finds the URL can post forged updates as an allowed user.
        raise ConfigError(
            "WEBHOOK_SECRET: required with WEBHOOK_URL, so only Telegram can post updates "
            "(1-256 characters A-Z, a-z, 0-9, _ and -)"
        )
    services = build_services(settings)
    # Here only: tests start many bots in one process. The child starts at the first picture,
    # not now: a bot that never draws one (or is killed at once) never has a child.
    services.pictures.use_process()
    application = build_application(settings, services, close_services=True)
    # Only here, in the long-running process: tests start many bots in one process, and
    # freezing each one's objects would keep them all alive.
    warm = getattr(services.llm, "warm_up", None)
    application.post_init = settled_after(application.post_init, warm)
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=_webhook_path(settings),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)


def _webhook_path(settings: Settings) -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.webhook_url or "").path.lstrip("/")
