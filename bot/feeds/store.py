"""Followed sources, their polling state and the items seen, in the index's SQLite database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.index import Index, iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    created_at TEXT NOT NULL,
    ok_at TEXT,
    error TEXT,
    failing_since TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_follows (
    chat_id INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    live INTEGER NOT NULL,
    followed_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, source_id)
);
CREATE TABLE IF NOT EXISTS feed_items (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    guid_key TEXT,
    link_key TEXT,
    content_hash TEXT,
    title TEXT,
    url TEXT,
    label TEXT,
    published_at TEXT,
    seen_at TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feed_items_guid ON feed_items(source_id, guid_key);
CREATE INDEX IF NOT EXISTS feed_items_link ON feed_items(source_id, link_key);
CREATE TABLE IF NOT EXISTS feed_deliveries (
    chat_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (chat_id, item_id)
);
CREATE INDEX IF NOT EXISTS feed_deliveries_at ON feed_deliveries(chat_id, at);
"""
# Item states: NEW (seen, not yet read), READY (an article: hash, title, attribution),
# OLD (before the backfill window at first sight), UNREADABLE, DUPLICATE (same text as another).
NEW, READY, OLD, UNREADABLE, DUPLICATE = "new", "ready", "old", "unreadable", "duplicate"
# Delivery statuses per chat: what recording an item into a chat's history came to.
BRIEFED, CACHED, SKIPPED, FAILED = "briefed", "cached", "skipped", "failed"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class FeedSource:
    """One polled address, shared by every chat that follows it."""

    id: int
    url: str
    kind: str  # "feed" or "channel"
    title: str
    etag: str | None
    last_modified: str | None
    created_at: datetime
    ok_at: datetime | None
    error: str | None
    failing_since: datetime | None
    failures: int
    next_poll_at: datetime
    paused: bool


@dataclass(frozen=True)
class Follow:
    """A chat following a source."""

    chat_id: int
    source: FeedSource
    live: bool
    followed_at: datetime


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


def _source(row: sqlite3.Row) -> FeedSource:
    return FeedSource(
        id=row["id"], url=row["url"], kind=row["kind"], title=row["title"], etag=row["etag"],
        last_modified=row["last_modified"], created_at=datetime.fromisoformat(row["created_at"]),
        ok_at=_dt(row["ok_at"]), error=row["error"], failing_since=_dt(row["failing_since"]),
        failures=row["failures"], next_poll_at=datetime.fromisoformat(row["next_poll_at"]),
        paused=bool(row["paused"]),
    )  # fmt: skip


def _item(row: sqlite3.Row) -> StoredItem:
    return StoredItem(
        id=row["id"], source_id=row["source_id"], guid_key=row["guid_key"],
        link_key=row["link_key"], content_hash=row["content_hash"],
        title=row["title"], url=row["url"], label=row["label"],
        published_at=_dt(row["published_at"]), seen_at=datetime.fromisoformat(row["seen_at"]),
        state=row["state"],
    )  # fmt: skip


class FeedStore:
    """Sources, follows, items and deliveries; each call is one short transaction."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._db = index.connection
        self._db.executescript(_SCHEMA)

    # --- sources and follows -----------------------------------------------------------------
    def follow(
        self, chat_id: int, url: str, kind: str, title: str, *, live: bool, now: datetime
    ) -> tuple[Follow, bool]:
        """Follow a source (created if new, resumed if paused); return (follow, was_new)."""
        with self._index.transaction() as db:
            db.execute(
                """INSERT INTO feed_sources (url, kind, title, created_at, next_poll_at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET title = excluded.title,
                   paused = 0, failures = 0, failing_since = NULL,
                   next_poll_at = excluded.next_poll_at
                   WHERE feed_sources.paused = 1 OR feed_sources.title != excluded.title""",
                (url, kind, title, iso(now), iso(now)),
            )
            source_id = db.execute("SELECT id FROM feed_sources WHERE url = ?", (url,)).fetchone()[
                0
            ]
            old = db.execute(
                "SELECT 1 FROM feed_follows WHERE chat_id = ? AND source_id = ?",
                (chat_id, source_id),
            ).fetchone()
            if old is None:
                db.execute(
                    "INSERT INTO feed_follows VALUES (?, ?, ?, ?)",
                    (chat_id, source_id, int(live), iso(now)),
                )
            else:
                db.execute(
                    "UPDATE feed_follows SET live = ? WHERE chat_id = ? AND source_id = ?",
                    (int(live), chat_id, source_id),
                )
        found = self.follow_of(chat_id, source_id)
        if found is None:  # pragma: no cover - written in the same transaction above
            raise RuntimeError("follow not stored")
        return found, old is None

    def follow_of(self, chat_id: int, source_id: int) -> Follow | None:
        """Return the chat's follow of a source, if it follows it."""
        rows = self._follows("f.chat_id = ? AND f.source_id = ?", (chat_id, source_id))
        return rows[0] if rows else None

    def following(self, chat_id: int) -> list[Follow]:
        """List a chat's follows, oldest first."""
        return self._follows("f.chat_id = ?", (chat_id,))

    def followers(self, source_id: int) -> list[Follow]:
        """List the follows of a source."""
        return self._follows("f.source_id = ?", (source_id,))

    def _follows(self, where: str, args: tuple[object, ...]) -> list[Follow]:
        rows = self._db.execute(
            f"""SELECT f.chat_id, f.live, f.followed_at, s.* FROM feed_follows f
                JOIN feed_sources s ON s.id = f.source_id WHERE {where}
                ORDER BY f.followed_at, s.id""",  # noqa: S608 - `where` is ours, values bound
            args,
        ).fetchall()
        return [
            Follow(
                r["chat_id"], _source(r), bool(r["live"]), datetime.fromisoformat(r["followed_at"])
            )
            for r in rows
        ]

    def unfollow(self, chat_id: int, source_id: int) -> bool:
        """Stop a chat following a source (its seen items stay, so re-following re-briefs none)."""
        with self._index.transaction() as db:
            cursor = db.execute(
                "DELETE FROM feed_follows WHERE chat_id = ? AND source_id = ?", (chat_id, source_id)
            )
        return cursor.rowcount > 0

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's follows and deliveries to its new id."""
        with self._index.transaction() as db:
            for table in ("feed_follows", "feed_deliveries"):
                sql = f"UPDATE OR REPLACE {table} SET chat_id = ? WHERE chat_id = ?"  # noqa: S608
                db.execute(sql, (new_id, old_id))

    def due(self, now: datetime) -> list[FeedSource]:
        """List sources someone follows, not paused, whose next poll is due."""
        rows = self._db.execute(
            """SELECT * FROM feed_sources WHERE paused = 0 AND next_poll_at <= ?
               AND id IN (SELECT source_id FROM feed_follows) ORDER BY next_poll_at""",
            (iso(now),),
        ).fetchall()
        return [_source(r) for r in rows]

    def get(self, source_id: int) -> FeedSource | None:
        """Return a source by id."""
        row = self._db.execute("SELECT * FROM feed_sources WHERE id = ?", (source_id,)).fetchone()
        return _source(row) if row else None

    def polled_ok(
        self,
        source_id: int,
        now: datetime,
        next_at: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
    ) -> None:
        """Record a successful check: validators kept, errors cleared."""
        with self._index.transaction() as db:
            db.execute(
                """UPDATE feed_sources SET ok_at = ?, error = NULL, failing_since = NULL,
                   failures = 0, next_poll_at = ?, etag = ?, last_modified = ?,
                   title = COALESCE(?, title) WHERE id = ?""",
                (iso(now), iso(next_at), etag, last_modified, title, source_id),
            )

    def polled_failed(
        self, source_id: int, now: datetime, next_at: datetime, error: str, *, pause: bool
    ) -> None:
        """Record a failed check: the error, the back-off, and a pause after days of failure."""
        with self._index.transaction() as db:
            db.execute(
                """UPDATE feed_sources SET error = ?, failures = failures + 1,
                   failing_since = COALESCE(failing_since, ?), next_poll_at = ?, paused = ?
                   WHERE id = ?""",
                (error, iso(now), iso(next_at), int(pause), source_id),
            )

    # --- items -------------------------------------------------------------------------------
    def has_items(self, source_id: int) -> bool:
        """Tell whether the source was ever read (its first poll takes only recent items)."""
        row = self._db.execute(
            "SELECT 1 FROM feed_items WHERE source_id = ? LIMIT 1", (source_id,)
        ).fetchone()
        return row is not None

    def known(self, source_id: int, guid_key: str | None, link_key: str | None) -> bool:
        """Tell whether an item with this GUID or link was seen in this source before."""
        row = self._db.execute(
            """SELECT 1 FROM feed_items WHERE source_id = ? AND
               ((guid_key IS NOT NULL AND guid_key = ?) OR (link_key IS NOT NULL AND link_key = ?))
               LIMIT 1""",
            (source_id, guid_key, link_key),
        ).fetchone()
        return row is not None

    def add_item(
        self, source_id: int, *, guid_key: str | None, link_key: str | None, title: str | None,
        url: str | None, published: datetime | None, now: datetime, state: str,
    ) -> int:  # fmt: skip
        """Remember a newly seen item; return its id."""
        with self._index.transaction() as db:
            cursor = db.execute(
                """INSERT INTO feed_items (source_id, guid_key, link_key, title, url,
                   published_at, seen_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (source_id, guid_key, link_key, title, url,
                 iso(published) if published else None, iso(now), state),
            )  # fmt: skip
        return int(cursor.lastrowid or 0)

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
        """Record what reading an item came to."""
        with self._index.transaction() as db:
            db.execute(
                """UPDATE feed_items SET state = ?, content_hash = ?, title = COALESCE(?, title),
                   url = COALESCE(?, url), label = ? WHERE id = ?""",
                (state, content_hash, title, url, label, item_id),
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

    def deliver(self, chat_id: int, item_id: int, status: str, now: datetime) -> None:
        """Record what happened to an item in a chat (never recorded twice)."""
        with self._index.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO feed_deliveries VALUES (?, ?, ?, ?)",
                (chat_id, item_id, status, iso(now)),
            )

    def count_deliveries(self, chat_id: int, status: str, since: datetime, until: datetime) -> int:
        """Count a chat's deliveries with a status in [since, until)."""
        row = self._db.execute(
            """SELECT COUNT(*) FROM feed_deliveries
               WHERE chat_id = ? AND status = ? AND at >= ? AND at < ?""",
            (chat_id, status, iso(since), iso(until)),
        ).fetchone()
        return int(row[0])
