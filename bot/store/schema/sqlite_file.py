"""An SQLite index file brought to the current schema when it is opened.

A new file gets every table from the MetaData and is stamped with the Alembic head. A file
from before Alembic (no alembic_version table) is what the baseline revision describes,
minus the columns and tables added since it was first shipped: they are added in place, as
before, and the file is stamped with the baseline. A file stamped with an older revision is
upgraded by Alembic; one stamped by a newer briefbot is refused rather than guessed at.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import SchemaError

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlalchemy import Table

HEAD = "0005"  # the newest revision in bot/store/migrations/versions (a test holds them equal)
REVISIONS = ("0001", "0002", "0003", "0004", "0005")  # every revision, oldest first

# Alembic's own table, as Alembic creates it, so that Alembic reads our stamp.
_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)"""
# Columns added by a revision after the baseline: a file from before Alembic gets them from
# that revision, after being stamped with the baseline.
_MIGRATED = {("chat_articles", "id")}
# Filled in place when a file from before gains the column: what the column means there.
_BACKFILLS = {("feed_items", "last_seen_at"): "UPDATE feed_items SET last_seen_at = seen_at"}


@functools.cache
def statements() -> tuple[str, ...]:
    """Return the SQLite DDL of every table and index (IF NOT EXISTS), compiled once."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from bot.store.schema.search import SQLITE_FTS
    from bot.store.schema.tables import METADATA

    dialect = sqlite.dialect()
    made: list[str] = []
    for table in METADATA.sorted_tables:
        made.append(str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)).strip())
        made.extend(
            str(CreateIndex(ix, if_not_exists=True).compile(dialect=dialect))
            for ix in sorted(table.indexes, key=lambda ix: str(ix.name))
        )
    made.append(SQLITE_FTS)
    return tuple(made)


def stamped(db: sqlite3.Connection) -> str | None:
    """Return the file's Alembic revision, or None for a new file or one from before Alembic."""
    known = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    if db.execute(known).fetchone() is None:
        return None
    row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def ensure(db: sqlite3.Connection) -> None:
    """Bring the file to HEAD; `db` is in autocommit mode (isolation_level=None)."""
    version = stamped(db)
    if version == HEAD:
        return
    if version is None:
        version = _make_or_stamp(db)
        if version == HEAD:
            return
    refuse_unknown(version)
    _migrate(db)


def refuse_unknown(version: str) -> None:
    """Refuse a revision this briefbot does not know: a newer one wrote the database."""
    if version not in REVISIONS:
        raise SchemaError(
            f"The database was written by a newer briefbot (schema {version}; this one "
            f"knows up to {HEAD}). Upgrade briefbot, or restore a backup."
        )


def _make_or_stamp(db: sqlite3.Connection) -> str:
    """Make a new file whole (HEAD), or bring one from before Alembic to the baseline."""
    db.execute("BEGIN IMMEDIATE")  # two connections opening one new file: one makes it
    try:
        version = stamped(db)
        if version is None:
            new = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
            version = HEAD if new is None else REVISIONS[0]
            _upgrade_unstamped(db)
            for statement in statements():
                db.execute(statement)
            db.execute(_VERSION_TABLE)
            db.execute("INSERT INTO alembic_version VALUES (?)", (version,))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return version


def _migrate(db: sqlite3.Connection) -> None:
    """Run Alembic from the file's revision to HEAD, one process at a time."""
    from sqlalchemy import create_engine

    from bot.store.schema import versions

    path = Path(next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"))
    # Alembic reads the revision before it takes SQLite's write lock: without this lock two
    # processes opening the file at once would both run the same step. (flock, not SQLite's
    # own fcntl locks: the two never interfere.)
    with path.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (version := stamped(db)) != HEAD:
            log.warning("Upgrading %s from schema %s to %s (once; a large file takes a while)",
                        path, version, HEAD)  # fmt: skip
            engine = create_engine(f"sqlite:///{path}")
            try:
                versions.upgrade(engine)
            finally:
                engine.dispose()


def _upgrade_unstamped(db: sqlite3.Connection) -> None:
    """Add, in place, what a file from before Alembic lacks of the baseline's tables."""
    stances = _columns(db, "chat_stances")
    if stances and "dated" not in stances:
        # Keyed by arrival, from before publication dates: dropped, made anew and filled
        # from the history (Index's one-off fills) instead of altered.
        db.execute("DROP TABLE chat_stances")
        if _columns(db, "index_meta"):
            db.execute("DELETE FROM index_meta WHERE name = 'chat_stances'")
    from bot.store.schema.tables import METADATA

    for table in METADATA.sorted_tables:
        have = _columns(db, table.name)
        if not have:
            continue  # not made yet: CREATE TABLE makes it whole
        for column in table.columns:
            if column.name not in have and (table.name, column.name) not in _MIGRATED:
                db.execute(f"ALTER TABLE {table.name} ADD COLUMN {_spec(table, column.name)}")
                backfill = _BACKFILLS.get((table.name, column.name))
                if backfill:
                    db.execute(backfill)


def _spec(table: Table, name: str) -> str:
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateColumn

    return str(CreateColumn(table.c[name]).compile(dialect=sqlite.dialect())).strip()


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


def write_ahead(db: sqlite3.Connection, *, tries: int = 200) -> None:
    """Put the file in WAL mode (it stays so), waiting out another connection doing the same.

    Switching a new file's journal mode needs the file to itself, and SQLite answers "locked"
    at once instead of calling the busy handler, so connections opening one new file at the
    same moment (the bot and a terminal command) retry for up to ~2 s.
    """
    for _ in range(tries - 1):
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
        else:
            return
    db.execute("PRAGMA journal_mode=WAL")
