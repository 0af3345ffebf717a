"""/follow, /following, /unfollow, and live feed briefings sent to Telegram (thin)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.briefing.service import BriefResult
from bot.config import Settings
from bot.errors import ArticleError
from bot.feeds.followed_html import describe_follow, every
from bot.feeds.follows_store import FeedStore, Follow
from bot.render.briefing_html import esc, render_briefing, render_error
from bot.render.dates import UTC_DATES
from bot.render.plural import counted
from bot.services import Services
from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.stories.view import label_text
from bot.stories.views import set_follow_label
from bot.telegram.access import Allowlist, describe_wait
from bot.telegram.context import BotData, Ctx
from bot.telegram.digest_sends import THREAD_NOT_FOUND
from bot.telegram.groups import sender_of_message
from bot.telegram.limiter import sending_as
from bot.telegram.permissions import refuse_unless_admin
from bot.telegram.replies import send_html, thread_of, typing
from bot.telegram.send_windows import Priority

log = logging.getLogger(__name__)
CALLBACK = "unfollow:"
USAGE = (
    "<b>Follow a source</b>: its new items go into this chat's digest, /brief and /who.\n"
    "<code>/follow https://example.org/feed.xml</code> — an RSS or Atom feed\n"
    "<code>/follow https://example.org</code> — a site that declares its feed\n"
    "<code>/follow @channel</code> or <code>/follow t.me/channel</code> — a public channel\n"
    "Add <code>live</code> for one message per new item, and last "
    '<code>label "state media"</code> to give it your own label in /story (as /label does). '
    "/following lists them; /unfollow stops one."
)


class TelegramNotifier:
    """Send live briefings and notes about followed sources to chats (in their topic)."""

    def __init__(
        self,
        bot: Bot,
        settings: Settings,
        index: Index,
        store: FeedStore,
        zones: ChatZones | None = None,
    ) -> None:
        self._bot = bot
        self._settings = settings
        self._index = index
        self._store = store
        self._zones = zones

    async def briefing(self, follow: Follow, result: BriefResult) -> None:
        """Send a new item's briefing to a chat following its source live."""
        now = datetime.now(UTC)
        dates = await self._zones.style_off_loop(follow.chat_id, now) if self._zones else UTC_DATES
        html = render_briefing(
            result.stored, show_unverified=self._settings.show_unverified_quotes, cached=False,
            dates=dates,
        )  # fmt: skip
        try:
            thread = follow.thread_id
            sent = await send_html(self._bot, follow.chat_id, html, message_thread_id=thread)
        except BadRequest as exc:
            if not await self._topic_gone(follow, exc):
                raise
            sent = await send_html(self._bot, follow.chat_id, html)
        await self._index.run(
            Index.record_bot_messages, follow.chat_id, [m.message_id for m in sent],
            result.stored.article.content_hash,
        )  # fmt: skip

    async def note(self, follow: Follow, text: str) -> None:
        """Send a short note (a source paused) to a following chat."""
        try:
            await self._bot.send_message(follow.chat_id, text, message_thread_id=follow.thread_id)
        except BadRequest as exc:
            if not await self._topic_gone(follow, exc):
                raise
            await self._bot.send_message(follow.chat_id, text)

    async def _topic_gone(self, follow: Follow, exc: BadRequest) -> bool:
        # The topic /follow was sent in was deleted: the chat itself still wants the news.
        if follow.thread_id is None or THREAD_NOT_FOUND not in exc.message.lower():
            return False
        log.warning("topic %s of chat %s is gone: feeds now go to the chat", follow.thread_id,
                    follow.chat_id)  # fmt: skip
        await self._store.run(FeedStore.leave_topic, follow.chat_id, follow.thread_id)
        return True


def may_follow(allowlist: Allowlist, follow: Follow) -> bool:
    """Tell whether a follow may still be served: its follower (or its chat) is still allowed."""
    person = follow.follower_id
    if person is None and follow.chat_id > 0:
        person = follow.chat_id  # a private chat is its person
    return allowlist.allows(person, follow.chat_id)


async def _feed_tick(context: Ctx) -> None:
    with sending_as(Priority.DIGEST):  # live items and notes yield to replies, like digests
        # Each due source's poll runs as its own task (the context, with its priority, goes
        # with it): the tick returns at once, and a slow source never delays the next one.
        await context.bot_data.services.feed_poller.start_due()


def wire(
    application: Application,  # type: ignore[type-arg]
    services: Services,
    clock: Callable[[], datetime],
    *,
    poll: bool,
) -> None:
    """Give the poller Telegram (live items, pause notes) and the clock; schedule its ticks."""
    poller = services.feed_poller
    poller.notifier = TelegramNotifier(
        application.bot, services.settings, services.index, services.feeds.store, services.zones
    )
    poller.clock = services.feeds.clock = clock
    data: BotData = application.bot_data
    poller.allowed = lambda follow: may_follow(data.allowlist, follow)
    if poll and application.job_queue is not None:
        # Each source is polled when due; the tick only looks for due ones.
        tick = min(60.0, services.settings.feed_poll_interval_s)
        application.job_queue.run_repeating(
            _feed_tick,
            interval=tick,
            first=5.0,
            name="feed-tick",
            # The tick only starts polls, so runs never overlap for long; a tick made late
            # by a busy start-up or loop runs late rather than not at all.
            job_kwargs={"max_instances": 2, "coalesce": True, "misfire_grace_time": None},
        )


def add_handlers(application: Application, commands: filters.BaseFilter) -> None:  # type: ignore[type-arg]
    """Register /follow, /following, /unfollow (for updates `commands` lets in) and the buttons."""
    application.add_handler(CommandHandler("follow", on_follow, filters=commands))
    application.add_handler(CommandHandler("following", on_following, filters=commands))
    application.add_handler(CommandHandler("unfollow", on_unfollow, filters=commands))
    application.add_handler(CallbackQueryHandler(on_unfollow_choice, pattern=f"^{CALLBACK}"))


def _split_label(args: list[str]) -> tuple[list[str], str | None]:
    """Split "X [live] label state media" at the word label: the rest is the label ("": none)."""
    words = [a.casefold() for a in args]
    if "label" not in words[1:]:
        return args, None
    at = words.index("label", 1)
    return args[:at], label_text(" ".join(args[at + 1 :])) or ""


async def on_follow(update: Update, context: Ctx) -> None:
    """Handle /follow URL|@channel [live] [label TEXT]."""
    message = update.effective_message
    if message is None:
        return
    args, label = _split_label(list(context.args or []))
    live = bool(args) and args[-1].lower() == "live"
    args = args[:-1] if live else args
    if len(args) != 1 or label == "":
        await message.reply_html(USAGE)
        return
    if await refuse_unless_admin(context, update):
        return
    # A channel's post and an anonymous admin's have no person: their chat pays.
    payer = sender_of_message(message)
    data = context.bot_data
    if (wait := await data.rate_limit.try_acquire_off_loop(payer.quota_key)) is not None:
        await message.reply_text(
            f"⏳ Too many requests. Please try again in {describe_wait(wait)}."
        )
        return
    try:
        async with typing(context.bot, message.chat_id, thread_of(message)):
            done = await data.services.feeds.follow(
                message.chat_id,
                args[0],
                live=live,
                thread_id=thread_of(message),
                follower_id=payer.user_id,  # None: the chat itself follows (and pays)
            )
    except ArticleError as exc:
        await message.reply_html(render_error(getattr(exc, "reason", str(exc))))
        return
    s = done.follow.source
    how = (
        "one message per new item"
        if live
        else "new items go into this chat's digest, /brief and /who, without a message each"
    )
    verb = "Following" if done.new else "Still following"
    labelled = ""
    if label:  # the chat's own words, stored as /label stores them
        name = await set_follow_label(data.services.index, message.chat_id, s, label)
        labelled = f"\n{esc(name)} is labelled “{esc(label)}” in /story."
    await message.reply_html(
        f"✅ {verb} <b>{esc(s.title)}</b> ({counted(done.items, 'item')} "
        f"now). I check it every {every(data.settings.feed_poll_interval_s)}; {how}. "
        f"/following lists your sources.{labelled}"
    )


async def on_following(update: Update, context: Ctx) -> None:
    """Handle /following: the chat's sources with their last check and last error."""
    message = update.effective_message
    if message is None:
        return
    follows = await context.bot_data.services.feeds.following_off_loop(message.chat_id)
    if not follows:
        await message.reply_html("This chat follows no sources.\n\n" + USAGE)
        return
    now = context.bot_data.clock()
    dates = await context.bot_data.services.zones.style_off_loop(message.chat_id, now)
    body = "\n\n".join(describe_follow(f, now, dates) for f in follows)
    await send_html(
        context.bot, message.chat_id, f"<b>Sources followed here</b>\n\n{body}",
        reply_to=message.message_id, message_thread_id=thread_of(message),
    )  # fmt: skip


async def on_unfollow(update: Update, context: Ctx) -> None:
    """Handle /unfollow: one button per source."""
    message = update.effective_message
    if message is None:
        return
    if await refuse_unless_admin(context, update):
        return
    follows = await context.bot_data.services.feeds.following_off_loop(message.chat_id)
    if not follows:
        await message.reply_text("This chat follows no sources.")
        return
    buttons = [
        [InlineKeyboardButton(f.source.title[:60], callback_data=f"{CALLBACK}{f.source.id}")]
        for f in follows
    ]
    await message.reply_text(
        "Stop following which source?", reply_markup=InlineKeyboardMarkup(buttons)
    )


async def on_unfollow_choice(update: Update, context: Ctx) -> None:
    """Answer an /unfollow button: every query answered, stale or tampered ones briefly."""
    query = update.callback_query
    if query is None:
        return
    raw = (query.data or "").removeprefix(CALLBACK)
    if not raw.isdigit() or not isinstance(query.message, Message):
        await query.answer("That button is no longer valid.")
        return
    if await refuse_unless_admin(context, update):  # a channel's reader sees its buttons too
        return
    feeds = context.bot_data.services.feeds
    follow = await feeds.unfollow_off_loop(query.message.chat_id, int(raw))
    if follow is None:
        await query.answer("This chat doesn't follow that source any more.")
        return
    await query.answer("Unfollowed.")
    try:
        await query.message.edit_text(f"Unfollowed “{follow.source.title}”.")
    except TelegramError as exc:  # an old message may no longer be editable
        log.info("could not edit the /unfollow message: %s", exc)
