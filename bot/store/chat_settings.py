"""Per-chat choices that outlive a restart: auto-forwards, whether the digest carries its map.

Each is one short read or upsert; the `_off_loop` forms run it on the database thread, for
handlers and the digest on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.chat_moves import move_replacing
from bot.store.index import Index


@dataclass(frozen=True)
class AutoForwards:
    """A discussion group's opt-in to briefing its linked channel's posts."""

    enabled: bool
    set_by: int | None  # the person who opted in (None: an anonymous admin, judged by chat)


class ChatSettings:
    """Chat settings in their own table of the index database."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def auto_forwards(self, chat_id: int) -> AutoForwards:
        """Return the chat's auto-forward setting (off unless someone opted in)."""
        return _auto_forwards(self._index, chat_id)

    async def auto_forwards_off_loop(self, chat_id: int) -> AutoForwards:
        """Return the chat's auto-forward setting, read on the database thread."""
        return await self._index.run(_auto_forwards, chat_id)

    def set_auto_forwards(self, chat_id: int, *, enabled: bool, set_by: int | None) -> None:
        """Opt the chat in to (or out of) briefing its linked channel's auto-forwards."""
        _set_auto_forwards(self._index, chat_id, enabled, set_by)

    async def set_auto_forwards_off_loop(
        self, chat_id: int, *, enabled: bool, set_by: int | None
    ) -> AutoForwards:
        """Opt the chat in or out on the database thread; return the setting as it now is."""
        return await self._index.run(_set_auto_forwards, chat_id, enabled, set_by)

    def digest_pictures(self, chat_id: int) -> bool:
        """Tell whether the chat's digest starts with the map of its period (off by default)."""
        return _digest_pictures(self._index, chat_id)

    async def digest_pictures_off_loop(self, chat_id: int) -> bool:
        """Tell whether the chat's digest starts with its map, read on the database thread."""
        return await self._index.run(_digest_pictures, chat_id)

    def set_digest_pictures(self, chat_id: int, *, enabled: bool) -> None:
        """Turn the map at the start of the chat's digest on or off."""
        _set_digest_pictures(self._index, chat_id, enabled)

    async def set_digest_pictures_off_loop(self, chat_id: int, *, enabled: bool) -> None:
        """Turn the chat's digest map on or off, on the database thread."""
        await self._index.run(_set_digest_pictures, chat_id, enabled)

    def migrate(self, old_id: int, new_id: int) -> None:
        """Move the settings to the chat's new id (a group upgraded to a supergroup)."""
        with self._index.transaction() as db:
            move_replacing(db, "chat_settings", (), old_id, new_id)


def _auto_forwards(index: Index, chat_id: int) -> AutoForwards:
    row = index.connection.execute(
        "SELECT auto_forwards, set_by FROM chat_settings WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    if row is None:
        return AutoForwards(enabled=False, set_by=None)
    return AutoForwards(enabled=bool(row["auto_forwards"]), set_by=row["set_by"])


def _set_auto_forwards(
    index: Index, chat_id: int, enabled: bool, set_by: int | None
) -> AutoForwards:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO chat_settings (chat_id, auto_forwards, set_by) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET auto_forwards = excluded.auto_forwards, "
            "set_by = excluded.set_by",
            (chat_id, int(enabled), set_by),
        )
    return AutoForwards(enabled=enabled, set_by=set_by)


def _digest_pictures(index: Index, chat_id: int) -> bool:
    row = index.connection.execute(
        "SELECT digest_pictures FROM chat_settings WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    return bool(row and row["digest_pictures"])


def _set_digest_pictures(index: Index, chat_id: int, enabled: bool) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO chat_settings (chat_id, digest_pictures) VALUES (?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET digest_pictures = excluded.digest_pictures",
            (chat_id, int(enabled)),
        )
