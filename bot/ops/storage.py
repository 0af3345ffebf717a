"""The storage report: bytes per kind in BOT_DATA_DIR, and the chats and sources using most.

With the index on PostgreSQL the kinds are the blobs table's (the bytes its rows hold, as
the files would measure) and the index database is the rest of the database.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.render.plural import counted
from bot.store.index import Index

# Top-level entries of BOT_DATA_DIR, by what they hold.
KINDS = {
    "briefings": "briefings cache",
    "articles": "article texts",
    "fetched": "fetch cache",
    "digests": "digests cache",
}
DATABASE = "index database"
# Tables of the index database grouped by what they are for (the rest: briefings, history).
TABLE_GROUPS = {
    "feed bookkeeping": ("feed_items", "feed_deliveries", "feed_sources", "feed_follows"),
    "events": ("events", "llm_usage"),
    "jobs": ("pending_jobs", "degraded_replies"),
}
_KILO = 1000
# PostgreSQL's bytes per table, indexes and TOAST included (its dbstat).
_PG_TABLES = """SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
                WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"""
_PG_DATABASE = """SELECT pg_database_size(current_database())
                         - pg_total_relation_size('blobs'::regclass)"""
# Bytes of pages per table, from SQLite's dbstat (PostgreSQL: pg_total_relation_size).
_SQLITE_PAGES = """SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s
    JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name"""


@dataclass(frozen=True)
class Storage:
    """Bytes per kind, the database by table group, the chats and sources using most."""

    kinds: list[tuple[str, int]]
    tables: list[tuple[str, int]]
    chats: list[tuple[int, int, int]]  # chat id, articles, bytes of their texts
    sources: list[tuple[str, int, int]]  # title, items remembered, bytes of their texts
    place: str = "the data directory"  # where it all is: "the database" on PostgreSQL

    @property
    def total(self) -> int:
        """Return the bytes of the whole data directory (or database)."""
        return sum(size for _kind, size in self.kinds)

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain JSON data."""
        return asdict(self) | {"total": self.total}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for entry in path.rglob("*"):
        try:
            total += entry.stat().st_size if entry.is_file() else 0
        except FileNotFoundError:  # pruned or replaced while we looked
            continue
    return total


def _kinds(data_dir: Path) -> list[tuple[str, int]]:
    sizes: dict[str, int] = dict.fromkeys([*KINDS.values(), DATABASE, "other"], 0)
    for entry in data_dir.iterdir() if data_dir.exists() else ():
        kind = KINDS.get(entry.name)
        if kind is None:
            kind = DATABASE if entry.name.startswith("index.sqlite3") else "other"
        sizes[kind] += _size(entry)
    return list(sizes.items())


def _texts(data_dir: Path, hashes: list[str]) -> int:
    total = 0
    for content_hash in hashes:
        path = data_dir / "articles" / content_hash[:2] / f"{content_hash}.txt"
        total += path.stat().st_size if path.exists() else 0
    return total


def _blob_kinds(sizes: dict[str, int], database: int) -> list[tuple[str, int]]:
    kinds: dict[str, int] = dict.fromkeys([*KINDS.values(), DATABASE, "other"], 0)
    for kind, size in sizes.items():
        kinds[KINDS.get(kind, "other")] += size
    kinds[DATABASE] = database
    return list(kinds.items())


@dataclass(frozen=True)
class _Rows:
    tables: list[tuple[str, int]]
    chats: list[tuple[int, int, list[str]]]
    sources: list[tuple[str, int, list[str]]]
    database: int = 0  # PostgreSQL's bytes besides the blobs (an SQLite file is measured)


def _table_sizes(index: Index) -> list[tuple[str, int]]:
    db = index.connection
    if index.engine == "postgresql":
        return [(str(table), int(size)) for table, size in db.execute(_PG_TABLES)]
    try:
        pages = db.execute(_SQLITE_PAGES).fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat: no breakdown
        pages = []
    return [(str(table), int(size)) for table, size in pages]


def _rows(index: Index, top: int) -> _Rows:
    db = index.connection
    pages = _table_sizes(index)
    groups = dict.fromkeys(TABLE_GROUPS, 0)
    for table, size in pages:
        for group, names in TABLE_GROUPS.items():
            if table in names:
                groups[group] += int(size)
    chats = [
        (int(chat), int(n), [h for (h,) in db.execute(
            "SELECT DISTINCT article_hash FROM chat_articles WHERE chat_id = ?", (chat,))])
        for chat, n in db.execute(
            """SELECT chat_id, COUNT(DISTINCT article_hash) AS n FROM chat_articles
               GROUP BY chat_id ORDER BY n DESC LIMIT ?""", (top,))
    ]  # fmt: skip
    sources = [
        (str(title), int(n), [h for (h,) in db.execute(
            """SELECT DISTINCT content_hash FROM feed_items
               WHERE source_id = ? AND content_hash IS NOT NULL""", (source,))])
        for source, title, n in db.execute(
            """SELECT i.source_id, s.title, COUNT(*) AS n FROM feed_items i
               JOIN feed_sources s ON s.id = i.source_id
               GROUP BY i.source_id, s.title ORDER BY n DESC LIMIT ?""", (top,))
    ]  # fmt: skip
    database = 0
    if index.engine == "postgresql":
        database = int(db.execute(_PG_DATABASE).fetchone()[0])
    return _Rows(list(groups.items()), chats, sources, database)


async def storage_report(data_dir: Path, index: Index, *, top: int = 5) -> Storage:
    """Measure the data directory (files off the loop, tables on the database thread)."""
    rows = await index.run(_rows, top)
    blobs = index.blobs

    def measure() -> Storage:
        if blobs is not None:  # PostgreSQL: the blobs on their own connection, not the loop
            return Storage(
                kinds=_blob_kinds(blobs.sizes(), rows.database),
                tables=rows.tables,
                chats=[(c, n, blobs.size("articles", hs)) for c, n, hs in rows.chats],
                sources=[(t, n, blobs.size("articles", hs)) for t, n, hs in rows.sources],
                place="the database",
            )
        kinds = _kinds(data_dir)
        if index.engine == "postgresql":  # files on disk, the index itself on the server
            kinds = [(k, rows.database if k == DATABASE else size) for k, size in kinds]
        return Storage(
            kinds=kinds,
            tables=rows.tables,
            chats=[(chat, n, _texts(data_dir, hashes)) for chat, n, hashes in rows.chats],
            sources=[(title, n, _texts(data_dir, hashes)) for title, n, hashes in rows.sources],
        )

    return await asyncio.to_thread(measure)


def human(size: int) -> str:
    """Say a byte count briefly: 512 B, 3.4 kB, 12.0 MB, 1.2 GB."""
    value = float(size)
    for unit in ("B", "kB", "MB"):
        if value < _KILO:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= _KILO
    return f"{value:.1f} GB"


def render_storage(storage: Storage) -> str:
    """Render the storage report as plain text (the terminal, and /stats inside <pre>)."""
    lines = [f"Storage ({human(storage.total)} in {storage.place}):"]
    lines += [f"  {kind:<18} {human(size)}" for kind, size in storage.kinds]
    if any(size for _group, size in storage.tables):
        parts = ", ".join(f"{group} {human(size)}" for group, size in storage.tables)
        lines.append(f"  of the database   {parts}")
    chats = ", ".join(f"{c} ({counted(n, 'article')}, {human(b)})" for c, n, b in storage.chats)
    sources = ", ".join(
        f"{t[:40]} ({counted(n, 'item')}, {human(b)})" for t, n, b in storage.sources
    )
    lines.append(f"  biggest chats     {chats or 'none'}")
    lines.append(f"  biggest sources   {sources or 'none'}")
    return "\n".join(lines)
