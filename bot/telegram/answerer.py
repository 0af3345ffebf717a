"""The slow half of briefing: a bounded pool of workers answers persisted jobs.

Handlers only validate an article and persist a job (`accept`), then return, so PTB's
concurrent-update slots are never held while an LLM thinks. A worker briefs the job's
article and replies, threaded to the message that asked; the job is marked done only after
Telegram accepted the reply. Jobs left pending by a crash are resumed at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.articles.dates import dated
from bot.articles.text import content_hash
from bot.logs import UpdateTrace, end_trace, log_update, set_outcome, start_trace
from bot.models import Article, StoredBriefing
from bot.ops.stats import FAILED
from bot.render.briefing_html import render_briefing, render_error
from bot.services import Services
from bot.store.index import Index
from bot.store.pending import DegradedReplies, Job, JobKind, PendingStore
from bot.telegram.fetchjobs import FetchRefusedError, article_of_job
from bot.telegram.overview_answers import answer_overview
from bot.telegram.replies import TYPING_AFTER_S, send_html, typing
from bot.telegram.reply_upgrades import upgrade
from bot.telegram.workers import Refund

log = logging.getLogger(__name__)

SORRY = "⏳ <i>Sorry for the delay: I was restarted while working on this.</i>"
# Seconds between attempts to deliver a reply over a failing network; after the last one
# the job stays pending and is answered at the next start-up.
SEND_RETRY_DELAYS_S = (2.0, 10.0, 30.0)
MAX_JOB_ATTEMPTS = 3
GAVE_UP = "Sorry, I couldn't brief this: I tried several times and kept being interrupted."


@dataclass
class Answerer:
    """Brief a job's article and deliver the reply; mark the job done once delivered."""

    services: Services
    pending: PendingStore
    degraded: DegradedReplies
    bot: Bot
    show_unverified: bool
    retry_delays: tuple[float, ...] = SEND_RETRY_DELAYS_S
    typing_after_s: float = TYPING_AFTER_S  # "typing…" only for a briefing that takes this long
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def answer(
        self,
        job: Job,
        *,
        resumed: bool = False,
        trace: UpdateTrace | None = None,
        refund: Refund | None = None,
        hit: StoredBriefing | None = None,
    ) -> None:
        """Answer one job; never raises (a failure ends in a threaded reply or stays pending).

        `refund` gives the sender's rate-limit slot back when no full briefing came of it;
        `hit` is its cached briefing, found as the job was added (with its attempt counted).
        """
        if trace is None:
            await self._answer_logged(job, resumed, refund, hit)
            return
        token = start_trace(trace)  # the update's own log line, finished here
        try:
            await self._answer_logged(job, resumed, refund, hit)
        finally:
            end_trace(token)
            log_update(trace)

    async def _answer_logged(
        self, job: Job, resumed: bool, refund: Refund | None, hit: StoredBriefing | None
    ) -> None:
        give_back = _once(refund)
        try:
            await self._answer(job, resumed=resumed, refund=give_back, hit=hit)
        except asyncio.CancelledError:
            raise  # shutting down: the job stays pending and resumes at the next start
        except Forbidden as exc:  # the user blocked the bot, or it left the group
            log.info("job %s: chat %s refuses messages (%s)", job.id, job.chat_id, exc.message)
            await self.services.texts.settled()  # the job holds its text until done
            self.pending.done(job.id, _now(), "forbidden")
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("error %s while answering job %s", error_id, job.id)
            await self._apologise(job, error_id)
            await self.services.texts.settled()
            self.pending.done(job.id, _now(), f"error {error_id}")
        else:
            return
        give_back()  # nothing was delivered for it

    async def _answer(
        self, job: Job, *, resumed: bool, refund: Refund, hit: StoredBriefing | None
    ) -> None:
        # Done already (a resume raced a live submit), or given up on.
        if self.pending.is_done(job.id) or await self._gave_up(job, refund):
            return
        if hit is None:  # (with a hit, the attempt was counted as the job was added)
            await self.pending.attempt_off_loop(job.id)
        if job.kind is JobKind.OVERVIEW:
            await answer_overview(self, job, prefix=f"{SORRY}\n\n" if resumed else "")
        else:
            await self._brief(job, resumed=resumed, refund=refund, hit=hit)

    async def _brief(
        self, job: Job, *, resumed: bool, refund: Refund, hit: StoredBriefing | None
    ) -> None:
        article = await self._article(job, resumed, refund)
        if article is None:
            return  # the link or document gave no article: the user was told why
        if job.silent:  # a channel's own post: its subscribers never see our messages
            await self.services.briefing.brief(article, chat_id=job.chat_id, user_id=job.user_id)
            log.info("briefed channel post %s in %s silently", job.reply_to, job.chat_id)
            self.pending.done(job.id, _now(), "silent")
            return
        if hit is None and job.kind is JobKind.DOCUMENT:  # a cached one is refunded below
            hit = await self.services.briefing.lookup(article, chat_id=job.chat_id)
        # Else brief() looks as it counts the article: a hit is back before "typing…" shows.
        busy = typing(self.bot, job.chat_id, job.thread_id, after=self.typing_after_s)
        async with busy if hit is None else contextlib.nullcontext():
            result = await self.services.briefing.brief(article, chat_id=job.chat_id,
                user_id=job.user_id, hit=hit, looked_up=bool(hit), text_later=True)  # fmt: skip
        if result.degraded or (hit is not None and job.kind is JobKind.DOCUMENT):
            # No full briefing: asking again soon must not be "wait an hour". And like pasted
            # text, a document whose briefing was cached costs nothing.
            refund()
        html = render_briefing(
            result.stored, show_unverified=self.show_unverified, cached=result.cached
        )
        if not result.degraded:
            await upgrade(self.bot, self.degraded, job, article.content_hash, html)
        if resumed:
            html = f"{SORRY}\n\n{html}"
        sent = await self.deliver(job, html)
        if sent is None:
            return  # the network is down: still pending, answered at the next start
        if not sent:
            refund()  # Telegram refused it (the job is closed as "rejected"): nothing delivered
            return
        await self._close(job, article, [m.message_id for m in sent], degraded=result.degraded)

    async def _close(self, job: Job, article: Article, ids: list[int], *, degraded: bool) -> None:
        """Mark an answered job done, with the record of which article its reply is about."""
        # The job holds the article's text until done, so done waits for the text's fsync
        # (begun before the LLM call, it no longer holds up the reply); a disk that can't
        # take it leaves the job pending. A crash between the reply and this one commit
        # answers the job once more at start-up, as before.
        if not await self.services.texts.saved(article.content_hash, article.text):
            return
        record = functools.partial(Index.record_bot_messages, chat_id=job.chat_id,
                                   message_ids=ids, article_hash=article.content_hash)  # fmt: skip
        await self.pending.done_off_loop(job.id, _now(), also=record)
        if degraded:
            self.degraded.add(job.chat_id, article.content_hash, ids)

    async def _gave_up(self, job: Job, refund: Refund) -> bool:
        if job.attempts < MAX_JOB_ATTEMPTS:
            return False
        # Started this often and never finished: it may be what brought the bot down.
        log.warning("job %s: giving up after %d attempts", job.id, job.attempts)
        await self._apologise(job, None, GAVE_UP)
        self.pending.done(job.id, _now(), "gave up")
        refund()
        return True

    async def _article(self, job: Job, resumed: bool, refund: Refund) -> Article | None:
        """Fetch a link or download a document; reply why (threaded) when it has no article."""
        if job.kind is JobKind.TEXT:
            return dated(_article_of(job), received=job.created_at)  # a job from before dates
        busy = None if job.silent else typing(self.bot, job.chat_id, job.thread_id)
        try:
            async with busy or contextlib.nullcontext():
                article = await article_of_job(self.bot, self.services, job)
        except FetchRefusedError as exc:
            set_outcome("rejected")
            self.services.events.record(FAILED, chat_id=job.chat_id, detail=exc.detail)
            refund()  # nothing was briefed: the fetch must not cost an hour's allowance
            html = f"{SORRY}\n\n{exc.html}" if resumed else exc.html
            if job.silent or await self.deliver(job, html):  # else still pending, or rejected
                self.pending.done(job.id, _now(), f"refused {exc.detail}")
            return None
        if job.published_at is not None and article.published_at is None:
            # A forwarded document, or a link whose page gives no date: the post's date.
            article = article.model_copy(
                update={"published_at": job.published_at, "published_from": job.published_from}
            )
        article = dated(article, received=job.created_at)
        # Persist on receipt, as for pasted text: now that the article's hash is known.
        await self.services.index.run(
            Index.record_chat_article, job.chat_id, article.content_hash,
            message_id=job.message_id, received_at=job.created_at, title=article.title,
            source=article.source, published_at=article.published_at,
            published_from=article.published_from,
        )  # fmt: skip
        return article

    async def deliver(self, job: Job, html: str) -> list[Message] | None:
        """Send a job's reply, retrying a failing network; None: still pending, []: refused."""
        for delay in (*self.retry_delays, None):
            try:
                return await send_html(
                    self.bot,
                    job.chat_id,
                    html,
                    reply_to=job.reply_to,
                    message_thread_id=job.thread_id,
                )
            except BadRequest as exc:
                # Telegram refuses this message as it is; retrying the same one cannot help.
                log.warning("job %s: Telegram refused the reply: %s", job.id, exc.message)
                await self._apologise(job, None, "I couldn't deliver that briefing here.")
                await self.services.texts.settled()
                self.pending.done(job.id, _now(), "rejected")
                return []
            except (NetworkError, RetryAfter) as exc:  # TimedOut too; BadRequest is above
                if delay is None:
                    log.warning("job %s: cannot send now (%s); stays pending", job.id, exc)
                    return None
                wait = _seconds(exc.retry_after) if isinstance(exc, RetryAfter) else delay
                log.warning("job %s: sending failed (%s); retrying in %.0f s", job.id, exc, wait)
                await self.sleep(wait)
        return None  # pragma: no cover - the loop returns

    async def _apologise(self, job: Job, error_id: str | None, text: str | None = None) -> None:
        if job.silent:
            return
        message = text or "Sorry, something went wrong on my side while briefing this."
        with contextlib.suppress(TelegramError):
            await send_html(
                self.bot,
                job.chat_id,
                render_error(message, error_id),
                reply_to=job.reply_to,
                message_thread_id=job.thread_id,
            )


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


def _once(refund: Refund | None) -> Refund:
    """Wrap a refund so that it is given at most once, whichever path gives it."""
    owed = [refund] if refund is not None else []

    def give() -> None:
        while owed:
            owed.pop()()

    return give


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _now() -> datetime:
    return datetime.now(UTC)
