"""Moving windows of hits kept in the database, so every process counts the same hits.

The rate limits of one process live in its memory (bot/telegram/access.py); processes
sharing a PostgreSQL database keep theirs here instead, as rows of `rate_hits`. Each
check-and-insert holds its (scope, key) for the transaction (serialise.py), so two
processes cannot both take the last hit of a window. Hits older than the window are
deleted by the next check of the same key, and every PRUNE_EVERY checks those of every key
of the scope (a scope has one window), so keys nobody checks again do not pile up. The
event loop's checks and refunds run on the database thread (the *_off_loop methods).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot.store.index import Index, iso
from bot.store.leases import Clock, utc_now
from bot.store.serialise import serialise

PRUNE_EVERY = 1000


class RateHits:
    """Count, refund and prune hits per (scope, key) in the `rate_hits` table.

    Wall-clock time, not monotonic: the processes compare each other's timestamps.
    """

    def __init__(self, index: Index, *, clock: Clock = utc_now) -> None:
        self._index = index
        self._clock = clock
        self._checks: Counter[str] = Counter()

    def try_hit(self, scope: str, key: str, limit: int, window_s: float) -> float | None:
        """Count one hit unless `limit` are in the window; else return the seconds to wait."""
        return self._hit(self._index, scope, key, limit, window_s, self._clock())

    async def try_hit_off_loop(
        self, scope: str, key: str, limit: int, window_s: float
    ) -> float | None:
        """Count one hit as `try_hit` does, on the database thread (Index.run)."""
        return await self._index.run(self._hit, scope, key, limit, window_s, self._clock())

    def refund(self, scope: str, key: str) -> None:
        """Give back the latest hit of (scope, key) (the work it paid for failed)."""
        _refund(self._index, scope, key)

    async def refund_off_loop(self, scope: str, key: str) -> None:
        """Give back the latest hit of (scope, key), on the database thread."""
        await self._index.run(_refund, scope, key)

    def _hit(  # noqa: PLR0917 - one window's check, on whichever store runs it
        self, index: Index, scope: str, key: str, limit: int, window_s: float, now: datetime
    ) -> float | None:
        # Run again after a lost COMMIT answer, it counts one hit too many: a user may wait
        # a little early, never get more than the limit.
        start = iso(now - timedelta(seconds=window_s))
        with index.transaction() as db:
            serialise(db, f"rate:{scope}:{key}")
            self._checks[scope] += 1
            if self._checks[scope] % PRUNE_EVERY == 0:  # every key's old hits, now and then
                db.execute("DELETE FROM rate_hits WHERE scope = ? AND at <= ?", (scope, start))
            else:
                db.execute(
                    "DELETE FROM rate_hits WHERE scope = ? AND key = ? AND at <= ?",
                    (scope, key, start),
                )
            count, oldest = db.execute(
                "SELECT COUNT(*), MIN(at) FROM rate_hits WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if count >= limit:
                frees = datetime.fromisoformat(oldest) + timedelta(seconds=window_s)
                return (frees - now).total_seconds()
            db.execute(
                "INSERT INTO rate_hits (scope, key, at) VALUES (?, ?, ?)", (scope, key, iso(now))
            )
        return None


def _refund(index: Index, scope: str, key: str) -> None:
    # Run again after a lost COMMIT answer, it gives back two hits: a user may get one more.
    with index.transaction() as db:
        serialise(db, f"rate:{scope}:{key}")
        db.execute(
            "DELETE FROM rate_hits WHERE id = (SELECT id FROM rate_hits "
            "WHERE scope = ? AND key = ? ORDER BY at DESC, id DESC LIMIT 1)",
            (scope, key),
        )
