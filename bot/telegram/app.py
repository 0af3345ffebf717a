"""Application wiring: builder, handlers, access gate, error handler, polling or webhook."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from telegram import BotCommand, ReplyParameters, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
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
from bot.heap import settled_after
from bot.logs import set_outcome
from bot.render.briefing import render_error
from bot.services import Services
from bot.store.pending import DegradedReplies, PendingStore
from bot.telegram import briefs, digests, feeds, groups, operators, posts, who
from bot.telegram.access import Allowlist, UserRateLimit, refusal_text
from bot.telegram.context import BotData, Ctx
from bot.telegram.delivery import Clock, DigestScheduler, utc_now
from bot.telegram.incoming import REPLY_TO_BOT
from bot.telegram.polling import build_bot
from bot.telegram.replies import thread_of
from bot.telegram.work import Answerer, WorkerPool

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("brief", "Brief a message (reply), pasted text or a link"),
    BotCommand("who", "An actor's stances across this chat's articles"),
    BotCommand("digest", "Daily digest: on [HH:MM] [Zone] | off | now"),
    BotCommand("lang", "Briefing language here: a language, or auto"),
    BotCommand("follow", "Follow a feed, a site or a public channel"),
    BotCommand("following", "The sources this chat follows"),
    BotCommand("unfollow", "Stop following a source"),
    BotCommand("help", "What this bot does"),
]
HELP = """<b>briefbot</b> turns news into briefings: what happened, key points, why it matters, \
and who stands where — each stance backed by a quote from the article.

• <b>Forward</b> a news post (or paste an article) → a briefing, as a reply.
• Send a <b>link</b>, or a <b>PDF</b>, HTML or text file → the page or document briefed.
• <code>/brief</code> as a reply to a message briefs it; <code>/brief TEXT</code> briefs the text; \
<code>/brief</code> alone gives an overview of the last 24 h.
• <code>/who NAME</code> → every stance NAME took in this chat's articles, newest first, \
with quotes, sources and shifts. <code>/who</code> alone lists the actors seen lately; \
as a reply to an article it lists that article's actors.
• <code>/digest on 07:30 Europe/Paris</code> → that overview every day at that time; \
<code>/digest off</code>, <code>/digest now</code>, <code>/digest</code> for the schedule.
• <code>/lang French</code> → this chat's briefings and digests in French; \
<code>/lang auto</code> → in each article's own language.
• In a channel's discussion group, <code>/autoforwards on</code> briefs each post the channel \
forwards there.
• <code>/follow URL</code> (a feed or a site) or <code>/follow @channel</code> → its new items \
go into the digest, /brief and /who; <code>/following</code>, <code>/unfollow</code>.

Quotes marked ⚠️ were not found in the article. The same article never costs twice: \
repeats come from the cache (⚡)."""
# Only what we handle: no business or inline updates (strangers there would get refusals
# sent on the operator's behalf). Channel posts are briefed silently in allowed channels.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.CHANNEL_POST]
STALE_BUTTON = "This button no longer works. Send the command again."
# Telegram caps concurrent work per bot far above this; it bounds our memory and sockets.
CONCURRENT_UPDATES = 64


async def gate(update: Update, context: Ctx) -> None:
    """Stop updates from strangers before any handler, refusing each of them once."""
    chat = update.effective_chat
    data = context.bot_data
    if groups.admits(context, update):
        return
    sender = groups.sender_of_update(update)
    user_id = sender.user_id if not sender.anonymous else sender.sender_chat_id
    log.info("refused update from %s in chat %s", sender.quota_key, chat.id if chat else None)
    set_outcome("refused")
    message = update.effective_message
    addressed = update.callback_query is not None or (
        message is not None
        and (chat is None or chat.type != "channel")  # never answer to a channel's readers
        and (
            (chat is not None and chat.type == "private")
            or bool(message.text and message.text.startswith("/"))
        )
    )
    if addressed and data.allowlist.first_refusal(user_id, chat.id if chat else None):
        text = refusal_text(sender)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif message is not None:
                await message.reply_text(text)
        except TelegramError as exc:
            log.warning("could not send the refusal: %s", exc)
    raise ApplicationHandlerStop


async def on_migrate(update: Update, context: Ctx) -> None:
    """Carry a group's history over when Telegram upgrades it to a supergroup."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return  # the supergroup's twin message (migrate_from) needs nothing
    old, new = message.chat_id, message.migrate_to_chat_id
    context.bot_data.services.migrate_chat(old, new)
    context.bot_data.pending.migrate(old, new)
    log.info("group %s became supergroup %s; history moved", old, new)
    if old in context.bot_data.settings.allowed_chat_ids:
        log.warning("add the new id %s to ALLOWED_CHAT_IDS (it replaces %s)", new, old)


async def on_help(update: Update, _context: Ctx) -> None:
    """Explain the bot (/start and /help)."""
    if update.effective_message:
        await update.effective_message.reply_html(HELP)


async def on_error(update: object, context: Ctx) -> None:
    """Log the traceback under an error id and give the user a short apology with that id."""
    error_id = uuid.uuid4().hex[:8]
    set_outcome(f"error:{error_id}")
    log.error("error %s while handling an update", error_id, exc_info=context.error)
    if isinstance(update, Update) and update.callback_query is not None:
        try:  # a button left unanswered keeps spinning on the user's screen
            await update.callback_query.answer(f"Sorry, something went wrong (error {error_id}).")
        except TelegramError as exc:
            log.debug("could not answer the callback for %s: %s", error_id, exc)
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(update, Update) and chat is not None and chat.type != "channel":
        try:
            message = update.effective_message
            await context.bot.send_message(
                chat.id,
                render_error("Sorry, something went wrong on my side.", error_id),
                parse_mode="HTML",
                # Threaded to what failed, so the user knows which of their messages it was.
                reply_parameters=ReplyParameters(message.message_id) if message else None,
                message_thread_id=thread_of(update.effective_message),
            )
        except TelegramError as exc:
            log.warning("could not send the apology for %s: %s", error_id, exc)


async def on_stale_button(update: Update, _context: Ctx) -> None:
    """Answer a button nobody handles (old, or tampered with) instead of leaving it spinning."""
    if update.callback_query is not None:
        await update.callback_query.answer(STALE_BUTTON)


async def post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menu (never fatal), start the workers and resume pending jobs."""
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", exc)
    log_startup(application)
    data: BotData = application.bot_data
    data.workers.start()
    data.pending.prune(datetime.now(UTC))
    resumed = data.pending.pending()
    if resumed:
        log.info("resuming %d pending job(s) from before the restart", len(resumed))
    for job in resumed:
        data.workers.submit(job, resumed=True)


async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the workers; what they had not finished stays pending for the next start."""
    data: BotData = application.bot_data
    await data.workers.stop()


def workers_for(settings: Settings) -> int:
    """Size the pool: enough to keep every LLM slot busy while others render and send."""
    return min(64, settings.llm_max_concurrency * 4)


def log_startup(application: Application) -> None:  # type: ignore[type-arg]
    """Log, in one line, what `briefbot check` checks: who we are, which model, where data goes."""
    data: BotData = application.bot_data
    settings = data.settings
    from bot.llm import safe_url

    llm = (
        f"{settings.llm_model} at {safe_url(settings.llm_base_url)}"
        if settings.llm_configured
        else "none (no LLM configured)"
    )
    log.info(
        "briefbot started: bot @%s, model %s, data dir %s, prompts %s",
        application.bot.username,
        llm,
        settings.bot_data_dir.resolve(),
        ", ".join(f"{p.name} v{p.version}" for p in data.services.prompts.values()),
    )


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


async def _close_services(application: Application) -> None:  # type: ignore[type-arg]
    data: BotData = application.bot_data
    await data.services.aclose()


def build_application(
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
    builder = (
        ApplicationBuilder()
        # Quoting replies, Telegram's send windows, getUpdates a page at a time: polling.py.
        .bot(build_bot(token, base, settings.telegram_messages_per_second))
        .context_types(ContextTypes(bot_data=BotData))
        .concurrent_updates(operators.LoggedUpdates(CONCURRENT_UPDATES))
        .post_init(post_init)
    )
    builder = builder.post_stop(post_stop)
    if close_services:
        builder = builder.post_shutdown(_close_services)
    application = builder.build()
    data: BotData = application.bot_data
    data.services, data.settings = services, settings
    data.allowlist = Allowlist(settings)
    data.rate_limit = UserRateLimit(settings.user_rate_limit_per_hour)
    data.chat_rate_limit = UserRateLimit(settings.chat_rate_limit_per_hour)
    data.gatherer = groups.Gatherer(settings.album_window_s)
    data.clock = clock
    data.pending = PendingStore(services.index)
    data.degraded = DegradedReplies(services.index)
    data.answerer = Answerer(
        services,
        data.pending,
        data.degraded,
        application.bot,
        show_unverified=settings.show_unverified_quotes,
    )
    data.workers = WorkerPool(workers_for(settings), data.answerer.answer)
    data.scheduler = DigestScheduler(
        settings,
        digests=services.digests,
        subscriptions=services.subscriptions,
        bot=application.bot,
        migrate=services.migrate_chat,
        clock=clock,
        events=services.events,
        allowed=lambda sub: groups.subscription_allowed(data.allowlist, sub),
    )
    if digest_job and application.job_queue is not None:
        _schedule(application.job_queue, settings.digest_tick_s)
    # Followed sources: polled by the JobQueue (a test clock drives the ticks by hand).
    feeds.wire(application, services, clock, poll=digest_job)
    if data.allowlist.empty:
        log.warning(
            "ALLOWED_USER_IDS and ALLOWED_CHAT_IDS are empty: the bot refuses everyone. "
            "Send the bot a message: its refusal tells you your user id; then set "
            "ALLOWED_USER_IDS=<that id> and restart."
        )
    # Migration first: a group upgraded by someone the gate would refuse keeps its history.
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=-2)
    application.add_handler(TypeHandler(Update, gate), group=-1)
    # New messages only: editing a command (or an article) must not run it, or pay, twice.
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler(["start", "help"], on_help, filters=new))
    application.add_handler(CommandHandler("brief", briefs.on_brief, filters=new))
    application.add_handler(CommandHandler("who", who.on_who, filters=new))
    # A channel's admins are the only ones who can post there: /digest in a channel is theirs.
    post = filters.UpdateType.CHANNEL_POST
    application.add_handler(CommandHandler("digest", digests.on_digest, filters=new | post))
    application.add_handler(CommandHandler("autoforwards", groups.on_autoforwards, filters=new))
    application.add_handler(CommandHandler("stats", operators.on_stats, filters=new))
    application.add_handler(CommandHandler("lang", operators.on_lang, filters=new))
    application.add_handler(CallbackQueryHandler(who.on_who_choice, pattern=r"^who:"))
    # Like /digest, a channel's admins may set up what the channel follows, in the channel.
    feeds.add_handlers(application, new | post)  # before the stale-button catch-all below
    application.add_handler(CallbackQueryHandler(on_stale_button))
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
    application.add_error_handler(on_error)
    return application


def run(settings: Settings) -> None:
    """Run the bot until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    from bot.services import build_services

    services = build_services(settings)
    application = build_application(settings, services, close_services=True)
    # Only here, in the long-running process: tests start many bots in one process, and
    # freezing each one's objects would keep them all alive.
    warm = getattr(services.llm, "warm_up", None)
    application.post_init = settled_after(application.post_init, warm)
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        if secret is None:
            log.warning("WEBHOOK_SECRET is empty: anyone who finds the URL can post updates")
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
