"""Accept an article for briefing: charge the quota, persist the pending job, hand it over."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime

from telegram import Message

from bot.articles.dates import dated
from bot.briefing.facts import UpdateFacts
from bot.jobs.attempt import Refund
from bot.jobs.pending import Job, JobKind
from bot.models import Article
from bot.store.index import Index
from bot.telegram.context import BotData, Ctx
from bot.telegram.groups import charge_to, is_silent, payer_of
from bot.telegram.links import charge, take_in_flight
from bot.telegram.replies import thread_of

log = logging.getLogger(__name__)


async def brief_article(
    context: Ctx, article: Article, facts: UpdateFacts, *, source: Message, reply_to: Message
) -> None:
    """Rate-limit an article and accept it (its fetch may have paid already: `facts`)."""
    data = context.bot_data
    if not facts.looked_up:
        async with data.accepting:  # see BotData.accepting
            hit = await data.services.briefing.lookup(article, chat_id=facts.chat_id)
        facts = facts.after_lookup(hit)
    # The refund gives the slot back when no full briefing comes of it, so asking again later
    # is not "wait an hour". Anonymous senders, auto-forwards and channel posts spend a chat's.
    refund: Refund | None = None
    if facts.charged:
        quota, key = charge_to(context, reply_to)
        refund = functools.partial(quota.refund_off_loop, key)
    elif not facts.cached and (refund := await charge(context, reply_to)) is None:
        return  # over the quota (and told so)
    await accept(context, article, facts, source=source, reply_to=reply_to, refund=refund)


async def accept(
    context: Ctx,
    article: Article,
    facts: UpdateFacts,
    *,
    source: Message,
    reply_to: Message,
    refund: Refund | None = None,
) -> None:
    """Persist the article as a pending job, then hand it to the workers and return at once.

    A cached article (as `facts` found it) is answered at once, without looking again.
    """
    data = context.bot_data
    if not facts.looked_up:  # the cache file is read on the database thread, off the loop
        hit = await data.services.briefing.lookup(article, chat_id=facts.chat_id)
        facts = facts.after_lookup(hit)
    release = None
    if not facts.cached and (release := await take_in_flight(context, reply_to)) is None:
        if refund is not None:
            await refund()  # not accepted: the article slot is not spent
        return
    try:
        async with data.accepting:  # see BotData.accepting
            job = await _persist(data, article, facts, source=source, reply_to=reply_to)
    except Exception:  # the database stayed away past DATABASE_RETRY_S: nothing was written
        if release is not None:  # what the article took, as if never sent
            release()
        if refund is not None:
            await refund()
        raise  # on_error apologises
    if job is None:
        if release is not None:
            release()
        return
    if facts.cached:
        await data.jobs.answer(job, refund=refund, facts=facts)  # no slow work: answer it now
    else:
        data.workers.hand_over(job, refund=refund, done=release)


def facts_of(message: Message, *, charged: bool = False) -> UpdateFacts:
    """Return what is known of a request to brief: the chat and the person it answers."""
    return UpdateFacts(chat_id=message.chat_id, user_id=payer_of(message), charged=charged)


async def _persist(
    data: BotData, article: Article, facts: UpdateFacts, *, source: Message, reply_to: Message
) -> Job | None:
    """Persist the pending job and the chat's record of the article; None if known already.

    One commit: the chat's history holds the article even if the LLM fails. A cached
    article, answered in its update, has its job's first attempt counted in it too.
    """
    chat_id = reply_to.chat_id
    now = datetime.now(UTC)
    article = dated(article, received=now)
    record = functools.partial(
        Index.record_chat_article, chat_id=chat_id, article_hash=article.content_hash,
        message_id=source.message_id, received_at=now, title=article.title,
        source=article.source, published_at=article.published_at,
        published_from=article.published_from,
    )  # fmt: skip
    job = await data.pending.add_off_loop(
        JobKind.TEXT,
        record,
        facts.cached,
        chat_id=chat_id,
        message_id=source.message_id,
        reply_to=reply_to.message_id,
        now=now,
        thread_id=thread_of(reply_to),
        user_id=facts.user_id,
        text=article.text,
        title=article.title,
        source=article.source,
        truncated_from=article.truncated_from,
        silent=is_silent(reply_to),  # a channel's own post: briefed, recorded, never answered
        published_at=article.published_at,
        published_from=article.published_from,
    )
    if job is None:
        log.info("message %s in chat %s was accepted already", reply_to.message_id, chat_id)
        return None
    return job
