"""Where the bot sent an extractive briefing, so the full one can replace it in place."""

from __future__ import annotations

from bot.store.index import Index


class DegradedReplies:
    """Where the bot sent an extractive briefing, so the full one can replace it in place."""

    def __init__(self, index: Index) -> None:
        self._index = index
        # The chats with one on record: every full reply asks, most chats have none, and
        # then the answer needs no write transaction (on the event loop) to find out.
        rows = index.connection.execute("SELECT DISTINCT chat_id FROM degraded_replies")
        self._chats = {int(row["chat_id"]) for row in rows}

    def add(self, chat_id: int, article_hash: str, message_ids: list[int]) -> None:
        """Remember the messages of an extractive briefing sent to a chat."""
        with self._index.transaction() as db:
            db.execute(
                # An existing row keeps its rowid (OR REPLACE gave a new one): none is read.
                "INSERT INTO degraded_replies VALUES (?, ?, ?) ON CONFLICT (chat_id, article_hash) "
                "DO UPDATE SET message_ids = excluded.message_ids",
                (chat_id, article_hash, ",".join(str(m) for m in message_ids)),
            )
        self._chats.add(chat_id)

    def take(self, chat_id: int, article_hash: str) -> list[list[int]]:
        """Return and forget the chat's extractive replies for an article (one list per reply)."""
        if chat_id not in self._chats:
            return []
        with self._index.transaction() as db:
            rows = db.execute(
                "SELECT message_ids FROM degraded_replies WHERE chat_id = ? AND article_hash = ?",
                (chat_id, article_hash),
            ).fetchall()
            db.execute(
                "DELETE FROM degraded_replies WHERE chat_id = ? AND article_hash = ?",
                (chat_id, article_hash),
            )
        return [[int(m) for m in row["message_ids"].split(",") if m] for row in rows]
