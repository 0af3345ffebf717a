"""Groups and channels as Telegram delivers them: senders, quotas, albums, auto-forwards.

Who a message speaks for, which quota it spends, albums and forwards that arrive as several
updates, and a discussion group's opt-in to its linked channel's posts.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.constants import ChatType

from bot.store.subscriptions import Subscription
from bot.telegram.access import Allowlist, Sender, UserRateLimit, sender_of

if TYPE_CHECKING:
    from bot.telegram.context import Ctx

_REMEMBERED = 1024  # finished albums remembered, so a straggler can't start a second reply

AUTOFORWARDS_USAGE = (
    "<b>Posts from the linked channel</b>\n"
    "<code>/autoforwards on</code> — brief each post the linked channel forwards here\n"
    "<code>/autoforwards off</code> — ignore them (the default)"
)


def sender_of_message(message: Message) -> Sender:
    """Identify whom a message speaks for (a person, or the group/channel behind it)."""
    user = message.from_user
    sender_chat = message.sender_chat
    return sender_of(
        user.id if user else None, message.chat_id, sender_chat.id if sender_chat else None
    )


def sender_of_update(update: Update) -> Sender:
    """Identify whom an update speaks for; a callback query always has a person."""
    message = update.effective_message
    if update.callback_query is None and message is not None:
        return sender_of_message(message)
    user, chat = update.effective_user, update.effective_chat
    return sender_of(user.id if user else None, chat.id if chat else None, None)


def is_silent(message: Message) -> bool:
    """Tell whether answers would go to a channel's subscribers (so we brief without a word)."""
    return message.chat.type == ChatType.CHANNEL


def charge_to(context: Ctx, message: Message) -> tuple[UserRateLimit, str]:
    """Pick the quota a new article spends: the sender's, or the chat's for posts nobody sent."""
    data = context.bot_data
    if message.is_automatic_forward or is_silent(message):
        return data.chat_rate_limit, f"chat:{message.chat_id}"
    # Anonymous senders spend their group's or channel's quota: the service account behind
    # them is shared by every anonymous admin on Telegram.
    return data.rate_limit, sender_of_message(message).quota_key


def admits(context: Ctx, update: Update) -> bool:
    """Tell whether the allowlist (or a chat's auto-forward opt-in) admits this update."""
    data = context.bot_data
    sender = sender_of_update(update)
    if data.allowlist.allows(sender.user_id, sender.chat_id, sender.sender_chat_id):
        return True
    message = update.effective_message
    if message is None or not message.is_automatic_forward:
        return False
    # The opt-in speaks for whoever made it, as long as they are still allowed here.
    setting = data.services.chat_settings.auto_forwards(message.chat_id)
    return setting.enabled and data.allowlist.allows(setting.set_by, message.chat_id)


def subscription_allowed(allowlist: Allowlist, sub: Subscription) -> bool:
    """Tell whether a digest may still go out: its subscriber (or its chat) is still allowed."""
    person = sub.subscriber_id
    if person is None and sub.chat_id > 0:
        person = sub.chat_id  # a private chat is its person (rows older than subscriber_id)
    return allowlist.allows(person, sub.chat_id)


class Gatherer:
    """Collect what Telegram splits into several updates: albums, and a comment's forward."""

    def __init__(self, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._albums: dict[tuple[int, str], list[Message]] = {}
        self._done: OrderedDict[tuple[int, str], None] = OrderedDict()
        # (chat, person) -> (when, message id) of their latest forward
        self._forwards: dict[tuple[int, int], tuple[float, int]] = {}
        self._forward_events: dict[tuple[int, int], asyncio.Event] = {}

    def add_album_item(self, message: Message) -> bool:
        """Keep an album item; return True for the item that opened the album (its owner)."""
        key = (message.chat_id, str(message.media_group_id))
        if key in self._done:
            return False
        items = self._albums.setdefault(key, [])
        items.append(message)
        return len(items) == 1

    def close_album(self, message: Message) -> list[Message]:
        """End an album's collection and return its items in message order."""
        key = (message.chat_id, str(message.media_group_id))
        self._done[key] = None
        while len(self._done) > _REMEMBERED:
            self._done.popitem(last=False)
        return sorted(self._albums.pop(key, []), key=lambda m: m.message_id)

    def note_forward(self, message: Message) -> None:
        """Remember that this person just forwarded something here."""
        if message.from_user is None:
            return
        key = (message.chat_id, message.from_user.id)
        now = self._clock()
        self._forwards = {k: v for k, v in self._forwards.items() if now - v[0] < self.window_s}
        self._forwards[key] = (now, message.message_id)
        if (event := self._forward_events.get(key)) is not None:
            event.set()

    async def forward_follows(self, message: Message) -> bool:
        """Tell whether the same person's forward follows this message (its comment) at once."""
        if message.from_user is None:
            return False
        key = (message.chat_id, message.from_user.id)
        # Updates are handled concurrently, so the forward may have been seen already; a
        # later message id is what makes it this comment's forward, not an earlier one.
        if self._forward_after(key, message):
            return True
        event = self._forward_events.setdefault(key, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), self.window_s)
        except TimeoutError:
            return False
        finally:
            self._forward_events.pop(key, None)
        return self._forward_after(key, message)

    def _forward_after(self, key: tuple[int, int], message: Message) -> bool:
        seen = self._forwards.get(key)
        return (
            seen is not None
            and seen[1] > message.message_id
            and self._clock() - seen[0] < self.window_s
        )


async def comment_of_forward(context: Ctx, message: Message) -> bool:
    """Tell whether a short text is the comment of a "forward with comment"."""
    return await context.bot_data.gatherer.forward_follows(message)


async def on_autoforwards(update: Update, context: Ctx) -> None:
    """Handle /autoforwards [on|off]: brief the linked channel's posts in this group, or not."""
    message = update.effective_message
    if message is None:
        return
    if message.chat.type not in {ChatType.GROUP, ChatType.SUPERGROUP}:
        await message.reply_text("This is for a channel's discussion group; send it there.")
        return
    store = context.bot_data.services.chat_settings
    verb = (context.args or [""])[0].lower()
    if verb in {"on", "off"}:
        sender = sender_of_message(message)
        store.set_auto_forwards(message.chat_id, enabled=verb == "on", set_by=sender.user_id)
    state = store.auto_forwards(message.chat_id)
    limit = context.bot_data.settings.chat_rate_limit_per_hour
    status = (
        f"Posts from the linked channel are briefed here (up to {limit} new ones an hour)."
        if state.enabled
        else "Posts from the linked channel are not briefed here."
    )
    await message.reply_html(
        status if verb in {"on", "off"} else f"{status}\n\n{AUTOFORWARDS_USAGE}"
    )
