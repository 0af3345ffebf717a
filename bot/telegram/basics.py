"""The handlers every update can meet, whatever the feature: gate, /help, errors.

The access gate in front of every handler, the group-to-supergroup migration, /start and
/help, the error handler's apology and the catch-all for stale buttons. They are the bot's
own rules rather than a feature's, and live apart from app.py so that the application's
wiring (builder, lifecycle, polling or webhook) reads on its own.
"""

from __future__ import annotations

import logging
import uuid

from telegram import ReplyParameters, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.logs import set_outcome
from bot.render.briefing_html import render_error
from bot.store.outage import DatabaseUnavailableError, lost
from bot.telegram import groups
from bot.telegram.access import refusal_text
from bot.telegram.command_limits import note_update
from bot.telegram.context import Ctx
from bot.telegram.replies import thread_of

log = logging.getLogger(__name__)


HELP = """<b>briefbot</b> turns news into briefings: what happened, key points, why it matters, \
and who stands where — each stance backed by a quote from the article.

• <b>Forward</b> a news post (or paste an article) → a briefing, as a reply.
• Send a <b>link</b>, or a <b>PDF</b>, HTML or text file → the page or document briefed.
• <code>/brief</code> as a reply to a message briefs it; <code>/brief TEXT</code> briefs the text; \
<code>/brief</code> alone gives an overview of the last 24 h.
• <code>/who NAME</code> → every stance NAME took in this chat's articles, newest first, \
with quotes, sources and shifts, ten a page; <code>/who kim sanctions 30d</code> narrows it \
to an issue and a period. <code>/who</code> alone lists the actors seen lately; \
as a reply to an article it lists that article's actors.
• <code>/search WORDS</code> → this chat's articles that match, best first; filters \
<code>actor:kim</code>, <code>source:@channel</code>, <code>since:30d</code>, \
<code>lang:ru</code>, "exact phrases".
• <code>/ask QUESTION</code> → an answer written only from this chat's articles, every \
sentence cited and checked against them (in a private chat, just send the question; as a \
reply to a briefing, it asks that article).
• <code>/story</code> as a reply to a briefing → every source of that event, what they agree \
and differ on, how each frames it (with its own quote); \
<code>/label @channel state media</code> names a source your way.
• <code>/map</code> → who stands where: the chat's main actors by issue, as a picture \
(<code>/map 7d</code>, <code>/map sanctions</code>).
• <code>/export</code> → this chat's briefings as a file with every quote and its source; \
<code>/export stances csv</code>, <code>/export who NAME</code>.
• <code>/digest on 7am Paris</code> → that overview every day at that time; \
<code>/digest off</code>, <code>/digest now</code>, <code>/digest</code> for the schedule; \
<code>/digest pictures on</code> starts it with the map.
• <code>/lang French</code> → this chat's briefings and digests in French; \
<code>/lang auto</code> → in each article's own language.
• <code>/tz Paris</code> → dates here in Paris time (a city or a zone like \
<code>Europe/Paris</code>); <code>/tz</code> shows it.
• In a channel's discussion group, <code>/autoforwards on</code> briefs each post the channel \
forwards there.
• <code>/follow URL</code> (a feed or a site) or <code>/follow @channel</code> → its new items \
go into the digest, /brief and /who (add <code>label state media</code> for your label in \
/story); <code>/following</code>, <code>/unfollow</code>.

Quotes marked ⚠️ were not found in the article. The same article never costs twice: \
repeats come from the cache (⚡)."""


# /start is a first-timer's: one line of what to do now. /help is the reference.
START = (
    "👋 Forward me a news post or send a link, and I'll reply with its briefing. "
    "/help lists the rest."
)
START_GROUP = (
    "👋 Forward a news post here, or send <code>/brief</code> with a link or as a reply to a "
    "message, and I'll brief it for everyone. /help lists the rest."
)

STALE_BUTTON = "This button no longer works. Send the command again."


async def gate(update: Update, context: Ctx) -> None:
    """Stop updates from strangers before any handler, refusing each of them once."""
    chat = update.effective_chat
    data = context.bot_data
    note_update(update)  # for allow_command: a button press is answered with an alert
    if await groups.admits(context, update):
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
    await context.bot_data.services.migrate_chat_off_loop(old, new)
    await context.bot_data.pending.migrate_off_loop(old, new)
    log.info("group %s became supergroup %s; history moved", old, new)
    if old in context.bot_data.settings.allowed_chat_ids:
        log.warning("add the new id %s to ALLOWED_CHAT_IDS (it replaces %s)", new, old)


async def on_help(update: Update, _context: Ctx) -> None:
    """Explain the bot and list its commands (/help)."""
    if update.effective_message:
        await update.effective_message.reply_html(HELP)


async def on_start(update: Update, _context: Ctx) -> None:
    """Say in one line what to do first (/start)."""
    message = update.effective_message
    if message is not None:
        private = message.chat.type == "private"
        await message.reply_html(START if private else START_GROUP)


async def on_error(update: object, context: Ctx) -> None:
    """Log the traceback under an error id and give the user a short apology with that id."""
    if _handled_again(update, context):
        return
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
                render_error(_apology(context.error), error_id),
                parse_mode="HTML",
                # Threaded to what failed, so the user knows which of their messages it was.
                reply_parameters=ReplyParameters(message.message_id) if message else None,
                message_thread_id=thread_of(update.effective_message),
            )
        except TelegramError as exc:
            log.warning("could not send the apology for %s: %s", error_id, exc)


def _handled_again(update: object, context: Ctx) -> bool:
    """Hand an update out again whose handler lost PostgreSQL mid-way: no apology, no loss.

    A read on the event loop's thread fails at once while the database is away (it never
    waits there: pg_connection.py); the update stays unconfirmed and comes back with the
    next getUpdates answer. Past DATABASE_RETRY_S (DatabaseUnavailableError) it is
    apologised for instead, as nothing of it was kept.
    """
    error = context.error
    handouts = getattr(context.bot, "handouts", None)
    if (
        not isinstance(update, Update)
        or handouts is None
        or error is None
        or isinstance(error, DatabaseUnavailableError)
        or not lost(error)
    ):
        return False
    set_outcome("database away: handled again")
    log.warning("update %d: the database is away; it will be handled again", update.update_id)
    handouts.handle_again(update.update_id)
    return True


def _apology(error: object) -> str:
    if isinstance(error, DatabaseUnavailableError):  # nothing of the message was kept
        return "Sorry, my database is unreachable right now. Please send it again later."
    return "Sorry, something went wrong on my side."


async def on_stale_button(update: Update, _context: Ctx) -> None:
    """Answer a button nobody handles (old, or tampered with) instead of leaving it spinning."""
    if update.callback_query is not None:
        await update.callback_query.answer(STALE_BUTTON)
