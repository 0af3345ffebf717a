"""The data directory's files as rows of the index's blobs table, for a store on PostgreSQL.

The stores that keep files under BOT_DATA_DIR (briefing_cache.py's, the fetch cache, the
picture cache) keep the same bytes here when the index is on PostgreSQL, so a process
needs no disk of its own. A blob's kind is the folder its file would be in (`articles`,
`briefings`…), its key the file's name, its time the file's mtime: what pruning reads.

Blobs has one connection of its own, opened on first use, and every call is one statement
in autocommit mode: a write is durable when the call returns (the commit is the fsync),
and never joins or waits on a transaction of the index's. Calls come from worker threads
(asyncio.to_thread), the index's database thread and the CLI, so a lock takes them one at
a time, as psycopg would. On PostgreSQL the connection replaces itself when the server
drops it (pg_connection.py: a call runs again on a new one); a call that still fails
raises BlobError, an OSError, so that callers treat an unreachable database as they treat
a failing disk, and Index.run, seeing the lost connection under it, waits for the server.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from bot.errors import BriefbotError
from bot.store.chat_queries import iso  # written_at: the index's time text, compared as text
from bot.store.outage import ConnectionLostError, lost

# Keys per IN (...) list: SQLite allows 32,766 parameters, PostgreSQL 65,535.
_CHUNK = 500


class BlobError(BriefbotError, OSError):
    """The blobs table could not be read or written (what a failing disk is to a file store)."""


def _now() -> datetime:
    return datetime.now(UTC)


class Blobs:
    """Byte strings by (kind, key) in the blobs table, on either engine."""

    def __init__(
        self,
        opener: Callable[[], sqlite3.Connection],
        errors: tuple[type[Exception], ...],
        *,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._opener = opener
        self._errors = errors  # the driver's: what a failed call raises
        self._clock = clock  # written_at: the bot's wall clock, as a file's mtime
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @classmethod
    def on_postgresql(cls, url: str, *, clock: Callable[[], datetime] = _now) -> Blobs:
        """Return the blobs of the PostgreSQL database at `url` (already at the schema's head)."""
        import psycopg  # the optional driver: only a store on PostgreSQL needs it

        from bot.store.pg_connection import PgConnection

        def opener() -> sqlite3.Connection:
            return cast("sqlite3.Connection", PgConnection(url))  # sqlite3's face

        return cls(opener, (psycopg.Error, ConnectionLostError), clock=clock)

    @classmethod
    def in_sqlite(cls, path: Path, *, clock: Callable[[], datetime] = _now) -> Blobs:
        """Return the blobs of an SQLite index file that Index has opened (the bot keeps files).

        The same table on SQLite, for tests that hold both engines to one behaviour and for
        tools that move a data directory's files into it.
        """

        def opener() -> sqlite3.Connection:
            # A write waits up to 10 s for another connection's (the index's), as Index's does.
            return sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)

        return cls(opener, (sqlite3.Error,), clock=clock)

    def shelf(self, kind: str) -> Shelf:
        """Return the blobs of one kind: what one folder of the data directory would hold."""
        return Shelf(self, kind)

    def close(self) -> None:
        """Close the connection, if one was opened (a later call opens another)."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._db is not None:
            with contextlib.suppress(*self._errors):
                self._db.close()
            self._db = None

    def _run(self, sql: str, params: Sequence[Any]) -> tuple[list[Any], int]:
        """Run one statement; return its rows and how many rows it changed."""
        with self._lock:
            try:
                if self._db is None:
                    self._db = self._opener()
                cursor = self._db.execute(sql, params)
                return cursor.fetchall(), cursor.rowcount
            except self._errors as exc:
                if not lost(exc):  # a lost one heals itself, and keeps trying on the next call
                    self._drop()
                raise BlobError(f"blobs table: {exc}") from exc

    def get(self, kind: str, key: str) -> bytes | None:
        """Return the blob's bytes, or None when there is none."""
        rows, _ = self._run("SELECT body FROM blobs WHERE kind = ? AND key = ?", (kind, key))
        return bytes(rows[0][0]) if rows else None

    def put(self, kind: str, key: str, body: bytes) -> None:
        """Store `body` under the key, replacing what was there (a file written anew)."""
        self._run(
            """INSERT INTO blobs (kind, key, body, written_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (kind, key) DO UPDATE
               SET body = excluded.body, written_at = excluded.written_at""",
            (kind, key, body, iso(self._clock())),
        )

    def add(self, kind: str, key: str, body: bytes) -> bool:
        """Store `body` unless the key has one (content-addressed: it is already right)."""
        _, added = self._run(
            """INSERT INTO blobs (kind, key, body, written_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (kind, key) DO NOTHING""",
            (kind, key, body, iso(self._clock())),
        )
        return added > 0

    def delete(self, kind: str, key: str) -> bool:
        """Delete the blob; tell whether there was one."""
        _, deleted = self._run("DELETE FROM blobs WHERE kind = ? AND key = ?", (kind, key))
        return deleted > 0

    def prune(self, kind: str, before: datetime) -> int:
        """Delete the blobs of a kind written before `before`; count them."""
        _, deleted = self._run(
            "DELETE FROM blobs WHERE kind = ? AND written_at < ?", (kind, iso(before))
        )
        return deleted

    def keep_newest(self, kind: str, count: int) -> int:
        """Delete all but the `count` newest blobs of a kind; count those deleted."""
        _, deleted = self._run(
            """DELETE FROM blobs WHERE kind = ? AND written_at <= (
                   SELECT written_at FROM blobs WHERE kind = ?
                   ORDER BY written_at DESC LIMIT 1 OFFSET ?)""",
            (kind, kind, count),
        )
        return deleted

    def sizes(self) -> dict[str, int]:
        """Return the bytes held by each kind (as the files would measure)."""
        rows, _ = self._run("SELECT kind, SUM(LENGTH(body)) FROM blobs GROUP BY kind", ())
        return {str(kind): int(size) for kind, size in rows}

    def size(self, kind: str, keys: Iterable[str]) -> int:
        """Return the bytes held by these keys of a kind (absent ones count nothing)."""
        wanted, total = list(keys), 0
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(part))
            rows, _ = self._run(
                f"SELECT SUM(LENGTH(body)) FROM blobs WHERE kind = ? AND key IN ({marks})",  # noqa: S608
                (kind, *part),
            )
            total += int(rows[0][0] or 0)
        return total


@dataclass(frozen=True)
class Shelf:
    """The blobs of one kind: a folder of the data directory, as rows."""

    blobs: Blobs
    kind: str

    def get(self, key: str) -> bytes | None:
        """Return the blob's bytes, or None."""
        return self.blobs.get(self.kind, key)

    def put(self, key: str, body: bytes) -> None:
        """Store `body` under the key, replacing what was there."""
        self.blobs.put(self.kind, key, body)

    def add(self, key: str, body: bytes) -> bool:
        """Store `body` unless the key has one; tell whether it was stored."""
        return self.blobs.add(self.kind, key, body)

    def prune(self, before: datetime) -> int:
        """Delete the blobs written before `before`; count them."""
        return self.blobs.prune(self.kind, before)

    def keep_newest(self, count: int) -> int:
        """Delete all but the `count` newest blobs; count those deleted."""
        return self.blobs.keep_newest(self.kind, count)
