"""Polling followed sources: conditional GET, new items, back-off, silent recording per chat.

Processes sharing a database poll each source one at a time: a poll holds the lease
`feed:<source>` (renewed while it runs) and re-reads the source under it, so a source another
process has just polled is not fetched again; each chat's delivery of an item is claimed
before its briefing is recorded or sent (bot/feeds/item_delivery.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.briefing.service import BriefingService
from bot.config import Settings
from bot.errors import SourceError
from bot.feeds import seen as st
from bot.feeds.following import FeedService
from bot.feeds.follows_store import FeedSource, FeedStore, Follow
from bot.feeds.item_delivery import Deliverer, Notifier
from bot.feeds.items import item_keys
from bot.feeds.parse import FeedItem
from bot.feeds.reading import ItemReader
from bot.feeds.scheduler import PollScheduler
from bot.feeds.seen import SeenItems
from bot.models import Article
from bot.ops.stats import Events
from bot.render.dates import UTC_DATES
from bot.sources.fetch import Validators
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from bot.store.lease_hold import hold
from bot.store.leases import Leases

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)


def _due(store: FeedStore, now: datetime) -> list[tuple[FeedSource, list[Follow]]]:
    """List the due sources with their follows (reads: one unit on the database thread)."""
    return [(source, store.followers(source.id)) for source in store.due(now)]


@dataclass
class PollReport:
    """What one poll of one source did (for logs, tests and the benchmark)."""

    source_id: int
    not_modified: bool = False
    error: str | None = None
    new_items: int = 0
    delivered: int = 0
    skipped: int = 0
    elsewhere: bool = False  # polled by another process (or just was): nothing done here


class FeedPoller:
    """Poll due sources and record their new items into each following chat's history."""

    def __init__(
        self,
        feeds: FeedService,
        *,
        briefing: BriefingService,
        index: Index,
        texts: ArticleTexts,
        notifier: Notifier | None = None,
        clock: Callable[[], datetime] | None = None,
        allowed: Callable[[Follow], bool] = lambda _follow: True,
        events: Events | None = None,
    ) -> None:
        self.feeds = feeds
        self._store = feeds.store
        self._seen = feeds.seen
        self._texts = texts
        self.deliverer = Deliverer(
            lambda: self.feeds.settings, briefing=briefing, index=index, seen=feeds.seen,
            texts=texts, events=events,
        )  # fmt: skip
        self.reader = ItemReader(
            lambda: self.feeds.settings, seen=feeds.seen, sources=lambda: self.feeds.sources,
            texts=texts,
        )  # fmt: skip
        self.notifier = notifier
        # Re-checked at every poll: a chat (or the person who followed) taken off the
        # allowlist gets nothing more, and costs nothing, until access returns.
        self.allowed = allowed
        self.clock = clock or feeds.clock
        # This process's name on the sources it polls; on the poller's clock, whatever it is.
        self.leases = Leases(index, clock=lambda: self.clock())  # noqa: PLW0108 - wire() swaps it
        self.scheduler: PollScheduler[PollReport] = PollScheduler(
            self.poll,
            concurrency=lambda: self._settings.feed_poll_concurrency,
            per_host=lambda: self._settings.feed_poll_per_host,
        )

    @property
    def notifier(self) -> Notifier | None:
        """Return where live briefings and notes go (None: nowhere, as in the CLI)."""
        return self.deliverer.notifier

    @notifier.setter
    def notifier(self, notifier: Notifier | None) -> None:
        self.deliverer.notifier = notifier

    @property
    def _settings(self) -> Settings:
        return self.feeds.settings

    async def start_due(self) -> list[asyncio.Task[PollReport]]:
        """Start a poll of every due source not being polled already; return once started."""
        due = [  # a source nobody allowed follows any more is not even fetched
            source
            for source, follows in await self._store.run(_due, self.clock())
            if any(map(self.allowed, follows))
        ]
        return self.scheduler.start(due)

    async def tick(self) -> list[PollReport]:
        """Poll every due source not in flight and wait for those polls (the CLI, tests)."""
        return list(await asyncio.gather(*await self.start_due()))

    async def aclose(self) -> None:
        """Stop the polls in flight (shutting down)."""
        await self.scheduler.aclose()

    async def poll(self, source: FeedSource) -> PollReport:
        """Check one source; read, brief and record what is new; never raise."""
        try:
            async with hold(self.leases, f"feed:{source.id}", self._settings.lease_s) as held:
                fresh = None if held is None else await self._store.run(FeedStore.get, source.id)
                if fresh is None or fresh.paused or fresh.next_poll_at > self.clock():
                    return PollReport(source.id, elsewhere=True)  # being or just polled
                return await self._poll(fresh)
        except Exception:  # a bug met by one source must not stop the others
            log.exception("polling feed %s failed", source.id)
            reason = "an internal error (the log has the details)"
            await self._failed(source, self.clock(), reason)  # backs off like any failure
            return PollReport(source.id, error=reason)

    async def _poll(self, source: FeedSource) -> PollReport:
        report = PollReport(source.id)
        now = self.clock()
        first = not await self._seen.run(SeenItems.has_items, source.id)
        validators = None if first else Validators(source.etag, source.last_modified)
        try:
            fetched = await self.feeds.fetch(source.url, validators)
            parsed = None if fetched.not_modified else await self.feeds.parse(fetched, source.kind)
        except SourceError as exc:
            await self._failed(source, now, exc.reason)
            report.error = exc.reason
            return report
        articles: dict[int, Article] = {}
        if parsed is not None:
            # After a long gap (nobody followed it, or it was paused), take only the backfill
            # window too: a month of a feed's history must not arrive as one burst.
            backfill = timedelta(hours=self._settings.feed_backfill_hours)
            stale = source.ok_at is None or now - source.ok_at > backfill
            report.new_items = await self._remember(source, parsed.items, now, first=first or stale)
            followers = list(filter(self.allowed, await self._followers(source)))
            room = max([await self.deliverer.room(f, now) for f in followers], default=0)
            articles, report.skipped = await self.reader.read(
                source, parsed.items, room=room, followers=followers, now=now
            )
        report.not_modified = parsed is None
        # Even when nothing changed: a new follower's backfill, or items a spent budget held back.
        for follow in filter(self.allowed, await self._followers(source)):
            delivered, skipped = await self.deliverer.deliver(follow, articles, self.clock())
            report.delivered += delivered
            report.skipped += skipped
        etag, modified = fetched.etag, fetched.last_modified
        if parsed is None:  # a 304: the validators stand unless the server sent new ones
            etag, modified = etag or source.etag, modified or source.last_modified
        title = parsed.title if parsed is not None else None
        await self._store.run(
            FeedStore.polled_ok, source.id, now, self._next(now), etag=etag,
            last_modified=modified, title=title,
        )  # fmt: skip
        return report

    async def _followers(self, source: FeedSource) -> list[Follow]:
        return await self._store.run(FeedStore.followers, source.id)

    def _next(self, now: datetime, failures: int = 0) -> datetime:
        interval = timedelta(seconds=self._settings.feed_poll_interval_s)
        backoff: timedelta = interval * (2 ** min(failures, 16))
        return now + min(backoff, max(MAX_BACKOFF, interval))

    async def _failed(self, source: FeedSource, now: datetime, reason: str) -> None:
        since = source.failing_since or now
        pause = now - since >= timedelta(hours=self._settings.feed_pause_after_hours)
        next_at = self._next(now, source.failures + 1)
        await self._store.run(FeedStore.polled_failed, source.id, now, next_at, reason, pause=pause)
        log.info("feed %s failed (%d in a row): %s", source.id, source.failures + 1, reason)
        if pause and self.notifier is not None:
            note = (
                f"⏸ I stopped checking “{source.title}”: it has failed since "
                f"{UTC_DATES.clock(since)} ({reason}). Send /follow {source.url} to try again."
            )
            for follow in filter(self.allowed, await self._followers(source)):
                await self._notify_note(self.notifier, follow, note)

    async def _remember(
        self, source: FeedSource, items: list[FeedItem], now: datetime, *, first: bool
    ) -> int:
        # A first poll takes only the backfill window, so a busy feed can't spend a day at once.
        cutoff = now - timedelta(hours=self._settings.feed_backfill_hours)
        # Dated before the history kept: seen before and forgotten (st.prune), never new.
        forgotten = now - timedelta(days=self._settings.feed_history_days)
        sightings = [
            st.Sighting(
                *item_keys(item),
                title=item.title,
                url=item.permalink or item.link,
                published=item.published,
                old=item.published is not None
                and (item.published < forgotten or (first and item.published < cutoff)),
            )
            for item in items
        ]
        return await self._seen.run(SeenItems.remember, source.id, sightings, now)

    @staticmethod
    async def _notify_note(notifier: Notifier, follow: Follow, text: str) -> None:
        chat_id = follow.chat_id
        try:
            await notifier.note(follow, text)
        except Exception:
            log.exception("note to chat %s failed", chat_id)
