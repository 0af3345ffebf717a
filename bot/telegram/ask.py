"""/ask, a question in a private chat, and a question replying to a briefing (thin)."""

from __future__ import annotations

import functools
import re

from telegram import Message, Update

from bot.ask.question import is_question
from bot.errors import LLMError
from bot.jobs.attempt import Refund
from bot.logs import set_outcome
from bot.ops.stats import FAILED
from bot.render.answer_html import render_answer
from bot.render.briefing_html import render_error
from bot.store.index import Index
from bot.telegram.access import describe_wait
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.groups import charge_to, comment_of_forward, payer_of
from bot.telegram.incoming import is_link_only, links_in, replied_to, text_of
from bot.telegram.replies import TYPING_AFTER_S, send_html, thread_of, typing

_COMMAND = re.compile(r"^/\S+")
ASK_USAGE = (
    "Ask me about the articles this chat has sent: <code>/ask What did Kim say about "
    "Ukraine last month?</code> Reply <code>/ask QUESTION</code> to a briefing to ask about "
    "that article only."
)
MAX_ASK_CHARS = 1000  # a question, not an article: longer ones are refused, never sent on
TOO_LONG = "That's long for a question. Ask it in a sentence or two."
RATE_LIMITED = "⏳ You've asked a lot in the last hour. Please try again in {wait}."


async def on_ask(update: Update, context: Ctx) -> None:
    """Handle /ask QUESTION (as a reply to a briefing: about that article only)."""
    message = update.effective_message
    if message is None:
        return
    question = _COMMAND.sub("", message.text or "", count=1).strip()
    if not question:
        await message.reply_html(ASK_USAGE)
        return
    if len(question) > MAX_ASK_CHARS:
        await message.reply_text(TOO_LONG)
        return
    await ask(context, message, question)


def wants_answer(message: Message) -> bool:
    """Tell whether a plain message is a question to answer, not an article to brief."""
    if message.forward_origin is not None or message.caption is not None:
        return False
    text = text_of(message)
    if not is_question(text) or is_link_only(message) or links_in(message):
        return False
    if message.chat.type == "private":
        return True
    # In a group only a question that replies to the bot is ours (a briefing: its article).
    replied = replied_to(message)
    author = replied.from_user if replied is not None else None
    return author is not None and author.id == message.get_bot().id


async def on_question(context: Ctx, message: Message) -> bool:
    """Answer a plain question (see `wants_answer`); False when it is the comment of a forward."""
    if message.chat.type == "private" and await comment_of_forward(context, message):
        return False  # "forward with comment": the forward is what to brief
    await ask(context, message, text_of(message).strip())
    return True


async def ask(context: Ctx, message: Message, question: str) -> None:
    """Answer a question from this chat's articles, charged like a brief, and reply."""
    data = context.bot_data
    services = data.services
    chat_id = message.chat_id
    article_hash = await _replied_article(context, message)
    if not await allow_command(context, chat_id, "ask"):
        return  # the chat asked a lot lately (and was told how long to wait)
    payer = payer_of(message)  # the chat, for anonymous admins and "send as" channels
    refund: Refund | None = None
    # The chat's one zone (its /tz, else its digest's, else UTC): "yesterday" is the day
    # before the one its replies' dates are written in.
    now = data.clock()
    dates = await services.zones.style_off_loop(chat_id, now)
    try:
        async with typing(context.bot, chat_id, thread_of(message), after=TYPING_AFTER_S):
            prepared = await services.ask.prepare(
                chat_id, question, today=dates.local(now), article_hash=article_hash
            )
            # Only a question the model will be asked spends the quota: a cached answer, the
            # passages without a model, or nothing found cost nothing, as a cached brief.
            if prepared.costs and (refund := await _charge(context, message)) is None:
                return  # over the hourly quota (and told so)
            result = await services.ask.answer(prepared, user_id=payer)
    except LLMError as exc:
        if refund is not None:
            await refund()
        set_outcome(f"ask_failed:{exc.kind}")
        await message.reply_html(render_error(exc.user_message))
        return
    if refund is not None and not result.called:
        await refund()  # a cached answer, or nothing to ask the model about: it cost nothing
    set_outcome(f"ask:{result.mode}")
    html = render_answer(result, chat_id, username=message.chat.username, dates=dates)
    await send_html(
        context.bot, chat_id, html, reply_to=message.message_id,
        message_thread_id=thread_of(message),
    )  # fmt: skip


async def _charge(context: Ctx, message: Message) -> Refund | None:
    """Charge a question to the asker's hourly quota, as a new article is; None if over it."""
    quota, key = charge_to(context, message)
    wait = await quota.try_acquire_off_loop(key)
    if wait is None:
        return functools.partial(quota.refund_off_loop, key)
    set_outcome("rate_limited")
    await context.bot_data.services.events.record_off_loop(
        FAILED, chat_id=message.chat_id, user_id=payer_of(message), detail="rate_limited"
    )
    await message.reply_text(RATE_LIMITED.format(wait=describe_wait(wait)))
    return None


async def _replied_article(context: Ctx, message: Message) -> str | None:
    """Return the article of the briefing (or the article message) this one replies to."""
    replied = replied_to(message)
    if replied is None:
        return None
    index = context.bot_data.services.index
    return await index.run(Index.article_for_message, message.chat_id, replied.message_id)
