"""Article jobs (pasted text, a link, a document): brief the article and deliver the reply.

A full briefing also replaces, in place, the extractive reply the chat got earlier for the
same article; an extractive one is recorded so that a later full one can replace it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.articles.dates import dated
from bot.articles.text import content_hash
from bot.briefing.facts import UpdateFacts
from bot.jobs.attempt import Attempt, Refund
from bot.jobs.degraded import DegradedReplies
from bot.jobs.fetch import article_of_job
from bot.jobs.outbox import Outbox, now, resumed_prefix
from bot.jobs.pending import Job, JobKind
from bot.jobs.port import FetchRefusedError
from bot.logs import set_outcome
from bot.models import Article, StoredBriefing
from bot.ops.stats import FAILED
from bot.render.briefing_html import render_briefing
from bot.render.story_html import covered_button, covered_line
from bot.services import Services
from bot.store.index import Index

log = logging.getLogger(__name__)


@dataclass
class BriefJobs:
    """Answer TEXT, LINK and DOCUMENT jobs; mark each done once its reply was delivered."""

    services: Services
    outbox: Outbox
    degraded: DegradedReplies
    show_unverified: bool
    fetched: Callable[[int], None] = lambda _job_id: None  # a link's host slot is free again

    async def __call__(self, job: Job, attempt: Attempt) -> None:
        """Brief a job's article and reply, threaded to the message that asked."""
        resumed, refund = attempt.resumed, attempt.refund
        facts = attempt.facts or UpdateFacts(chat_id=job.chat_id, user_id=job.user_id)
        article = await self._article(job, resumed, refund)
        if article is None:
            return  # the link or document gave no article: the user was told why
        briefing = self.services.briefing
        if job.silent:  # a channel's own post: its subscribers never see our messages
            silent = await briefing.brief(article, facts)
            await self._placed(job, article, silent.stored)
            log.info("briefed channel post %s in %s silently", job.reply_to, job.chat_id)
            await self.outbox.pending.done_off_loop(job.id, now(), "silent")
            return
        if not facts.looked_up and job.kind is JobKind.DOCUMENT:  # a cached one is refunded
            facts = facts.after_lookup(await briefing.lookup(article, chat_id=job.chat_id))
        # Else brief() looks as it counts the article: a hit is back before "typing…" shows.
        busy = self.outbox.replies.typing(job, lazy=True)
        async with contextlib.nullcontext() if facts.cached else busy:
            result = await briefing.brief(article, facts, text_later=True)
        if result.degraded or (facts.cached and job.kind is JobKind.DOCUMENT):
            # No full briefing: asking again soon must not be "wait an hour". And like pasted
            # text, a document whose briefing was cached costs nothing.
            await refund()
        html = render_briefing(
            result.stored, show_unverified=self.show_unverified, cached=result.cached,
            dates=await self.services.zones.style_off_loop(job.chat_id, now()),
        )  # fmt: skip
        others = await self._placed(job, article, result.stored)
        if line := covered_line(others):
            html += f"\n\n{line}"
        if not result.degraded:
            for ids in await self.degraded.take(job.chat_id, article.content_hash):
                await self.outbox.replies.edit(job, ids, html)
        sent = await self.outbox.deliver(
            job, resumed_prefix(resumed) + html, button=covered_button(others)
        )
        if sent is None:
            return  # the network is down: still pending, answered at the next start
        if not sent:
            # The chat refused it (the job is closed as "rejected"): nothing delivered.
            await refund()
            return
        await self._close(job, article, sent, degraded=result.degraded)

    async def _placed(self, job: Job, article: Article, stored: StoredBriefing) -> int:
        """Put the article into the chat's stories; return how many other sources it has."""
        try:
            placed = await self.services.stories.place(job.chat_id, article, stored.briefing)
        except Exception:  # a story is a bonus: whatever fails there, the briefing goes out
            log.exception("job %s: could not place the article in a story", job.id)
            return 0
        return placed.other_sources

    async def _close(self, job: Job, article: Article, ids: list[int], *, degraded: bool) -> None:
        """Mark an answered job done, with the record of which article its reply is about."""
        # The job holds the article's text until done, so done waits for the text's fsync
        # (begun before the LLM call, it no longer holds up the reply); a disk that can't
        # take it leaves the job pending. A crash between the reply and this one commit
        # answers the job once more at start-up, as before.
        if not await self.services.texts.saved(article.content_hash, article.text):
            return
        record = functools.partial(
            Index.record_bot_messages,
            chat_id=job.chat_id,
            message_ids=ids,
            article_hash=article.content_hash,
        )
        await self.outbox.pending.done_off_loop(job.id, now(), also=record)
        if degraded:
            await self.degraded.add(job.chat_id, article.content_hash, ids)

    async def _article(self, job: Job, resumed: bool, refund: Refund) -> Article | None:
        """Fetch a link or download a document; reply why (threaded) when it has no article."""
        if job.kind is JobKind.TEXT:
            return dated(_article_of(job), received=job.created_at)  # a job from before dates
        busy = None if job.silent else self.outbox.replies.typing(job)
        try:
            async with busy or contextlib.nullcontext():
                try:
                    article = await article_of_job(self.outbox.replies, self.services.sources, job)
                finally:
                    self.fetched(job.id)  # the host's slot: briefing the page needs no host
        except FetchRefusedError as exc:
            set_outcome("rejected")
            await self.services.events.record_off_loop(
                FAILED, chat_id=job.chat_id, detail=exc.detail
            )
            await refund()  # nothing was briefed: the fetch must not cost an hour's allowance
            html = resumed_prefix(resumed) + exc.html
            if job.silent or await self.outbox.deliver(job, html):  # else pending, or rejected
                await self.outbox.pending.done_off_loop(job.id, now(), f"refused {exc.detail}")
            return None
        if job.published_at is not None and article.published_at is None:
            # A forwarded document, or a link whose page gives no date: the post's date.
            article = article.model_copy(
                update={"published_at": job.published_at, "published_from": job.published_from}
            )
        article = dated(article, received=job.created_at)
        # Persist on receipt, as for pasted text: now that the article's hash is known.
        await self.services.index.run(
            Index.record_chat_article,
            job.chat_id,
            article.content_hash,
            message_id=job.message_id,
            received_at=job.created_at,
            title=article.title,
            source=article.source,
            published_at=article.published_at,
            published_from=article.published_from,
        )
        return article


def _article_of(job: Job) -> Article:
    if job.text is None:
        raise ValueError(f"job {job.id}: a text job without its text")
    return Article(
        text=job.text,
        content_hash=content_hash(job.text),
        title=job.title,
        source=job.source,
        truncated_from=job.truncated_from,
        published_at=job.published_at,
        published_from=job.published_from,
    )
