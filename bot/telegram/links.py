"""Links and documents in messages: checked and persisted here, fetched by a worker."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Message

from bot.articles.dates import FORWARD
from bot.errors import ArticleError
from bot.jobs.attempt import Refund
from bot.jobs.fetch import TOO_BIG, DocumentRef
from bot.jobs.pending import JobKind
from bot.logs import set_outcome
from bot.models import Article, Source
from bot.ops.stats import FAILED
from bot.render.briefing_html import render_error
from bot.sources.documents import SUPPORTED, TELEGRAM_DOWNLOAD_LIMIT, document_kind
from bot.sources.guard import check_url
from bot.sources.urls import host_label
from bot.telegram.access import describe_wait
from bot.telegram.context import Ctx
from bot.telegram.groups import charge_to, is_silent, payer_of
from bot.telegram.incoming import forwarded_at, links_in, source_of
from bot.telegram.replies import thread_of

log = logging.getLogger(__name__)
_SHOWN_OTHERS = 5


@dataclass(frozen=True)
class LinkArticle:
    """An article made from a link or document; `charged` if the rate limit already paid."""

    article: Article
    charged: bool


def with_link(source: Source | None, url: str) -> Source:
    """Keep a post's origin as the label but make its link the source's URL."""
    return Source(label=source.label if source else host_label(url), url=url)


def link_source(message: Message) -> Source | None:
    """Attribute a post with its own text: its origin, linked to the first link it carries."""
    source = source_of(message)
    urls = links_in(message)
    return with_link(source, urls[0]) if urls else source


RATE_LIMITED = "⏳ You've sent a lot of new articles in the last hour. Please try again in {wait}."
FETCH_LIMITED = (
    "⏳ You've asked me to fetch a lot of links and files in the last hour. "
    "Please try again in {wait}."
)
STILL_WORKING = (
    "⏳ I'm still working on {count} of your articles and links. Send more once they're answered."
)


async def charge(context: Ctx, reply_to: Message) -> Refund | None:
    """Charge one new article to the sender's (or the chat's) quota; None if over it (told so).

    Returns the refund that gives the slot back when no full briefing comes of it.
    """
    quota, key = charge_to(context, reply_to)  # anonymous admins: their chat's quota
    wait = await quota.try_acquire_off_loop(key)
    if wait is None:
        return functools.partial(quota.refund_off_loop, key)
    await _refuse(context, reply_to, "rate_limited", RATE_LIMITED.format(wait=describe_wait(wait)))
    return None


async def charge_fetch(context: Ctx, reply_to: Message) -> bool:
    """Count one fetch or download against the payer's hourly fetches; False if over (told).

    Never given back, unlike the article quota: a page that fails costs a request all the
    same, so ten dead links must not make ten requests on a quota of two.
    """
    _, key = charge_to(context, reply_to)
    if (wait := await context.bot_data.fetch_quota.try_acquire_off_loop(key)) is None:
        return True
    await _refuse(
        context, reply_to, "fetch_limited", FETCH_LIMITED.format(wait=describe_wait(wait))
    )
    return False


async def _charge_both(context: Ctx, reply_to: Message) -> Refund | None:
    """Charge an article slot and a fetch; the article slot's refund, or None (told why)."""
    if (refund := await charge(context, reply_to)) is None:
        return None
    if not await charge_fetch(context, reply_to):
        await refund()
        return None
    return refund


async def take_in_flight(context: Ctx, reply_to: Message) -> Callable[[], None] | None:
    """Count one more job in flight for the payer; its release, or None if at the cap (told)."""
    _, key = charge_to(context, reply_to)
    in_flight = context.bot_data.in_flight
    if (release := await in_flight.take_off_loop(key)) is not None:
        return release
    count = await in_flight.count_off_loop(key)
    await _refuse(context, reply_to, "in_flight", STILL_WORKING.format(count=count))
    return None


async def _refuse(context: Ctx, reply_to: Message, detail: str, text: str) -> None:
    set_outcome("rate_limited")
    await context.bot_data.services.events.record_off_loop(
        FAILED, chat_id=reply_to.chat_id, user_id=payer_of(reply_to), detail=detail
    )
    # Nobody sent an auto-forward or a channel post, so nobody is told to wait.
    if not is_silent(reply_to) and not reply_to.is_automatic_forward:
        await reply_to.reply_text(text)


async def article_for_link(context: Ctx, url: str, *, reply_to: Message) -> LinkArticle | None:
    """Make the article of a link whose page is in the fetch cache; reply why if it can't be.

    Uncached links go to a worker (`accept_link`); this fetches only if the page expired
    since the caller looked, and then charges for it like a worker's fetch.
    """
    sources = context.bot_data.services.sources
    charged = False
    if sources.cached_page(url) is None:
        # A fetch costs like a new article: it counts against the user's hourly allowance.
        if await _charge_both(context, reply_to) is None:
            return None
        charged = True
    try:
        article = await sources.article_from_url(url)
    except ArticleError as exc:
        log.info("link refused or empty in chat %s: %s", reply_to.chat_id, exc)
        await _rejected(context, reply_to, exc)
        await reply_to.reply_html(render_error(str(exc)))
        return None
    return LinkArticle(article, charged)


async def _rejected(context: Ctx, message: Message, exc: ArticleError) -> None:
    # For /stats and the per-update log line: which kind of link or document gave nothing.
    set_outcome("rejected")
    await context.bot_data.services.events.record_off_loop(
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


async def accept_link(context: Ctx, source: Message, url: str, *, reply_to: Message) -> None:
    """Check a link cheaply, charge the rate limit and persist it for a worker to fetch."""
    try:  # the guard's static checks: scheme, user info, private literals (no DNS here)
        check_url(url, allow_private=context.bot_data.settings.fetch_allow_private_networks)
    except ArticleError as exc:
        log.info("link refused in chat %s: %s", reply_to.chat_id, exc)
        await _rejected(context, reply_to, exc)
        await reply_to.reply_html(render_error(str(exc)))
        return
    if (release := await take_in_flight(context, reply_to)) is None:
        return
    # A fetch costs like a new article: it counts against the user's hourly allowance.
    if (refund := await _charge_both(context, reply_to)) is None:
        release()
        return
    await _persist(context, JobKind.LINK, ref=url, source=source, reply_to=reply_to,
                   refund=refund, release=release)  # fmt: skip


async def accept_document(context: Ctx, message: Message) -> None:
    """Check a PDF, HTML or text document cheaply and persist it for a worker to download."""
    document = message.document
    if document is None:
        return
    if document_kind(document.file_name, document.mime_type) is None:
        await message.reply_text(f"{SUPPORTED} This one is {document.mime_type or 'unknown'}.")
        return
    if (document.file_size or 0) > TELEGRAM_DOWNLOAD_LIMIT:
        await message.reply_text(TOO_BIG)
        return
    if (release := await take_in_flight(context, message)) is None:
        return
    # Charged now, like pasted text; given back if its briefing turns out to be cached.
    if (refund := await _charge_both(context, message)) is None:
        release()
        return
    ref = DocumentRef(document.file_id, document.file_name, document.mime_type)
    label = source_of(message) or Source(label=document.file_name or "a document")
    await _persist(context, JobKind.DOCUMENT, ref=ref.encode(), source=message, reply_to=message,
                   label=label, refund=refund, release=release)  # fmt: skip


async def _persist(
    context: Ctx,
    kind: JobKind,
    *,
    ref: str,
    source: Message,
    reply_to: Message,
    refund: Refund,
    release: Callable[[], None],
    label: Source | None = None,
) -> None:
    # On disk before the slow fetch or download, so a crash meanwhile loses nothing. A
    # forwarded document keeps its post's date; a forwarded link too, unless its page has one.
    data = context.bot_data
    posted = forwarded_at(source)
    try:
        job = await data.pending.add_off_loop(
            kind,
            chat_id=reply_to.chat_id,
            message_id=source.message_id,
            reply_to=reply_to.message_id,
            now=datetime.now(UTC),
            thread_id=thread_of(reply_to),
            user_id=payer_of(reply_to),
            ref=ref,
            source=label,
            silent=is_silent(reply_to),
            published_at=posted,
            published_from=FORWARD if posted else None,
        )
    except Exception:  # the database stayed away past DATABASE_RETRY_S: nothing was written
        await refund()
        release()
        raise  # on_error apologises
    if job is None:
        log.info("message %s in chat %s was accepted already", reply_to.message_id, source.chat_id)
        await refund()
        release()
        return
    data.workers.hand_over(job, refund=refund, done=release)
