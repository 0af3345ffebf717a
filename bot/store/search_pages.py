"""The queries behind /search's page buttons: a button carries a number, not the query.

Telegram allows 64 bytes of callback data; a query can be longer, so a button names a row
here and its page. Only the latest searches are kept: an older button gets a clear answer.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.store.chat_queries import iso

KEPT = 5000  # searches whose buttons still work (a few hundred KB)


def remember(db: sqlite3.Connection, chat_id: int, query: str, at: datetime) -> int:
    """Keep a search's query text; return the number its buttons carry."""
    number = int(
        db.execute(
            "INSERT INTO search_pages (chat_id, query, asked_at) VALUES (?, ?, ?) RETURNING id",
            (chat_id, query, iso(at)),
        ).fetchall()[0][0]
    )
    db.execute("DELETE FROM search_pages WHERE id <= ?", (number - KEPT,))
    return number


def recall(db: sqlite3.Connection, chat_id: int, number: int) -> str | None:
    """Return the query a button of this chat names, or None when it is gone or not this chat's."""
    found = db.execute(
        "SELECT query FROM search_pages WHERE id = ? AND chat_id = ?", (number, chat_id)
    ).fetchone()
    return None if found is None else str(found[0])


def migrate(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Carry a chat's recent searches over to its new id (its buttons keep working)."""
    db.execute("UPDATE search_pages SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
