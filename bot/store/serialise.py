"""One writer at a time for a named check-and-write, across every process on the database.

A budget or a rate limit reads what was spent and then writes its own share: two
processes doing that at once would both see the same headroom. On PostgreSQL the
transaction takes an advisory lock on the name (released at its COMMIT or ROLLBACK), so
only the same name waits; on SQLite the transaction's BEGIN IMMEDIATE already holds the
file's write lock, which serialises every writer.
"""

from __future__ import annotations

import hashlib
import sqlite3

from bot.store import dialect


def lock_key(name: str) -> int:
    """Return the advisory lock key of `name`: signed 64-bit, the same in every process.

    Not hash(): Python salts it per process, and the processes must agree.
    """
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def serialise(db: sqlite3.Connection, name: str) -> None:
    """Hold `name` until the open transaction ends (PostgreSQL; SQLite's writers queue anyway)."""
    if dialect.on_postgresql(db):
        db.execute("SELECT pg_advisory_xact_lock(?)", (lock_key(name),))
