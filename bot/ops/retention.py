"""Housekeeping: prune what is only bookkeeping (fetch cache, feed history, events).

Briefings, stances, article texts and each chat's history are what the bot is for: they
stay. The fetch cache is a shortcut (FETCH_CACHE_HOURS), feed items and deliveries are
de-duplication records (FEED_HISTORY_DAYS, pruned as `bot.feeds.seen.prune` explains),
and events feed /stats and today's budgets (EVENTS_DAYS, at least two days). Lapsed leases
(bot/store/leases.py) are forgotten: their holders died or let go long ago.

Every process on a shared database runs this, and running it in two at once is harmless:
each part is one idempotent DELETE of what is past its retention, so the second finds less
to delete, or nothing (the counts in the log are then split between the processes).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.feeds.seen import prune as prune_feed_history
from bot.ops.stats import prune_events
from bot.sources.fetch_cache import prune_fetched
from bot.store.leases import Leases

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.store.index import Index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pruned:
    """What one housekeeping run deleted."""

    fetched_files: int = 0
    feed_items: int = 0
    feed_deliveries: int = 0
    events: int = 0
    leases: int = 0


class Housekeeper:
    """Prune the bookkeeping past its retention, off the event loop."""

    def __init__(
        self,
        settings: Settings,
        index: Index,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._index = index
        self.clock = clock  # the database's times (the bot's clock)
        self.wall = wall  # files' times are the file system's (and blobs' the wall clock's)

    async def run(self) -> Pruned:
        """Prune once; a failure of one part is logged and spares the others."""
        settings, now = self._settings, self.clock()
        fetched = items = deliveries = events = leases = 0
        try:
            before = self.wall() - settings.fetch_cache_hours * 3600
            # Its files, or its blobs when the index is on PostgreSQL (their own connection:
            # a large delete does not hold up the database thread).
            where = self._index.blobs or settings.bot_data_dir
            fetched = await asyncio.to_thread(prune_fetched, where, before)
        except OSError:
            log.exception("housekeeping: pruning the fetch cache failed")
        try:
            history = now - timedelta(days=settings.feed_history_days)
            items, deliveries = await self._index.run(prune_feed_history, history)
            events = await self._index.run(prune_events, now - timedelta(days=settings.events_days))
            leases = await self._index.run(_prune_leases, now)
        except Exception:  # a locked or full database: the next run tries again
            log.exception("housekeeping: pruning the database failed")
        pruned = Pruned(fetched, items, deliveries, events, leases)
        if any((fetched, items, deliveries, events, leases)):
            log.info(
                "housekeeping: pruned %d fetched pages, %d feed items, %d deliveries, %d events, "
                "%d lapsed leases", fetched, items, deliveries, events, leases,
            )  # fmt: skip
        return pruned


def _prune_leases(index: Index, now: datetime) -> int:
    return Leases(index, clock=lambda: now).prune()
