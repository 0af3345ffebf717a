"""Operator-facing pieces of the bot: /stats, /lang, and one log line per handled update."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot.briefing.languages import language_of
from bot.logs import UpdateTrace, end_trace, log_update, set_outcome, start_trace
from bot.ops.report import render_text, report_for
from bot.ops.storage import render_storage, storage_report
from bot.render.briefing_html import esc, render_error
from bot.runtime.loop_turns import take_turn
from bot.store.chat_language import AUTO, LanguageError
from bot.telegram.context import Ctx
from bot.telegram.polling import Handouts

log = logging.getLogger("bot.updates")

STATS_REFUSAL = "Sorry, /stats is for the people who run this bot."
STATS_PRIVATE_ONLY = "Send /stats to me in a private chat: it lists other chats' usage."
LANG_USAGE = (
    "<code>/lang French</code> (or <code>/lang fr</code>, <code>/lang pt-BR</code>) writes "
    "this chat's briefings and digests in that language; "
    "<code>/lang auto</code> in each article's own language."
)


async def on_stats(update: Update, context: Ctx) -> None:
    """Handle /stats: usage, cache, tokens and cost, for ADMIN_USER_IDS only."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    data = context.bot_data
    if user is None or user.id not in data.settings.admin_user_ids:
        set_outcome("refused")
        await message.reply_text(STATS_REFUSAL)
        return
    if message.chat.type != "private":
        # The report names other chats and users: never show it to a group's members.
        set_outcome("refused")
        await message.reply_text(STATS_PRIVATE_ONLY)
        return
    services = data.services
    periods = report_for(services.events, data.settings, services.budget)
    storage = await storage_report(data.settings.bot_data_dir, services.index)
    text = render_text(periods, model=data.settings.llm_model) + "\n\n" + render_storage(storage)
    set_outcome("stats")
    await message.reply_html(f"<b>📊 briefbot stats</b>\n<pre>{esc(text)}</pre>")


async def on_lang(update: Update, context: Ctx) -> None:
    """Handle /lang [language | auto]: show or set this chat's briefing language."""
    message = update.effective_message
    if message is None:
        return
    languages = context.bot_data.services.languages
    wanted = " ".join(context.args or [])
    if not wanted:
        effective = await languages.effective_off_loop(message.chat_id)
        current = languages.chosen(message.chat_id)  # read just now
        said = language_of(effective).label if effective else "each article's own language"
        how = "set with /lang" if current else "the default"
        await message.reply_html(f"Briefings here are in {esc(said)} ({how}).\n{LANG_USAGE}")
        return
    try:
        stored = await languages.set_off_loop(message.chat_id, wanted)
    except LanguageError as exc:
        set_outcome("refused")
        await message.reply_html(render_error(str(exc)))
        return
    set_outcome("lang")
    said = "each article's own language" if stored == AUTO else language_of(stored).label
    await message.reply_text(
        f"From now on, briefings and digests here are in {said}. Articles already briefed "
        "in another language are briefed again once, when sent again."
    )


def _kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    message = update.effective_message
    if update.callback_query is not None or message is None:
        return "callback" if update.callback_query is not None else "other"
    if message.text and message.text.startswith("/"):
        return "command:" + message.text.split(maxsplit=1)[0].split("@")[0]
    if message.forward_origin is not None:
        return "forward"
    return "text" if message.text or message.caption else "message:other"


class LoggedUpdates(SimpleUpdateProcessor):
    """Process updates as PTB does, log one INFO line per update, and say when each is done.

    Done means `handouts` lets getUpdates confirm it to Telegram (polling.py): an update whose
    handling was cut short by a crash is received again at the next start.
    """

    def __init__(self, max_concurrent_updates: int, handouts: Handouts | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._handouts = handouts

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers with a fresh trace, then log the trace."""
        chat = update.effective_chat if isinstance(update, Update) else None
        trace = UpdateTrace(chat_id=chat.id if chat else None, kind=_kind(update))
        token = start_trace(trace)
        cut_short = False
        try:
            # getUpdates hands out a page of updates at once: their handlers start one per
            # loop iteration rather than all in one (bot/runtime/loop_turns.py).
            try:
                await take_turn()
            except asyncio.CancelledError:
                if inspect.iscoroutine(coroutine):
                    coroutine.close()  # shutting down: it never started, and never will
                raise
            await coroutine
        except asyncio.CancelledError:
            cut_short = True  # shutting down: left unconfirmed, received again at next start
            raise
        finally:
            # Done whatever the handlers did, failed included (it would fail again).
            if not cut_short and self._handouts is not None and isinstance(update, Update):
                self._handouts.finish(update.update_id)
            end_trace(token)
            if not trace.deferred:  # else the worker that answers its job logs it
                log_update(trace)
