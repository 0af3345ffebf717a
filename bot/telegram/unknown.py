"""Commands the bot does not have: a short reply naming the nearest one it does.

Only where the command is surely ours: in a private chat, or addressed to this bot by name
in a group (/serch@ourbot). A bare /cmd in a group may be another bot's, and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from typing import Any

from rapidfuzz import fuzz, process
from telegram import MessageEntity, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters
from telegram.ext.filters import BaseFilter

from bot.render.briefing_html import esc
from bot.telegram.context import Ctx
from bot.telegram.replies import send_html, thread_of

_SIMILAR = 60  # rapidfuzz ratio: "serch" → search is 91, "stast" → stats 80, "xyz" → none
_MAX_SHOWN = 32  # a command echoed back is cut to this


def nearest(command: str, known: Collection[str]) -> str | None:
    """Return the known command nearest to `command`, or None when none is near."""
    found = process.extractOne(command.casefold(), list(known), scorer=fuzz.ratio)
    return None if found is None or found[1] < _SIMILAR else str(found[0])


def unknown_command_reply(
    known: Collection[str],
) -> Callable[[Update, Ctx], Coroutine[Any, Any, None]]:
    """Make the handler for commands not in `known` (registered after every real one)."""

    async def on_unknown(update: Update, context: Ctx) -> None:
        """Reply to an unknown command with the nearest real one."""
        message = update.effective_message
        if message is None or not message.text:
            return
        entity = next(
            (e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and not e.offset),
            None,
        )
        if entity is None:
            return
        word = message.text[1 : entity.length]
        name, _, addressee = word.partition("@")
        if addressee:
            if addressee.casefold() != (context.bot.username or "").casefold():
                return  # another bot's command
        elif message.chat.type != "private":
            return  # in a group, a bare /cmd may be for another bot
        shown = esc(name[:_MAX_SHOWN])
        close = nearest(name, known)
        hint = f" Did you mean /{close}?" if close else " Send /help for what I can do."
        await send_html(
            context.bot, message.chat_id, f"Unknown command /{shown}.{hint}",
            reply_to=message.message_id, message_thread_id=thread_of(message),
        )  # fmt: skip

    return on_unknown


def add_unknown_command_handler(
    application: Application[Any, Any, Any, Any, Any, Any], new: BaseFilter
) -> None:
    """Register the reply to unknown commands, knowing every command registered so far."""
    known = {
        c
        for h in application.handlers.get(0, [])
        if isinstance(h, CommandHandler)
        for c in h.commands
    }
    application.add_handler(MessageHandler(new & filters.COMMAND, unknown_command_reply(known)))
