"""What the data directory's files hold, as rows: the index's blobs table.

On PostgreSQL the cached briefings, digests and answers, the article texts, the fetch
cache and the rendered pictures live here (bot/store/blobs.py), so a process needs no
disk of its own. SQLite files get the table too, one schema for both, and leave it empty:
there the files stay where they are.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, MetaData, Table

from bot.store.schema.columns import text


def define(metadata: MetaData) -> None:
    """Add the table to `metadata`."""
    Table(
        "blobs", metadata,
        text("kind", primary_key=True),  # the folder the file would be in: briefings, articles…
        text("key", primary_key=True),  # its name there, without the suffix
        Column("body", LargeBinary, nullable=False),  # BYTEA on PostgreSQL, BLOB on SQLite
        text("written_at", nullable=False),  # the file's mtime: what pruning goes by
        Index("blobs_written", "kind", "written_at"),
    )  # fmt: skip
