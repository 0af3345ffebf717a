"""Recording a source's ready items into one chat: the daily cap, the brief, live messages."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.articles.dates import FEED, dated
from bot.briefing.facts import UpdateFacts
from bot.briefing.service import BriefingService, BriefResult, as_sent
from bot.config import Settings
from bot.errors import LLMError, LLMUnavailableError
from bot.feeds import seen as st
from bot.feeds.follows_store import Follow
from bot.feeds.seen import SeenItems, StoredItem
from bot.models import Article, Briefing, Source
from bot.ops.budget import BudgetExceededError
from bot.ops.stats import DEGRADED, Events, failure_kind
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index

log = logging.getLogger(__name__)
# How long an item waits for a spent budget or an unavailable LLM before it gets the
# extractive briefing instead (so a long outage doesn't leave the digest without it).
LLM_WAIT = timedelta(hours=6)


def _counted(seen: SeenItems, chat: int, now: datetime) -> int:
    # Up to now inclusive: what another poll recorded this instant. An extractive briefing
    # counts too: the LLM was mostly tried (and paid) first, and a source whose answers
    # always fail must not get past the cap (a hostile feed was briefed 2 a poll, all day).
    day = timedelta(days=1)
    return sum(
        seen.count_deliveries(chat, status, now - day, now + day)
        for status in (st.BRIEFED, st.DEGRADED)
    )


def _spent_and_waiting(
    seen: SeenItems, follow: Follow, now: datetime, *, since: datetime
) -> tuple[int, list[StoredItem]]:
    """Count the chat's briefings today and list the items waiting for it (reads)."""
    return _counted(seen, follow.chat_id, now), seen.undelivered(follow, backfill_since=since)


def _claim(
    index: Index, chat: int, item: StoredItem, status: str, article: Article, *, now: datetime
) -> bool:
    """Claim an item for a chat and record it in the chat's history; False: it was already.

    Claimed and recorded in one transaction: of two processes that both found the item new
    (a poll whose lease lapsed), one records and sends it. Run again after a lost answer to
    its COMMIT, it says False, as if another process had it (db_thread.py).
    """
    with index.transaction():
        if not SeenItems(index).deliver(chat, item.id, status, now):
            return False
        index.record_chat_article(
            chat, article.content_hash, message_id=None, received_at=now,
            title=article.title, source=article.source, published_at=article.published_at,
            published_from=article.published_from,
        )  # fmt: skip
    return True


def _skip(seen: SeenItems, chat: int, items: list[StoredItem], now: datetime) -> None:
    """Record items the daily cap left out of a chat (one transaction; twice is harmless)."""
    with seen.transaction():
        for item in items:
            seen.deliver(chat, item.id, st.SKIPPED, now)


def payer(follow: Follow) -> UpdateFacts:
    """Charge a feed item's briefing to whoever followed the source, else to the chat.

    The user budget is keyed by id: a follow nobody is named for (made from the CLI, or
    before followers were stored) is booked under the chat's own id, which never collides
    with a person's (a group's is negative; a private chat's is its person).
    """
    return UpdateFacts(chat_id=follow.chat_id, user_id=follow.follower_id or follow.chat_id)


class Notifier(Protocol):
    """Where live briefings and notes to a chat go (Telegram in the bot; nowhere in the CLI)."""

    async def briefing(self, follow: Follow, result: BriefResult) -> None:
        """Send one briefing to a chat that follows a source live (in its topic)."""

    async def note(self, follow: Follow, text: str) -> None:
        """Send a short plain-text note to a following chat (in its topic)."""


class Deliverer:
    """Deliver ready items to following chats: capped, briefed, recorded, live if asked."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        *,
        briefing: BriefingService,
        index: Index,
        seen: SeenItems,
        texts: ArticleTexts,
        events: Events | None = None,
    ) -> None:
        self._settings = settings
        self._briefing = briefing
        self._index = index
        self._seen = seen
        self._texts = texts
        self._events = events
        self.notifier: Notifier | None = None
        # Where a delivered item joins the chat's stories (set by the wiring: stories/).
        self.place: Callable[[int, Article, Briefing], Awaitable[object]] | None = None
        # Items planned for an LLM call but not recorded yet, per chat: two sources polled at
        # once must not both spend the same remaining daily allowance.
        self._planned: Counter[int] = Counter()

    async def _article(self, item: StoredItem, articles: dict[int, Article]) -> Article | None:
        article = articles.get(item.id)
        if article is None:
            if item.content_hash is None:
                return None
            # Read on a thread: in the blobs table on PostgreSQL, never on the event loop.
            text = await asyncio.to_thread(self._texts.get, item.content_hash)
            if text is None:
                return None
            source = Source(label=item.label, url=item.url) if item.label else None
            article = Article(
                text=text, content_hash=item.content_hash, title=item.title, source=source
            )
        if item.published_at is None:
            return article  # the page's own date, if it has one, or a dateline
        return article.model_copy(
            update={"published_at": item.published_at, "published_from": FEED}
        )

    async def room(self, follow: Follow, now: datetime) -> int:
        """Return how many more items the chat may have briefed today, after those waiting."""
        settings = self._settings()
        since = follow.followed_at - timedelta(hours=settings.feed_backfill_hours)
        spent, waiting = await self._seen.run(_spent_and_waiting, follow, now, since=since)
        planned = self._planned[follow.chat_id]
        return settings.feed_daily_items_per_chat - spent - planned - len(waiting)

    async def deliver(
        self, follow: Follow, articles: dict[int, Article], now: datetime
    ) -> tuple[int, int]:
        """Record the chat's undelivered ready items; return (delivered, skipped by the cap)."""
        settings = self._settings()
        chat = follow.chat_id
        since = follow.followed_at - timedelta(hours=settings.feed_backfill_hours)
        waiting = await self._seen.run(SeenItems.undelivered, follow, backfill_since=since)
        found = [(item, await self._article(item, articles)) for item in waiting]
        hits = {
            item.id: await self._briefing.cached_off_loop(article, chat_id=chat)
            for item, article in found
            if article is not None
        }
        spent = await self._seen.run(_counted, chat, now)
        # No await from here to the plan's end: this process's plans can't interleave (the
        # database thread runs one unit at a time, so `spent` has every one recorded before).
        allowance = settings.feed_daily_items_per_chat - spent - self._planned[chat]
        todo: list[tuple[StoredItem, Article]] = []
        over: list[StoredItem] = []  # the daily cap protects the LLM budget; the digest says so
        planned = 0
        for item, article in found:
            if article is None:
                continue
            if not hits[item.id]:
                if allowance <= 0:
                    over.append(item)
                    continue
                allowance -= 1
                planned += 1
            todo.append((item, article))
        self._planned[chat] += planned
        gate = asyncio.Semaphore(settings.llm_max_concurrency)
        halted: list[LLMError] = []

        async def one(item: StoredItem, article: Article) -> bool:
            async with gate:
                if halted:  # the budget is spent or the LLM is down: the rest waits too
                    return False
                try:
                    return await self._record(follow, item, article, now)
                except (BudgetExceededError, LLMUnavailableError) as exc:
                    halted.append(exc)
                    return False

        try:
            if over:
                await self._seen.run(_skip, chat, over, now)
            done = await asyncio.gather(*(one(i, a) for i, a in todo))
        finally:  # recorded (or not) now: the database counts what was spent
            self._planned[chat] -= planned
        if halted:
            log.info("feed items for chat %s wait for the next poll: %s", chat, halted[0])
        return sum(done), len(over)

    async def _record(
        self, follow: Follow, item: StoredItem, article: Article, now: datetime
    ) -> bool:
        """Brief an item for a chat and record it; a passing failure raises, to retry later."""
        chat = follow.chat_id
        article = dated(article, received=now)
        try:
            result = await self._briefing.brief(article, payer(follow), fallback=False)
        except (BudgetExceededError, LLMUnavailableError) as exc:
            if now - item.seen_at < LLM_WAIT:
                raise  # no delivery recorded: the next poll tries again (a refusal costs no call)
            result = await self._extractive(article, exc, chat)  # waited long enough
        except LLMError as exc:  # no LLM, or its answer was unusable: retrying would pay again
            result = await self._extractive(article, exc, chat)
        status = st.DEGRADED if result.degraded else st.CACHED if result.cached else st.BRIEFED
        # Claimed and recorded before anything is sent (see _claim).
        if not await self._index.run(_claim, chat, item, status, article, now=now):
            log.info("feed item %s: chat %s already has it", item.id, chat)
            return False
        if self.place is not None:
            try:
                await self.place(chat, article, result.stored.briefing)
            except Exception:  # a story is a bonus: the item is delivered all the same
                log.exception("feed item %s: could not place it in a story", item.id)
        if follow.live and self.notifier is not None:
            try:
                await self.notifier.briefing(follow, result)
            except Exception:  # one chat's failed send never stops the others
                log.exception("live briefing to chat %s failed", chat)
        return True

    async def _extractive(self, article: Article, exc: LLMError, chat: int) -> BriefResult:
        # The extractive briefing (no LLM), as BriefingService.brief falls back to for messages.
        log.info("feed item %s for chat %s briefed without the LLM: %s",
                 article.content_hash[:12], chat, exc)  # fmt: skip
        stored = await self._briefing.extractive(article, exc, chat_id=chat)
        if self._events is not None:
            await self._events.record_off_loop(DEGRADED, chat_id=chat, detail=failure_kind(exc))
        return BriefResult(as_sent(stored, article), cached=False)
