"""Followed sources and their polling state, in the index's SQLite database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from bot.store.chat_moves import move_replacing
from bot.store.index import Index, iso

P = ParamSpec("P")
R = TypeVar("R")


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
    """A chat following a source: live or silent, from which topic, on whose word."""

    chat_id: int
    source: FeedSource
    live: bool
    followed_at: datetime
    thread_id: int | None = None  # the forum topic /follow was sent in: live items go there
    follower_id: int | None = None  # who followed: the feed stops if they lose access


def _source(row: sqlite3.Row) -> FeedSource:
    return FeedSource(
        id=row["id"], url=row["url"], kind=row["kind"], title=row["title"], etag=row["etag"],
        last_modified=row["last_modified"], created_at=datetime.fromisoformat(row["created_at"]),
        ok_at=_dt(row["ok_at"]), error=row["error"], failing_since=_dt(row["failing_since"]),
        failures=row["failures"], next_poll_at=datetime.fromisoformat(row["next_poll_at"]),
        paused=bool(row["paused"]),
    )  # fmt: skip


class FeedStore:
    """Sources, follows, items and deliveries; each call is one short transaction."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._db = index.connection

    async def run(
        self, method: Callable[Concatenate[FeedStore, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run `method` (one of these) on the database thread, off the event loop.

        Each is one transaction or reads, and harmless run twice (Index.run's retry): a
        follow applied before its answer was lost is found again, as "still following".
        """
        return await self._index.run(lambda index: method(FeedStore(index), *args, **kwargs))

    def follow(
        self, chat_id: int, url: str, kind: str, title: str, *, live: bool, now: datetime,
        thread_id: int | None = None, follower_id: int | None = None,
    ) -> tuple[Follow, bool]:  # fmt: skip
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
            row = db.execute("SELECT id FROM feed_sources WHERE url = ?", (url,)).fetchone()
            source_id = int(row[0])
            old = db.execute(
                "SELECT 1 FROM feed_follows WHERE chat_id = ? AND source_id = ?",
                (chat_id, source_id),
            ).fetchone()
            if old is None:
                db.execute(
                    "INSERT INTO feed_follows VALUES (?, ?, ?, ?, ?, ?)",
                    (chat_id, source_id, int(live), iso(now), thread_id, follower_id),
                )
            else:  # following again: live or not, and the topic, as said this time
                db.execute(
                    """UPDATE feed_follows SET live = ?, thread_id = ?,
                       follower_id = COALESCE(?, follower_id)
                       WHERE chat_id = ? AND source_id = ?""",
                    (int(live), thread_id, follower_id, chat_id, source_id),
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
            f"""SELECT f.chat_id, f.live, f.followed_at, f.thread_id, f.follower_id, s.*
                FROM feed_follows f
                JOIN feed_sources s ON s.id = f.source_id WHERE {where}
                ORDER BY f.followed_at, s.id""",  # noqa: S608 - `where` is ours, values bound
            args,
        ).fetchall()
        return [
            Follow(
                r["chat_id"],
                _source(r),
                bool(r["live"]),
                datetime.fromisoformat(r["followed_at"]),
                thread_id=r["thread_id"],
                follower_id=r["follower_id"],
            )
            for r in rows
        ]

    def leave_topic(self, chat_id: int, thread_id: int) -> None:
        """Send a deleted topic's follows to the chat itself from now on."""
        with self._index.transaction() as db:
            db.execute(
                "UPDATE feed_follows SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?",
                (chat_id, thread_id),
            )

    def unfollow(self, chat_id: int, source_id: int) -> bool:
        """Stop a chat following a source (its seen items stay, so re-following re-briefs none)."""
        with self._index.transaction() as db:
            cursor = db.execute(
                "DELETE FROM feed_follows WHERE chat_id = ? AND source_id = ?", (chat_id, source_id)
            )
        return cursor.rowcount > 0

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's follows to its new id."""
        with self._index.transaction() as db:
            move_replacing(db, "feed_follows", ("source_id",), old_id, new_id)

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
