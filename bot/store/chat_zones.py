"""Each chat's time zone for the dates it reads: its /tz, else its daily digest's zone, else UTC."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.schedule import ScheduleError, parse_timezone
from bot.render.dates import DateStyle
from bot.store.chat_moves import move_replacing
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore

_UTC = ZoneInfo("UTC")


def zone_in(index: Index, chat_id: int) -> ZoneInfo:
    """Read the chat's zone from this connection: its /tz, else its digest's zone, else UTC."""
    db = index.connection
    row = db.execute("SELECT tz FROM chat_zones WHERE chat_id = ?", (chat_id,)).fetchone()
    if row is None:
        row = db.execute(
            "SELECT tz FROM digest_subscriptions WHERE chat_id = ?", (chat_id,)
        ).fetchone()
    try:
        return parse_timezone(str(row["tz"])) if row is not None else _UTC
    except ScheduleError:  # a zone the tz database dropped since: as if none was set
        return _UTC


def style_in(index: Index, chat_id: int, now: datetime) -> DateStyle:
    """Read how the chat reads dates at `now` from this connection."""
    return DateStyle.at(zone_in(index, chat_id), now)


class ChatZones:
    """The time zone each chat reads its dates in."""

    def __init__(self, index: Index, subscriptions: SubscriptionStore) -> None:
        # The subscriptions' table must exist before a chat's zone is read from it.
        self._index, self._subscriptions = index, subscriptions
        # Zones read once per chat: a reply's dates need no database round trip. Only /tz and
        # /digest on change them, in this process, and they call forget().
        self._known: dict[int, ZoneInfo] = {}

    def chosen(self, chat_id: int) -> ZoneInfo | None:
        """Return the zone the chat set with /tz, or None."""
        return chosen_in(self._index, chat_id)

    async def zones_off_loop(self, chat_id: int) -> tuple[ZoneInfo, ZoneInfo | None]:
        """Return the chat's zone and the one it set with /tz (or None), read off the loop."""
        return await self._index.run(_both, chat_id)

    def zone(self, chat_id: int) -> ZoneInfo:
        """Return the chat's zone: its /tz, else its digest's zone, else UTC."""
        return zone_in(self._index, chat_id)

    def style(self, chat_id: int, now: datetime) -> DateStyle:
        """Return how the chat reads dates at `now`."""
        return style_in(self._index, chat_id, now)

    async def style_off_loop(self, chat_id: int, now: datetime) -> DateStyle:
        """Return how the chat reads dates, read on the database thread (never blocks the loop)."""
        # On PostgreSQL another process may have taken the /tz: read each time there.
        zone = self._known.get(chat_id) if self._index.engine == "sqlite" else None
        if zone is None:
            zone = self._known[chat_id] = await self._index.run(zone_in, chat_id)
        return DateStyle.at(zone, now)

    def forget(self, chat_id: int) -> None:
        """Drop the chat's remembered zone (its /tz or its digest's zone changed)."""
        self._known.pop(chat_id, None)

    def set(self, chat_id: int, zone: ZoneInfo) -> None:
        """Store the chat's zone."""
        _store(self._index, chat_id, zone.key)
        self.forget(chat_id)

    async def set_off_loop(self, chat_id: int, zone: ZoneInfo) -> None:
        """Store the chat's zone, on the database thread."""
        await self._index.run(_store, chat_id, zone.key)
        self.forget(chat_id)

    def migrate(self, old_id: int, new_id: int) -> None:
        """Move the zone to the chat's new id (a group upgraded to a supergroup)."""
        with self._index.transaction() as db:
            move_replacing(db, "chat_zones", (), old_id, new_id)
        self.forget(old_id)
        self.forget(new_id)


def chosen_in(index: Index, chat_id: int) -> ZoneInfo | None:
    """Read the zone the chat set with /tz, or None, from this connection."""
    row = index.connection.execute(
        "SELECT tz FROM chat_zones WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    if row is None:
        return None
    try:
        return parse_timezone(str(row["tz"]))
    except ScheduleError:  # a zone the tz database dropped since: as if none was set
        return None


def _both(index: Index, chat_id: int) -> tuple[ZoneInfo, ZoneInfo | None]:
    return zone_in(index, chat_id), chosen_in(index, chat_id)


def _store(index: Index, chat_id: int, key: str) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO chat_zones VALUES (?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET tz = excluded.tz",
            (chat_id, key),
        )
