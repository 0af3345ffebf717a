"""Digest subscriptions, stored in the index so they survive restarts (and are shared)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.digest.schedule import parse_timezone, rebase_last_date
from bot.store.chat_moves import move_replacing
from bot.store.index import Index, iso

# ISO dates (YYYY-MM-DD) sort as text in date order, so SQLite can compare them directly.
_FORWARD_ONLY = "chat_id = ? AND (last_date IS NULL OR last_date < ?)"
# The day moves forward only, and the last send only later (see mark_sent).
_LATER = "CASE WHEN last_sent_at IS NULL OR last_sent_at < ? THEN ? ELSE last_sent_at END"
_MARK_SENT = (
    "UPDATE digest_subscriptions SET last_date = ?, "  # noqa: S608 - constants only
    f"last_sent_at = {_LATER} WHERE {_FORWARD_ONLY}"
)


@dataclass(frozen=True)
class Subscription:
    """One chat's daily digest: when, in which zone, and what was last sent."""

    chat_id: int
    at: time
    tz: str
    subscribed_at: datetime
    last_date: date | None
    last_sent_at: datetime | None
    enabled: bool
    thread_id: int | None = None  # the forum topic the digest goes to; None: the chat itself
    subscriber_id: int | None = None  # who subscribed; None: an anonymous admin or a channel
    paused: bool = False  # no longer allowed: kept, not sent, resumed when access returns

    @property
    def zone(self) -> ZoneInfo:
        """Return the subscription's time zone."""
        return ZoneInfo(self.tz)


class SubscriptionStore:
    """Subscriptions in their own table of the index database; each call is one transaction."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._db = index.connection

    # The scheduler's calls, on the database thread: the event loop never waits for them. Each
    # is one transaction or a read, harmless run twice (a retry after an outage): the writes
    # set a value or move last_date forward only, so a second run changes nothing (and says
    # False where the first said True: at worst a warning or a log line less).

    async def enabled_off_loop(self) -> list[Subscription]:
        """Run `enabled` off the event loop."""
        return await self._index.run(lambda index: SubscriptionStore(index).enabled())

    async def get_off_loop(self, chat_id: int) -> Subscription | None:
        """Run `get` off the event loop."""
        return await self._index.run(lambda index: SubscriptionStore(index).get(chat_id))

    async def mark_sent_off_loop(
        self, chat_id: int, local_date: date, sent_at: datetime, *, tz: str | None = None
    ) -> bool:
        """Run `mark_sent` off the event loop."""
        return await self._index.run(
            lambda index: SubscriptionStore(index).mark_sent(chat_id, local_date, sent_at, tz=tz)
        )

    async def mark_skipped_off_loop(self, chat_id: int, local_date: date) -> bool:
        """Run `mark_skipped` off the event loop."""
        return await self._index.run(
            lambda index: SubscriptionStore(index).mark_skipped(chat_id, local_date)
        )

    async def set_paused_off_loop(self, chat_id: int, *, paused: bool) -> bool:
        """Run `set_paused` off the event loop."""
        return await self._index.run(
            lambda index: SubscriptionStore(index).set_paused(chat_id, paused=paused)
        )

    async def move_to_chat_off_loop(self, chat_id: int) -> None:
        """Run `move_to_chat` off the event loop."""
        await self._index.run(lambda index: SubscriptionStore(index).move_to_chat(chat_id))

    async def unsubscribe_off_loop(self, chat_id: int) -> bool:
        """Run `unsubscribe` off the event loop."""
        return await self._index.run(lambda index: SubscriptionStore(index).unsubscribe(chat_id))

    async def subscribe_off_loop(
        self,
        chat_id: int,
        at: time,
        tz: str,
        now: datetime,
        *,
        thread_id: int | None = None,
        subscriber_id: int | None = None,
    ) -> Subscription:
        """Run `subscribe` off the event loop (/digest on, at or in a zone)."""
        return await self._index.run(
            lambda index: SubscriptionStore(index).subscribe(
                chat_id, at, tz, now, thread_id=thread_id, subscriber_id=subscriber_id
            )
        )

    def subscribe(
        self,
        chat_id: int,
        at: time,
        tz: str,
        now: datetime,
        *,
        thread_id: int | None = None,
        subscriber_id: int | None = None,
    ) -> Subscription:
        """Subscribe or change the time/zone/topic; keeps last_date (rebased on a zone change)."""
        zone = parse_timezone(tz)  # raises ScheduleError for a zone users cannot have meant
        new = Subscription(
            chat_id, at.replace(tzinfo=None), str(zone), now, None, None, enabled=True,
            thread_id=thread_id, subscriber_id=subscriber_id,
        )  # fmt: skip
        with self._index.transaction() as db:
            if (old := _row(db, chat_id)) is not None:
                last_date = old.last_date
                if old.tz != new.tz:
                    # last_date is a date in the old calendar; see digest/schedule.py's docstring.
                    last_date = rebase_last_date(last_date, old.last_sent_at, zone)
                new = replace(new, last_date=last_date, last_sent_at=old.last_sent_at)
            # The whole row anew, as `new` has it: `paused` too, which the VALUES leave to
            # its default (a subscription made now is not paused).
            db.execute(
                "INSERT INTO digest_subscriptions (chat_id, at, tz, subscribed_at, "
                "last_date, last_sent_at, enabled, thread_id, subscriber_id) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "at = excluded.at, tz = excluded.tz, subscribed_at = excluded.subscribed_at, "
                "last_date = excluded.last_date, last_sent_at = excluded.last_sent_at, "
                "enabled = excluded.enabled, thread_id = excluded.thread_id, "
                "subscriber_id = excluded.subscriber_id, paused = 0",
                (chat_id, new.at.isoformat(), new.tz, iso(now),
                 new.last_date.isoformat() if new.last_date else None,
                 iso(new.last_sent_at) if new.last_sent_at else None, thread_id, subscriber_id),
            )  # fmt: skip
        return new

    def unsubscribe(self, chat_id: int) -> bool:
        """Disable the chat's digest (the row stays, so last_date still guards re-subscribing)."""
        with self._index.transaction() as db:
            cursor = db.execute(
                "UPDATE digest_subscriptions SET enabled = 0 WHERE chat_id = ? AND enabled = 1",
                (chat_id,),
            )
        return cursor.rowcount > 0

    def migrate(self, old_id: int, new_id: int) -> None:
        """Move a subscription to the chat's new id (a group upgraded to a supergroup)."""
        with self._index.transaction() as db:
            move_replacing(db, "digest_subscriptions", (), old_id, new_id)

    def set_paused(self, chat_id: int, *, paused: bool) -> bool:
        """Pause or resume a digest for access reasons; return True if that changed it."""
        with self._index.transaction() as db:
            cursor = db.execute(
                "UPDATE digest_subscriptions SET paused = ? WHERE chat_id = ? AND paused != ?",
                (int(paused), chat_id, int(paused)),
            )
        return cursor.rowcount > 0

    def move_to_chat(self, chat_id: int) -> None:
        """Deliver the chat's digest outside any topic (its topic was deleted)."""
        with self._index.transaction() as db:
            db.execute(
                "UPDATE digest_subscriptions SET thread_id = NULL WHERE chat_id = ?", (chat_id,)
            )

    def get(self, chat_id: int) -> Subscription | None:
        """Return the chat's subscription, enabled or not."""
        return _row(self._db, chat_id)

    def enabled(self) -> list[Subscription]:
        """List every enabled subscription, by chat id."""
        rows = self._db.execute(
            "SELECT * FROM digest_subscriptions WHERE enabled = 1 ORDER BY chat_id"
        ).fetchall()
        return [_subscription(r) for r in rows]

    def mark_sent(
        self, chat_id: int, local_date: date, sent_at: datetime, *, tz: str | None = None
    ) -> bool:
        """Record a sent digest; return False unless it moved last_date forward.

        `tz` is the zone the send was decided in. If the chat changed zone meanwhile, the
        day is counted in the new zone's calendar, so the new zone can't send again that day.
        """
        with self._index.transaction() as db:
            row = _row(db, chat_id)
            if row is None:
                return False
            if tz is not None and tz != row.tz:
                local_date = sent_at.astimezone(row.zone).date()
            # Compare-and-set, not the row just read: on PostgreSQL another process may store
            # its own digest between that read and this write (READ COMMITTED), and the day
            # must still only move forward, the last send only later.
            day, at = local_date.isoformat(), iso(sent_at)
            moved = db.execute(_MARK_SENT, (day, at, at, chat_id, day)).rowcount
            if not moved:
                db.execute(
                    "UPDATE digest_subscriptions SET last_sent_at = ? "
                    "WHERE chat_id = ? AND (last_sent_at IS NULL OR last_sent_at < ?)",
                    (at, chat_id, at),
                )
        return moved > 0

    def mark_skipped(self, chat_id: int, local_date: date) -> bool:
        """Record a day given up on (too late); False unless it moves last_date forward."""
        with self._index.transaction() as db:
            cursor = db.execute(
                f"UPDATE digest_subscriptions SET last_date = ? WHERE {_FORWARD_ONLY}",  # noqa: S608
                (local_date.isoformat(), chat_id, local_date.isoformat()),
            )
        return cursor.rowcount > 0


def _row(db: sqlite3.Connection, chat_id: int) -> Subscription | None:
    row = db.execute("SELECT * FROM digest_subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()
    return _subscription(row) if row else None


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        chat_id=row["chat_id"],
        at=time.fromisoformat(row["at"]),
        tz=row["tz"],
        subscribed_at=datetime.fromisoformat(row["subscribed_at"]),
        last_date=date.fromisoformat(row["last_date"]) if row["last_date"] else None,
        last_sent_at=datetime.fromisoformat(row["last_sent_at"]) if row["last_sent_at"] else None,
        enabled=bool(row["enabled"]),
        thread_id=row["thread_id"],
        subscriber_id=row["subscriber_id"],
        paused=bool(row["paused"]),
    )
