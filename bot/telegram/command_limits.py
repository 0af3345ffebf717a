"""Per-chat limits on the expensive commands: at most N uses per chat in a moving window.

`allow_command(context, chat_id, command)` is the one call a handler makes before expensive
work: it counts the use, or tells the chat how long to wait (a message, or for a button press
an alert) and returns False. The windows live in memory: a restart resets them, which costs
at most one window's worth of extra uses (docs/security.md, "Limits").
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from telegram import Update

from bot.telegram.command_windows import describe_minutes

if TYPE_CHECKING:
    from bot.telegram.context import Ctx

# How each command is named to the people who typed it.
LABELS = {"overview": "/brief", "digest_now": "/digest now"}
WAIT = "⏳ {command} was asked a lot here lately. Please wait {wait}."

# The update being handled, noted by the gate: a button press is answered with an alert,
# a command with a reply, without every caller passing the update along.
_update: ContextVar[Update | None] = ContextVar("briefbot_update", default=None)


def note_update(update: Update) -> None:
    """Remember the update this task is handling (called by the gate for every update)."""
    _update.set(update)


async def allow_command(context: Ctx, chat_id: int, command: str) -> bool:
    """Count one use of `command` in the chat; if over its limit, say how long to wait."""
    wait = await context.bot_data.command_limits.try_use_off_loop(chat_id, command)
    if wait is None:
        return True
    label = LABELS.get(command, f"/{command}")
    text = WAIT.format(command=label, wait=describe_minutes(wait))
    update = _update.get()
    if update is not None and update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update is not None and update.effective_message is not None:
        await update.effective_message.reply_text(text)
    else:
        await context.bot.send_message(chat_id, text)
    return False
