"""A chat's rows moved to its new id (a group upgraded to a supergroup), in portable SQL.

The new id may already have a row with the same key as one being moved. SQLite's
UPDATE OR IGNORE and UPDATE OR REPLACE settled that in one word; PostgreSQL has neither, so
the two rules are spelled out here, each for a table's key without its chat_id (`key`).
Table and column names are the store's own, never input.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def _same_key(table: str, other: str, key: Sequence[str]) -> str:
    return "".join(f" AND {other}.{column} = {table}.{column}" for column in key)


def move_keeping_new(
    db: sqlite3.Connection, table: str, key: Sequence[str], old_id: int, new_id: int
) -> None:
    """Move the chat's rows whose key the new id does not have yet (UPDATE OR IGNORE).

    The others stay under the old id: deleted next, or left, as the caller decides.
    """
    same = _same_key(table, "there", key)
    db.execute(
        f"""UPDATE {table} SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS (
            SELECT 1 FROM {table} there WHERE there.chat_id = ?{same})""",  # noqa: S608
        (new_id, old_id, new_id),
    )


def move_replacing(
    db: sqlite3.Connection, table: str, key: Sequence[str], old_id: int, new_id: int
) -> None:
    """Move all the chat's rows; the new id's rows with a moved row's key go (UPDATE OR REPLACE)."""
    if old_id == new_id:  # every row would be its own clash: nothing moves, nothing goes
        return
    same = _same_key(table, "moving", key)
    db.execute(
        f"""DELETE FROM {table} WHERE chat_id = ? AND EXISTS (
            SELECT 1 FROM {table} moving WHERE moving.chat_id = ?{same})""",  # noqa: S608
        (new_id, old_id),
    )
    db.execute(f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))  # noqa: S608
