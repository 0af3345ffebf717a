"""Links and documents in messages: fetch or download, then hand an Article to the brief path."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Message
from telegram.error import TelegramError

from bot.errors import ArticleError
from bot.logs import set_outcome
from bot.models import Article, Source
from bot.render import render_error
from bot.sources.documents import SUPPORTED, TELEGRAM_DOWNLOAD_LIMIT, document_kind
from bot.sources.urls import host_label
from bot.stats import FAILED
from bot.telegram.access import describe_wait
from bot.telegram.context import Ctx
from bot.telegram.groups import charge_to
from bot.telegram.incoming import links_in, source_of
from bot.telegram.replies import thread_of, typing

log = logging.getLogger(__name__)
_SHOWN_OTHERS = 5


@dataclass(frozen=True)
class LinkArticle:
    """An article made from a link or document; `counted` if the rate limit already paid."""

    article: Article
    counted: bool


def with_link(source: Source | None, url: str) -> Source:
    """Keep a post's origin as the label but make its link the source's URL."""
    return Source(label=source.label if source else host_label(url), url=url)


def link_source(message: Message) -> Source | None:
    """Attribute a post with its own text: its origin, linked to the first link it carries."""
    source = source_of(message)
    urls = links_in(message)
    return with_link(source, urls[0]) if urls else source


async def _rate_limited(context: Ctx, reply_to: Message) -> bool:
    user = reply_to.from_user
    if user is None:
        return False
    quota, key = charge_to(context, reply_to)  # anonymous admins: their chat's quota
    wait = quota.try_acquire(key)
    if wait is None:
        return False
    set_outcome("rate_limited")
    context.bot_data.services.events.record(
        FAILED, chat_id=reply_to.chat_id, user_id=user.id, detail="rate_limited"
    )
    await reply_to.reply_text(
        "⏳ You've sent a lot of new articles in the last hour. "
        f"Please try again in {describe_wait(wait)}."
    )
    return True


async def article_for_link(context: Ctx, url: str, *, reply_to: Message) -> LinkArticle | None:
    """Fetch the page behind a link (once per freshness window); reply why if it can't be."""
    sources = context.bot_data.services.sources
    counted = False
    if sources.cached_page(url) is None:
        # A fetch costs like a new article: it counts against the user's hourly allowance.
        if await _rate_limited(context, reply_to):
            return None
        counted = True
    try:
        async with typing(context.bot, reply_to.chat_id, thread_of(reply_to)):
            article = await sources.article_from_url(url)
    except ArticleError as exc:
        log.info("link refused or empty in chat %s: %s", reply_to.chat_id, exc)
        _rejected(context, reply_to, exc)
        await reply_to.reply_html(render_error(str(exc)))
        return None
    return LinkArticle(article, counted)


def _rejected(context: Ctx, message: Message, exc: ArticleError) -> None:
    # For /stats and the per-update log line: which kind of link or document gave nothing.
    set_outcome("rejected")
    context.bot_data.services.events.record(
        FAILED, chat_id=message.chat_id, detail=type(exc).__name__
    )


def others_hint(urls: list[str]) -> str | None:
    """Say that only the first link was briefed, and list the others to send one by one."""
    others = urls[1:]
    if not others:
        return None
    head = f"🔗 That message has {len(urls)} links; I briefed the first. Send me any of the"
    lines = [f"{head} others on its own to brief it:"]
    lines += [f"• {html.escape(u, quote=False)}" for u in others[:_SHOWN_OTHERS]]
    if len(others) > _SHOWN_OTHERS:
        lines.append(f"… and {len(others) - _SHOWN_OTHERS} more.")
    return "\n".join(lines)


async def article_for_document(context: Ctx, message: Message) -> Article | None:
    """Download a PDF, HTML or text document through getFile; reply why if it can't be read."""
    document = message.document
    if document is None:
        return None
    if document_kind(document.file_name, document.mime_type) is None:
        await message.reply_text(f"{SUPPORTED} This one is {document.mime_type or 'unknown'}.")
        return None
    if (document.file_size or 0) > TELEGRAM_DOWNLOAD_LIMIT:
        await message.reply_text(_TOO_BIG)
        return None
    try:
        async with typing(context.bot, message.chat_id, thread_of(message)):
            file = await context.bot.get_file(document.file_id)
            data = bytes(await file.download_as_bytearray())
            source = source_of(message) or Source(label=document.file_name or "a document")
            return await context.bot_data.services.sources.article_from_document(
                data, file_name=document.file_name, mime_type=document.mime_type, source=source
            )
    except ArticleError as exc:
        _rejected(context, message, exc)
        await message.reply_html(render_error(str(exc)))
    except TelegramError as exc:
        log.warning("could not download a document in chat %s: %s", message.chat_id, exc)
        big = "too big" in str(exc).lower()
        await message.reply_text(_TOO_BIG if big else "I couldn't download that file. Try again.")
    return None


_TOO_BIG = (
    "That file is too big: Telegram lets bots download files up to 20 MB. "
    "Paste the text, or send a smaller file."
)
