"""The slow half of briefing: a bounded pool of workers answers persisted jobs.

Handlers only validate an article and persist a job (`accept`), then return, so PTB's
concurrent-update slots are never held while an LLM thinks. A worker briefs the job's
article and replies, threaded to the message that asked; the job is marked done only after
Telegram accepted the reply. Jobs left pending by a crash are resumed at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.articles import content_hash
from bot.logs import UpdateTrace, end_trace, log_update, set_outcome, start_trace
from bot.models import Article
from bot.ops.stats import FAILED
from bot.render.briefing import render_briefing, render_error, split_html
from bot.services import Services
from bot.store.index import Index
from bot.store.pending import DegradedReplies, Job, JobKind, PendingStore
from bot.telegram.fetchjobs import FetchRefusedError, article_of_job
from bot.telegram.overviews import answer_overview
from bot.telegram.replies import send_html, typing

log = logging.getLogger(__name__)

SORRY = "⏳ <i>Sorry for the delay: I was restarted while working on this.</i>"
# Seconds between attempts to deliver a reply over a failing network; after the last one
# the job stays pending and is answered at the next start-up.
SEND_RETRY_DELAYS_S = (2.0, 10.0, 30.0)
MAX_JOB_ATTEMPTS = 3
Refund = Callable[[], None]
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
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def answer(
        self,
        job: Job,
        *,
        resumed: bool = False,
        trace: UpdateTrace | None = None,
        refund: Refund | None = None,
    ) -> None:
        """Answer one job; never raises (a failure ends in a threaded reply or stays pending).

        `refund` gives the sender's rate-limit slot back when no full briefing came of it.
        """
        if trace is None:
            await self._answer_logged(job, resumed, refund)
            return
        token = start_trace(trace)  # the update's own log line, finished here
        try:
            await self._answer_logged(job, resumed, refund)
        finally:
            end_trace(token)
            log_update(trace)

    async def _answer_logged(self, job: Job, resumed: bool, refund: Refund | None) -> None:
        give_back = _once(refund)
        try:
            await self._answer(job, resumed=resumed, refund=give_back)
        except asyncio.CancelledError:
            raise  # shutting down: the job stays pending and resumes at the next start
        except Forbidden as exc:  # the user blocked the bot, or it left the group
            log.info("job %s: chat %s refuses messages (%s)", job.id, job.chat_id, exc.message)
            self.pending.done(job.id, _now(), "forbidden")
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("error %s while answering job %s", error_id, job.id)
            await self._apologise(job, error_id)
            self.pending.done(job.id, _now(), f"error {error_id}")
        else:
            return
        give_back()  # nothing was delivered for it

    async def _answer(self, job: Job, *, resumed: bool, refund: Refund) -> None:
        # Done already (a resume raced a live submit), or given up on.
        if self.pending.is_done(job.id) or await self._gave_up(job, refund):
            return
        await self.pending.attempt_off_loop(job.id)
        if job.kind is JobKind.OVERVIEW:
            await answer_overview(self, job, prefix=f"{SORRY}\n\n" if resumed else "")
        else:
            await self._brief(job, resumed=resumed, refund=refund)

    async def _brief(self, job: Job, *, resumed: bool, refund: Refund) -> None:
        article = await self._article(job, resumed, refund)
        if article is None:
            return  # the link or document gave no article: the user was told why
        if job.silent:  # a channel's own post: its subscribers never see our messages
            await self.services.briefing.brief(article, chat_id=job.chat_id, user_id=job.user_id)
            log.info("briefed channel post %s in %s silently", job.reply_to, job.chat_id)
            self.pending.done(job.id, _now(), "silent")
            return
        hit = await self.services.briefing.lookup(article, chat_id=job.chat_id)
        # A cached briefing goes out at once: "typing…" would only spend the chat's budget.
        busy = typing(self.bot, job.chat_id, job.thread_id) if hit is None else None
        async with busy or contextlib.nullcontext():
            result = await self.services.briefing.brief(
                article, chat_id=job.chat_id, user_id=job.user_id, hit=hit, looked_up=True
            )
        if result.degraded or (hit is not None and job.kind is JobKind.DOCUMENT):
            # No full briefing: asking again soon must not be "wait an hour". And like pasted
            # text, a document whose briefing was cached costs nothing.
            refund()
        html = render_briefing(
            result.stored, show_unverified=self.show_unverified, cached=result.cached
        )
        if not result.degraded:
            await self._upgrade(job.chat_id, article.content_hash, html, job.thread_id)
        if resumed:
            html = f"{SORRY}\n\n{html}"
        sent = await self.deliver(job, html)
        if sent is None:
            return  # the network is down: still pending, answered at the next start
        if not sent:
            refund()  # Telegram refused it (the job is closed as "rejected"): nothing delivered
            return
        # Done first: the window in which a crash could answer this job twice is one commit.
        await self.pending.done_off_loop(job.id, _now())
        ids = [m.message_id for m in sent]
        index = self.services.index
        await index.run(Index.record_bot_messages, job.chat_id, ids, article.content_hash)
        if result.degraded:
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
            return _article_of(job)
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
        # Persist on receipt, as for pasted text: now that the article's hash is known.
        await self.services.index.run(
            Index.record_chat_article, job.chat_id, article.content_hash,
            message_id=job.message_id, received_at=job.created_at, title=article.title,
            source=article.source,
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

    async def _upgrade(
        self, chat_id: int, article_hash: str, html: str, thread: int | None
    ) -> None:
        """Edit the chat's earlier extractive reply for this article into the full briefing."""
        for ids in self.degraded.take(chat_id, article_hash):
            chunks = split_html(html)
            for message_id, chunk in zip(ids, chunks, strict=False):
                try:
                    await self.bot.edit_message_text(
                        chunk, chat_id, message_id, parse_mode=ParseMode.HTML
                    )
                except TelegramError as exc:  # deleted, too old to edit: the new reply stands
                    log.info("could not upgrade message %s in %s: %s", message_id, chat_id, exc)
                    break
            else:
                if len(chunks) > len(ids):
                    with contextlib.suppress(TelegramError):
                        rest = "\n\n".join(chunks[len(ids) :])
                        await send_html(
                            self.bot, chat_id, rest, reply_to=ids[-1], message_thread_id=thread
                        )

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


class WorkerPool:
    """A fixed number of asyncio workers taking jobs from a queue, started and stopped once."""

    def __init__(self, size: int, answer: Callable[..., Awaitable[None]]) -> None:
        self._size = size
        self._answer = answer
        self._queue: asyncio.Queue[tuple[Job, bool, UpdateTrace | None, Refund | None]] = (
            asyncio.Queue()
        )
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start the workers (in the running event loop)."""
        self._tasks = [
            asyncio.create_task(self._work(), name=f"briefing-worker-{i}")
            for i in range(self._size)
        ]

    def submit(
        self,
        job: Job,
        *,
        resumed: bool = False,
        trace: UpdateTrace | None = None,
        refund: Refund | None = None,
    ) -> None:
        """Queue a persisted job for a worker (with the trace of the update that brought it)."""
        self._queue.put_nowait((job, resumed, trace, refund))

    async def join(self) -> None:
        """Wait until every queued job has been answered (tests, benchmarks)."""
        await self._queue.join()

    async def stop(self) -> None:
        """Cancel the workers; unfinished jobs stay pending on disk for the next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            job, resumed, trace, refund = await self._queue.get()
            try:
                await self._answer(job, resumed=resumed, trace=trace, refund=refund)
            finally:
                self._queue.task_done()
