"""/export [briefings | stances | who NAME] [md | csv]: the chat's history as a document (thin)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from telegram import Message, ReplyParameters, Update

from bot.actors.lookup import find_in_chat
from bot.export.records import What
from bot.export.service import (
    MAX_TELEGRAM_BYTES,
    ExportAskError,
    ExportRequest,
    parse_ask,
    write_export,
)
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.replies import TYPING_AFTER_S, thread_of, typing

log = logging.getLogger(__name__)
_FORMAT_NAMES = {"md": "Markdown", "csv": "CSV", "json": "JSON"}


async def on_export(update: Update, context: Ctx) -> None:
    """Handle /export: build the document off the loop and send it."""
    message = update.effective_message
    if message is None:
        return
    try:
        what, fmt, name = parse_ask(list(context.args or []))
    except ExportAskError as exc:
        await message.reply_text(str(exc))
        return
    request = ExportRequest(message.chat_id, what, fmt)
    if what is What.WHO:
        found = await context.bot_data.services.index.run(find_in_chat, message.chat_id, name)
        if found.match is None:
            names = ", ".join(a.name for a in found.candidates[:5])
            await message.reply_text(
                f"Several actors match “{name}”: {names}. Send /export who with the full name."
                if names
                else f"I haven't seen “{name}” in this chat's articles."
            )
            return
        request = ExportRequest(
            message.chat_id, what, fmt, actor=found.match.name, names=frozenset(found.match.names)
        )
    # Counted only now: a name that names nobody costs the chat none of its exports.
    if await allow_command(context, message.chat_id, "export"):
        await _build_and_send(context, message, request)


async def _build_and_send(context: Ctx, message: Message, request: ExportRequest) -> None:
    services = context.bot_data.services
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory(prefix="briefbot-export-") as tmp:
        path = Path(tmp) / request.filename(today)
        # Years of history take seconds to write: on a thread with its own connection, with
        # "typing…" shown meanwhile once it takes a moment.
        async with typing(context.bot, message.chat_id, thread_of(message), after=TYPING_AFTER_S):
            count = await asyncio.to_thread(
                write_export, services.index, services.cache, request, path, today
            )
        size = path.stat().st_size
        if not count:
            await message.reply_text("Nothing to export yet: this chat has no briefed articles.")
            return
        if size > MAX_TELEGRAM_BYTES:
            log.warning(
                "export of chat %s is %d bytes: over Telegram's limit", message.chat_id, size
            )
            await message.reply_text(
                f"That export is {size / 1e6:.0f} MB, more than Telegram lets a bot send (50 MB). "
                "Try /export who NAME, or ask the person who runs this bot for it."
            )
            return
        kind = "briefing" if request.what is What.BRIEFINGS else "stance"
        caption = (
            f"{count} {kind}{'s' * (count != 1)} with their citations, "
            f"as {_FORMAT_NAMES[request.fmt.value]}."
        )
        document = await asyncio.to_thread(path.read_bytes)  # up to 50 MB: not on the loop
    await context.bot.send_document(
        message.chat_id, document, filename=path.name, caption=caption,
        reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
        message_thread_id=thread_of(message),
    )  # fmt: skip
