"""Handlers that brief articles: forwarded posts, pasted texts and /brief."""

from __future__ import annotations

import re

from telegram import LinkPreviewOptions, Message, Update

from bot.articles.dates import FORWARD
from bot.articles.text import make_article
from bot.errors import ArticleError
from bot.logs import set_outcome
from bot.models import Article, StoredBriefing
from bot.ops.stats import FAILED
from bot.render.briefing_html import render_briefing, render_error
from bot.store.index import Index
from bot.telegram.accepting import brief_article, facts_of
from bot.telegram.ask import on_question, wants_answer
from bot.telegram.command_limits import allow_command
from bot.telegram.context import Ctx
from bot.telegram.groups import comment_of_forward, is_silent
from bot.telegram.incoming import (
    forwarded_at,
    is_link_only,
    links_in,
    replied_to,
    text_of,
    title_of,
)
from bot.telegram.links import (
    accept_document,
    accept_link,
    article_for_link,
    link_source,
    others_hint,
)
from bot.telegram.overviews import accept_overview
from bot.telegram.replies import send_html, thread_of

_COMMAND = re.compile(r"^/\S+")  # "/brief" or "/brief@botname", newline after it kept

BRIEF_USAGE = (
    "Reply <code>/brief</code> to a message to brief it, or send "
    "<code>/brief</code> followed by the article text."
)
TOO_SHORT_HINT = (
    "Forward me a news post or paste an article and I'll brief it. /help shows everything I do."
)


async def on_message(update: Update, context: Ctx) -> None:
    """Brief a forwarded post or a pasted article; answer links and short texts helpfully."""
    message = update.effective_message
    if message is not None:
        await answer(context, message)


async def answer(context: Ctx, message: Message) -> None:
    """Answer one message that may hold an article (also an album's captioned item)."""
    if message.is_automatic_forward and not is_silent(message):
        setting = await context.bot_data.services.chat_settings.auto_forwards_off_loop(
            message.chat_id
        )
        if not setting.enabled:
            return  # a linked channel's post: the group opts in with /autoforwards on
    if message.forward_origin is not None:
        context.bot_data.gatherer.note_forward(message)
    too_short = len(text_of(message)) < context.bot_data.settings.min_article_chars
    if is_silent(message) and (is_link_only(message) or too_short):
        return  # a channel's short or link post: nothing to say to its subscribers
    if not is_silent(message) and wants_answer(message) and await on_question(context, message):
        return  # a short question (not a forward, not a link): answered from the archive
    if is_link_only(message):
        await _brief_links(context, message, reply_to=message)
        return
    forwarded = message.forward_origin is not None
    if not forwarded and too_short:
        # "Forward with comment" sends the comment as its own message next to the forward.
        if message.chat.type == "private" and not await comment_of_forward(context, message):
            await message.reply_text(TOO_SHORT_HINT)
        return  # in groups, short chatter is none of our business
    await brief_message(context, message, text_of(message), reply_to=message)


async def on_other(update: Update, _context: Ctx) -> None:
    """Explain, in a private chat, that a sticker, photo or file without text can't be briefed."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "I can only brief text: forward a post with text or a caption, paste the article, "
            "or send a link or a PDF."
        )


async def on_brief(update: Update, context: Ctx) -> None:
    """Handle /brief: the replied-to message, the text after it, or the last 24 h."""
    message = update.effective_message
    if message is None:
        return
    target = replied_to(message)
    if target is not None and target.from_user and target.from_user.id == context.bot.id:
        await _resend_own_briefing(context, message, target)
        return
    if target is not None and text_of(target).strip():
        if is_link_only(target):
            await _brief_links(context, target, reply_to=message)
            return
        await brief_message(context, target, text_of(target), reply_to=message)
        return
    text = _COMMAND.sub("", message.text or "", count=1).strip()
    if text and is_link_only(message):  # /brief <url>
        await _brief_links(context, message, reply_to=message)
        return
    if not text:
        if target is not None:  # a reply to a message with nothing to brief (a sticker…)
            await message.reply_html(BRIEF_USAGE)
        elif await allow_command(context, message.chat_id, "overview"):
            await accept_overview(context, message)
        return
    await brief_message(context, message, text, reply_to=message)


async def _resend_own_briefing(context: Ctx, message: Message, own: Message) -> None:
    # Briefing the bot's own briefing would cost a call and index its words as news.
    services = context.bot_data.services

    def find(index: Index) -> StoredBriefing | None:
        article = index.article_for_message(message.chat_id, own.message_id)
        key = index.briefing_key(article) if article else None
        stored = services.cache.get(key) if key else None
        if stored is None or article is None:
            return None
        when, origin = index.queries.chat_article_date(message.chat_id, article)  # this chat's date
        ref = stored.article.model_copy(update={"published_at": when, "published_from": origin})
        return stored.model_copy(update={"article": ref})

    # On the database thread, so it comes after the write that recorded our reply.
    stored = await services.index.run(find)
    if stored is None:
        await message.reply_text("That's my own message. Reply /brief to the article itself.")
        return
    html = render_briefing(
        stored, show_unverified=context.bot_data.settings.show_unverified_quotes, cached=True,
        dates=await services.zones.style_off_loop(message.chat_id, context.bot_data.clock()),
    )  # fmt: skip
    await send_html(
        context.bot, message.chat_id, html, reply_to=message.message_id,
        message_thread_id=thread_of(message),
    )  # fmt: skip


async def on_document(update: Update, context: Ctx) -> None:
    """Brief a PDF, HTML or text file sent or forwarded as a document."""
    if update.effective_message is not None:
        await accept_document(context, update.effective_message)


async def _brief_links(context: Ctx, message: Message, *, reply_to: Message) -> None:
    # A message whose substance is a link: brief the first link, point at the others.
    urls = links_in(message)
    if not urls:
        return
    if context.bot_data.services.sources.cached_page(urls[0]) is None:
        await accept_link(context, message, urls[0], reply_to=reply_to)  # a worker fetches it
    elif fetched := await article_for_link(context, urls[0], reply_to=reply_to):
        article, posted = fetched.article, forwarded_at(message)
        if article.published_at is None and posted is not None:  # the page gives no date
            article = article.model_copy(update={"published_at": posted, "published_from": FORWARD})
        facts = facts_of(reply_to, charged=fetched.charged)
        # From the fetch cache: no slow work, briefed like pasted text.
        await brief_article(context, article, facts, source=message, reply_to=reply_to)
    else:
        return
    if hint := others_hint(urls):
        await reply_to.reply_text(hint, link_preview_options=LinkPreviewOptions(is_disabled=True))


def _article(context: Ctx, message: Message, text: str) -> Article:
    settings = context.bot_data.settings
    article = make_article(
        text,
        title=title_of(text),
        source=link_source(message),
        min_chars=settings.min_article_chars,
        max_chars=settings.max_article_chars,
    )
    if (posted := forwarded_at(message)) is None:
        return article  # dated as it is accepted: a dateline in its text, else received
    return article.model_copy(update={"published_at": posted, "published_from": FORWARD})


async def brief_message(context: Ctx, source: Message, text: str, *, reply_to: Message) -> None:
    """Check one message's article and accept it for briefing (or say why not)."""
    try:
        article = _article(context, source, text)
    except ArticleError as exc:
        set_outcome("rejected")
        await context.bot_data.services.events.record_off_loop(
            FAILED, chat_id=reply_to.chat_id, detail="not_an_article"
        )
        await _say(reply_to, render_error(str(exc)), silent=is_silent(reply_to))
        return
    await brief_article(context, article, facts_of(reply_to), source=source, reply_to=reply_to)


async def _say(message: Message, html: str, *, silent: bool) -> None:
    if not silent:  # a channel's subscribers must not see our errors and notices
        await message.reply_html(html)
