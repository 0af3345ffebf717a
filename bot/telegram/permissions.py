"""Who may change a shared chat's settings: its admins, not whoever taps a button.

The gate admits by chat as well as by person: in a chat listed in ALLOWED_CHAT_IDS every member
(and every reader who can see a channel's buttons) gets through. Reading is fine for them all;
changing what the chat follows or receives is not. In groups and channels /follow, /unfollow,
/autoforwards and /digest on|off, and the buttons that change state, are for the chat's
admins (GROUP_SETTINGS_BY_MEMBERS=true opens the group commands, and their buttons, to every
admitted member).
"""

from __future__ import annotations

import logging

from telegram import Chat, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.telegram.access import SERVICE_ACCOUNTS
from bot.telegram.context import Ctx

log = logging.getLogger(__name__)

ADMINS_ONLY = "Only this chat's admins can change that here."
_ADMIN = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


async def may_change_chat(context: Ctx, update: Update) -> bool:
    """Tell whether the sender of this command or button may change the chat's settings."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True  # a private chat is its person's, and the gate admitted them
    message = update.effective_message
    if update.callback_query is None and message is not None and _speaks_as_the_chat(message):
        return True  # an anonymous admin, or a channel post: only admins can post so
    user = update.effective_user
    if user is None or user.id in SERVICE_ACCOUNTS:
        return False
    data = context.bot_data
    # Opened to members: their commands and the buttons those put up alike (only a group's
    # members see its buttons; a channel's readers are not members, so never there).
    if chat.type != ChatType.CHANNEL and data.settings.group_settings_by_members:
        return True
    if update.callback_query is not None and data.allowlist.allows(user.id, None):
        return True  # a button pressed by a person the operator listed by id
    return await _is_admin(context, chat, user.id)


async def refuse_unless_admin(context: Ctx, update: Update) -> bool:
    """Refuse (once, briefly) a change the sender may not make; return True when refused."""
    if await may_change_chat(context, update):
        return False
    query = update.callback_query
    try:
        if query is not None:
            await query.answer(ADMINS_ONLY, show_alert=True)
        elif (message := update.effective_message) is not None:
            await message.reply_text(ADMINS_ONLY)
    except TelegramError as exc:
        log.info("could not send the admins-only refusal: %s", exc)
    return True


def _speaks_as_the_chat(message: Message) -> bool:
    sender_chat = message.sender_chat
    return sender_chat is not None and sender_chat.id == message.chat_id


async def _is_admin(context: Ctx, chat: Chat, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat.id, user_id)
    except TelegramError as exc:  # not asked, not known: not an admin
        log.info("could not check %s's rights in chat %s: %s", user_id, chat.id, exc)
        return False
    return member.status in _ADMIN
