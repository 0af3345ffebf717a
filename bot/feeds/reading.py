"""Reading a poll's new items: only as many pages as will be used, the rest seen unfetched."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.feeds import seen as st
from bot.feeds.follows_store import FeedSource, Follow
from bot.feeds.items import item_article, item_keys
from bot.feeds.parse import FeedItem
from bot.feeds.seen import SeenItems, StoredItem
from bot.models import Article, Source
from bot.sources.article_reader import SourceService
from bot.store.briefing_cache import ArticleTexts

log = logging.getLogger(__name__)


def _order(item: StoredItem) -> tuple[datetime, int]:
    return item.published_at or item.seen_at, item.id  # as the deliverer takes them


def _set_aside(
    seen: SeenItems, gone: list[int], capped: list[StoredItem], chats: list[int], now: datetime
) -> None:
    """Resolve items gone from the feed, and those over every chat's cap (skipped in each).

    One transaction, harmless run twice: only new items are resolved, and a delivery
    already claimed stays as it is.
    """
    with seen.transaction():
        for item_id in gone:
            seen.resolve_item(item_id, st.UNREADABLE)
        for stored in capped:
            seen.resolve_item(stored.id, st.CAPPED, title=stored.title, url=stored.url)
            for chat in chats:
                seen.deliver(chat, stored.id, st.SKIPPED, now)


class ItemReader:
    """Fetch and record the pages of a source's new items, within the chats' room and a cap."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        *,
        seen: SeenItems,
        sources: Callable[[], SourceService],
        texts: ArticleTexts,
    ) -> None:
        self._settings = settings
        self._seen = seen
        self._sources = sources
        self._texts = texts

    async def read(
        self,
        source: FeedSource,
        items: list[FeedItem],
        *,
        room: int,
        followers: list[Follow],
        now: datetime,
    ) -> tuple[dict[int, Article], int]:
        """Read new items still listed, up to `room` and the per-poll cap; return (read, skipped).

        `room` is the most items any following chat may still be briefed today: an item
        beyond it is recorded as seen from its feed entry alone (never fetched) and counted as
        skipped in each chat. Items within the room but over the per-poll cap stay new for the
        next poll, which fetches them if the feed still lists them.
        """
        settings = self._settings()
        by_key: dict[str, FeedItem] = {}
        for item in items:
            for key in item_keys(item):
                if key:
                    by_key.setdefault(key, item)

        def entry(stored: StoredItem) -> FeedItem | None:
            return by_key.get(stored.guid_key or "") or by_key.get(stored.link_key or "")

        listed: list[tuple[StoredItem, FeedItem]] = []
        gone: list[int] = []  # gone from the feed (an interrupted poll): unreadable now
        for stored in await self._seen.run(SeenItems.items, source.id, st.NEW):
            if (listed_as := entry(stored)) is None:
                gone.append(stored.id)
            else:
                listed.append((stored, listed_as))
        listed.sort(key=lambda pair: _order(pair[0]))
        room = max(room, 0)
        take = listed[: min(room, settings.feed_max_fetches_per_poll)]
        capped = [stored for stored, _item in listed[room:]]  # over every chat's cap: unfetched
        chats = [follow.chat_id for follow in followers]
        if gone or capped:
            await self._seen.run(_set_aside, gone, capped, chats, now)
        return await self._fetch(source, take), len(capped) * len(chats)

    async def _fetch(
        self, source: FeedSource, take: list[tuple[StoredItem, FeedItem]]
    ) -> dict[int, Article]:
        settings = self._settings()
        gate = asyncio.Semaphore(settings.llm_max_concurrency)

        async def read(stored: StoredItem, item: FeedItem) -> tuple[StoredItem, Article | None]:
            async with gate:
                try:
                    article = await item_article(
                        item, source.title, self._sources(),
                        min_chars=settings.min_article_chars,
                        max_chars=settings.max_article_chars,
                    )  # fmt: skip
                except Exception:  # one bad item is that item's failure, never the poll's:
                    # left "new", it would be retried forever and hold back the good ones.
                    log.exception("feed %s item %s unreadable", source.id, stored.id)
                    article = None
            return stored, article

        articles: dict[int, Article] = {}
        for stored, article in await asyncio.gather(*(read(s, i) for s, i in take)):
            if article is None:
                await self._seen.run(SeenItems.resolve_item, stored.id, st.UNREADABLE)
                continue
            if await self._seen.run(SeenItems.has_content, source.id, article.content_hash):
                await self._seen.run(
                    SeenItems.resolve_item, stored.id, st.DUPLICATE,
                    content_hash=article.content_hash,
                )  # fmt: skip
                continue
            # Kept for a later follower, on a thread (the blobs table, on PostgreSQL).
            if not await self._texts.saved(article.content_hash, article.text):
                # A full disk (or the database away) is the bot's fault, not the source's:
                # the poll goes on (no back-off, no pause) and the item stays new, read again
                # at the next poll. Why it failed is logged by ArticleTexts.
                log.warning("feed %s item %s not kept", source.id, stored.id)
                continue
            source_ = article.source or Source(label=source.title)
            await self._seen.run(
                SeenItems.resolve_item, stored.id, st.READY, content_hash=article.content_hash,
                title=article.title, url=source_.url, label=source_.label,
            )  # fmt: skip
            articles[stored.id] = article
        return articles
