"""Items seen in followed sources, and what became of each in each chat (the index)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from bot.feeds.follows_store import Follow
from bot.store.chat_moves import move_replacing
from bot.store.index import Index, iso

P = ParamSpec("P")
R = TypeVar("R")

# Item states: NEW (seen, not yet read), READY (an article: hash, title, attribution),
# OLD (before the backfill window at first sight), UNREADABLE, DUPLICATE (same text as another),
# CAPPED (beyond every following chat's daily cap: seen from the feed entry alone, never fetched).
NEW, READY, OLD, UNREADABLE, DUPLICATE = "new", "ready", "old", "unreadable", "duplicate"
CAPPED = "capped"
# Delivery statuses per chat: what recording an item into a chat's history came to.
BRIEFED, CACHED, SKIPPED = "briefed", "cached", "skipped"
DEGRADED = "degraded"  # the extractive briefing: no LLM, or it failed or waited too long


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Sighting:
    """An item as a poll found it: its keys, what to show, and whether it is too old to take."""

    guid_key: str | None
    link_key: str | None
    title: str | None
    url: str | None
    published: datetime | None
    old: bool


@dataclass(frozen=True)
class StoredItem:
    """An item as remembered: its keys, attribution and state."""

    id: int
    source_id: int
    guid_key: str | None
    link_key: str | None
    content_hash: str | None
    title: str | None
    url: str | None
    label: str | None
    published_at: datetime | None
    seen_at: datetime
    state: str


def _item(row: sqlite3.Row) -> StoredItem:
    return StoredItem(
        id=row["id"], source_id=row["source_id"], guid_key=row["guid_key"],
        link_key=row["link_key"], content_hash=row["content_hash"],
        title=row["title"], url=row["url"], label=row["label"],
        published_at=_dt(row["published_at"]), seen_at=datetime.fromisoformat(row["seen_at"]),
        state=row["state"],
    )  # fmt: skip


class SeenItems:
    """Items by source (de-duplication) and deliveries by chat; each call one transaction."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._db = index.connection

    async def run(
        self, method: Callable[Concatenate[SeenItems, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run `method` (one of these, or a function of them) on the database thread.

        Off the event loop, with the thread's own store; each method is one transaction or
        reads, and harmless run twice (Index.run's retry): a claim that was applied
        before its answer was lost says False the second time, as if another poll had it.
        """
        return await self._index.run(lambda index: method(SeenItems(index), *args, **kwargs))

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """Make several of these calls one transaction (theirs nest in it)."""
        return self._index.transaction()

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's deliveries to its new id."""
        with self._index.transaction() as db:
            move_replacing(db, "feed_deliveries", ("item_id",), old_id, new_id)

    def has_items(self, source_id: int) -> bool:
        """Tell whether the source was ever read (its first poll takes only recent items)."""
        row = self._db.execute(
            "SELECT 1 FROM feed_items WHERE source_id = ? LIMIT 1", (source_id,)
        ).fetchone()
        return row is not None

    def remember(self, source_id: int, sightings: list[Sighting], now: datetime) -> int:
        """Store the items not seen before (by GUID or link), in one transaction; count new ones."""
        new = 0
        with self._index.transaction() as db:
            # A write first, to the source's row: on PostgreSQL it locks that row, so two
            # processes remembering one source's items (a poll whose lease passed on while it
            # ran) take turns, and the second finds the first's items, never adds them again.
            db.execute("UPDATE feed_sources SET paused = paused WHERE id = ?", (source_id,))
            for s in sightings:
                known = db.execute(
                    """SELECT id FROM feed_items WHERE source_id = ? AND
                       ((guid_key IS NOT NULL AND guid_key = ?)
                        OR (link_key IS NOT NULL AND link_key = ?))""",
                    (source_id, s.guid_key, s.link_key),
                ).fetchall()
                if known:  # re-published, reordered or listed twice: seen already, and still
                    # listed, so not forgotten while the feed shows it (see `prune`)
                    db.executemany(
                        "UPDATE feed_items SET last_seen_at = ? WHERE id = ?",
                        [(iso(now), row[0]) for row in known],
                    )
                    continue
                db.execute(
                    """INSERT INTO feed_items (source_id, guid_key, link_key, title, url,
                       published_at, seen_at, state, last_seen_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (source_id, s.guid_key, s.link_key, s.title, s.url,
                     iso(s.published) if s.published else None, iso(now),
                     OLD if s.old else NEW, iso(now)),
                )  # fmt: skip
                new += not s.old
        return new

    def items(self, source_id: int, state: str) -> list[StoredItem]:
        """List a source's items in a state, oldest first."""
        rows = self._db.execute(
            "SELECT * FROM feed_items WHERE source_id = ? AND state = ? ORDER BY id",
            (source_id, state),
        ).fetchall()
        return [_item(r) for r in rows]

    def has_content(self, source_id: int, content_hash: str) -> bool:
        """Tell whether another item of this source already carried this text."""
        row = self._db.execute(
            """SELECT 1 FROM feed_items
               WHERE source_id = ? AND content_hash = ? AND state = ? LIMIT 1""",
            (source_id, content_hash, READY),
        ).fetchone()
        return row is not None

    def resolve_item(
        self, item_id: int, state: str, *, content_hash: str | None = None,
        title: str | None = None, url: str | None = None, label: str | None = None,
    ) -> None:  # fmt: skip
        """Record what reading a new item came to; an item another poll resolved stays as is.

        Two polls of one source at once (a lease that passed on mid-poll) both read its new
        items: the second must not turn the first's ready item into a duplicate of itself.
        """
        with self._index.transaction() as db:
            db.execute(
                """UPDATE feed_items SET state = ?, content_hash = ?, title = COALESCE(?, title),
                   url = COALESCE(?, url), label = ? WHERE id = ? AND state = ?""",
                (state, content_hash, title, url, label, item_id, NEW),
            )

    def undelivered(self, follow: Follow, *, backfill_since: datetime) -> list[StoredItem]:
        """List ready items the chat has not had: new since it followed, or recent enough."""
        rows = self._db.execute(
            """SELECT * FROM feed_items i WHERE i.source_id = ? AND i.state = ?
               AND NOT EXISTS (SELECT 1 FROM feed_deliveries d
                               WHERE d.chat_id = ? AND d.item_id = i.id)
               AND (i.seen_at >= ? OR COALESCE(i.published_at, i.seen_at) >= ?)
               ORDER BY COALESCE(i.published_at, i.seen_at), i.id""",
            (follow.source.id, READY, follow.chat_id, iso(follow.followed_at), iso(backfill_since)),
        ).fetchall()
        return [_item(r) for r in rows]

    def deliver(self, chat_id: int, item_id: int, status: str, now: datetime) -> bool:
        """Claim an item for a chat, recording what became of it; False: it was already.

        The first claim wins, in this process or another on the database (the primary key
        decides): whoever gets False must not record or send the item to that chat again.
        """
        with self._index.transaction() as db:
            return (
                db.execute(
                    "INSERT INTO feed_deliveries VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (chat_id, item_id) DO NOTHING",
                    (chat_id, item_id, status, iso(now)),
                ).rowcount
                == 1
            )

    def count_deliveries(self, chat_id: int, status: str, since: datetime, until: datetime) -> int:
        """Count a chat's deliveries with a status in [since, until)."""
        row = self._db.execute(
            """SELECT COUNT(*) FROM feed_deliveries
               WHERE chat_id = ? AND status = ? AND at >= ? AND at < ?""",
            (chat_id, status, iso(since), iso(until)),
        ).fetchone()
        return int(row[0])


def prune(index: Index, before: datetime) -> tuple[int, int]:
    """Forget items absent from their feed since `before`, with their deliveries; count both.

    Exactly-once rests on these rows: an item forgotten while its feed still lists it would
    come back as new. So an item goes only when a later poll's feed no longer listed it (its
    last sighting is older than its source's latest) and that was before `before`; the last
    listing of a source (say one that answers 304 for months) is always kept. An item that
    reappears after being forgotten is new again unless it is dated before the history window
    (the poller marks such an item old: it is never briefed).
    """
    with index.transaction() as db:
        items = db.execute(
            """DELETE FROM feed_items WHERE last_seen_at < ? AND last_seen_at < (
                   SELECT MAX(j.last_seen_at) FROM feed_items j
                   WHERE j.source_id = feed_items.source_id)""",
            (iso(before),),
        ).rowcount
        deliveries = db.execute(
            """DELETE FROM feed_deliveries
               WHERE NOT EXISTS (SELECT 1 FROM feed_items i WHERE i.id = item_id)"""
        ).rowcount
    return items, deliveries
