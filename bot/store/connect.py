"""Opening the index database: an SQLite file (the default) or PostgreSQL, at the schema's head.

Both come back with the face the store's SQL is written for: sqlite3's Connection, in
autocommit mode with explicit transactions, rows by position and by name.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import cast

from bot.store.schema import sqlite_file


def connect(path: Path, database_url: str | None = None) -> sqlite3.Connection:
    """Open the database at the schema's head: PostgreSQL at `database_url`, else the file."""
    if database_url is not None:
        return _postgresql(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    # autocommit off + explicit transactions; WAL so the CLI can read while the bot writes.
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.row_factory = sqlite3.Row
    sqlite_file.write_ahead(db)
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a power cut may lose
    # the last commits but never corrupts the file, and a reply no longer waits for fsyncs.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=10000")
    # Up to 32 MB of pages kept (SQLite's default is 2 MB): /who for a chat's top actor
    # reads ~3,000 stances scattered over a years-long table, and the second asking
    # then finds them in memory (~30 % faster). Only pages actually read are kept.
    db.execute("PRAGMA cache_size=-32768")
    sqlite_file.ensure(db)  # made, upgraded in place or migrated: one schema for all
    return db


def read_only(path: Path) -> sqlite3.Connection:
    """Open the SQLite file read-only: a long read that WAL lets run while the bot writes."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    db.row_factory = sqlite3.Row
    return db


def _postgresql(url: str) -> sqlite3.Connection:
    # Imported here: PostgreSQL's driver is an optional extra (pip install 'briefbot[postgres]').
    from bot.store.pg_connection import PgConnection
    from bot.store.schema import postgres_db

    postgres_db.ensure(url)
    # PgConnection has the part of sqlite3.Connection's face the store uses (execute,
    # executemany, cursor, rows by name, rowcount, close): tests/unit/store/test_pg_connection.py.
    return cast("sqlite3.Connection", PgConnection(url))
