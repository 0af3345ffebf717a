"""Groups and channels as Telegram delivers them: senders, quotas, albums, auto-forwards.

Who a message speaks for, which quota it spends, albums and forwards that arrive as several
updates, and a discussion group's opt-in to its linked channel's posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.constants import ChatType

from bot.store.subscriptions import Subscription
from bot.telegram.access import Allowlist, Sender, UserRateLimit, sender_of
from bot.telegram.permissions import refuse_unless_admin

if TYPE_CHECKING:
    from bot.telegram.context import Ctx

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


def payer_of(message: Message) -> int | None:
    """Return who pays for what a message asks: its person, else the chat it was posted in."""
    return sender_of_message(message).payer_id


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


async def admits(context: Ctx, update: Update) -> bool:
    """Tell whether the allowlist (or a chat's auto-forward opt-in) admits this update."""
    data = context.bot_data
    sender = sender_of_update(update)
    if data.allowlist.allows(sender.user_id, sender.chat_id, sender.sender_chat_id):
        return True
    message = update.effective_message
    if message is None or not message.is_automatic_forward:
        return False
    # The opt-in speaks for whoever made it, as long as they are still allowed here.
    setting = await data.services.chat_settings.auto_forwards_off_loop(message.chat_id)
    return setting.enabled and data.allowlist.allows(setting.set_by, message.chat_id)


def subscription_allowed(allowlist: Allowlist, sub: Subscription) -> bool:
    """Tell whether a digest may still go out: its subscriber (or its chat) is still allowed."""
    person = sub.subscriber_id
    if person is None and sub.chat_id > 0:
        person = sub.chat_id  # a private chat is its person (rows older than subscriber_id)
    return allowlist.allows(person, sub.chat_id)


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
        if await refuse_unless_admin(context, update):
            return
        sender = sender_of_message(message)
        state = await store.set_auto_forwards_off_loop(
            message.chat_id, enabled=verb == "on", set_by=sender.user_id
        )
    else:
        state = await store.auto_forwards_off_loop(message.chat_id)
    limit = context.bot_data.settings.chat_rate_limit_per_hour
    status = (
        f"Posts from the linked channel are briefed here (up to {limit} new ones an hour)."
        if state.enabled
        else "Posts from the linked channel are not briefed here."
    )
    await message.reply_html(
        status if verb in {"on", "off"} else f"{status}\n\n{AUTOFORWARDS_USAGE}"
    )
