"""Where the bot sent an extractive briefing, so the full one can replace it in place."""

from __future__ import annotations

from bot.store.index import Index


class DegradedReplies:
    """Where the bot sent an extractive briefing, so the full one can replace it in place.

    Read and written on the database thread, off the event loop.
    """

    def __init__(self, index: Index) -> None:
        self._index = index
        # The chats with one on record: every full reply asks, most chats have none, and
        # then the answer needs no write transaction to find out. SQLite only: on
        # PostgreSQL another process may have sent the extractive reply, so it is asked.
        self._chats: set[int] | None = None
        if index.engine == "sqlite":
            rows = index.connection.execute("SELECT DISTINCT chat_id FROM degraded_replies")
            self._chats = {int(row["chat_id"]) for row in rows}

    async def add(self, chat_id: int, article_hash: str, message_ids: list[int]) -> None:
        """Remember the messages of an extractive briefing sent to a chat."""
        await self._index.run(record_reply, chat_id, article_hash, message_ids)
        if self._chats is not None:
            self._chats.add(chat_id)

    async def take(self, chat_id: int, article_hash: str) -> list[list[int]]:
        """Return and forget the chat's extractive replies for an article (one list per reply)."""
        if self._chats is not None and chat_id not in self._chats:
            return []
        return await self._index.run(_take, chat_id, article_hash)


def record_reply(index: Index, chat_id: int, article_hash: str, message_ids: list[int]) -> None:
    """Remember an extractive reply's messages (the work of `DegradedReplies.add`)."""
    with index.transaction() as db:
        db.execute(
            # An existing row keeps its rowid (OR REPLACE gave a new one): none is read.
            "INSERT INTO degraded_replies VALUES (?, ?, ?) ON CONFLICT (chat_id, article_hash) "
            "DO UPDATE SET message_ids = excluded.message_ids",
            (chat_id, article_hash, ",".join(str(m) for m in message_ids)),
        )


def _take(index: Index, chat_id: int, article_hash: str) -> list[list[int]]:
    with index.transaction() as db:
        rows = db.execute(
            "SELECT message_ids FROM degraded_replies WHERE chat_id = ? AND article_hash = ?",
            (chat_id, article_hash),
        ).fetchall()
        db.execute(
            "DELETE FROM degraded_replies WHERE chat_id = ? AND article_hash = ?",
            (chat_id, article_hash),
        )
    return [[int(m) for m in row["message_ids"].split(",") if m] for row in rows]
