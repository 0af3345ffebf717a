"""An SQLite file's schema as data: tables, columns, keys and indexes, whatever wrote the DDL."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

# SQLite's own tables, the FTS5 index's shadow tables, and Alembic's stamp.
_SKIPPED = re.compile(r"^(sqlite_|search_fts_|alembic_version$)")


def shape(path: Path) -> dict[str, Any]:
    """Return every table's columns, primary key order, rowid-ness and indexes."""
    db = sqlite3.connect(path)
    try:
        found: dict[str, Any] = {}
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ):
            if _SKIPPED.match(name):
                continue
            found[name] = {
                "sql_kind": "virtual" if sql.upper().startswith("CREATE VIRTUAL") else "table",
                "without_rowid": "WITHOUT ROWID" in sql.upper(),
                "columns": [
                    (r[1], r[2].upper(), r[3], r[4], r[5])  # name, type, not null, default, pk
                    for r in db.execute(f"PRAGMA table_xinfo({name})")
                ],
                "indexes": _indexes(db, name),
            }
        return found
    finally:
        db.close()


def _indexes(db: sqlite3.Connection, table: str) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for _, name, unique, origin, partial in db.execute(f"PRAGMA index_list({table})"):
        keys = [
            (r[2], r[3])  # column, descending
            for r in db.execute(f"PRAGMA index_xinfo('{name}')")
            if r[5]  # a key column, not the rowid or the rest of a WITHOUT ROWID row
        ]
        label = name if origin == "c" else f"{origin}:{','.join(k for k, _ in keys)}"
        where = None
        if partial:
            sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            where = " ".join(sql[0].split(" WHERE ", 1)[1].split())
        made[label] = {"unique": unique, "keys": keys, "where": where}
    return made
