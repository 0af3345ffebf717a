"""The archive's search index: one document per article, which chats have it, past searches.

The full-text index itself is engine-specific and not a Core table: an FTS5 virtual table
on SQLite (stems and folds are computed in Python: search_docs.py), made by SQLITE_FTS
below for a new file; on PostgreSQL a table of the same columns with a weighted tsvector
kept by the server, made by the migrations.
"""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table, literal_column

from bot.store.schema.columns import integer, text

FTS_TABLES = ("search_fts",)  # made by DDL below; migrations and comparisons skip them
FTS_COLUMNS = ("title", "brief", "names", "body")

SQLITE_FTS = """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, brief, names, body, tokenize = 'ascii'
)"""


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "search_docs", metadata,
        integer("id", primary_key=True),  # the article's rowid in search_fts
        text("article_hash", nullable=False, unique=True),
        text("lang"),  # the article's language as its words tell it (ISO 639-1); NULL: unknown
        text("brief", nullable=False),  # the headline, TL;DR and points as written (snippets)
        integer("pending", nullable=False, default=0),  # 1: the text was not on disk yet
        Index(
            "search_docs_pending", "pending",
            sqlite_where=literal_column("pending = 1"),
            postgresql_where=literal_column("pending = 1"),
        ),
    )  # fmt: skip
    # Which chats sent each indexed article, by integer ids, with what the filters read of the
    # chat's sendings: the check runs once per matching article, and a lookup here costs a
    # tenth of one into chat_articles by hash.
    Table(
        "search_chat_docs", metadata,
        integer("chat_id", primary_key=True),
        integer("doc_id", primary_key=True),
        text("dated", nullable=False),  # the chat's date for the article: its earliest sending's
        text("sources", nullable=False),  # each sending's "\\x1flabel\\x1eurl\\x1f", lower case
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "search_pages", metadata,
        integer("id", primary_key=True),
        integer("chat_id", nullable=False),
        text("query", nullable=False),
        text("asked_at", nullable=False),
    )  # fmt: skip


def fts_rows() -> Table:
    """Return search_fts's rows as both engines hold them, to read and write (never to make).

    The rowid is search_docs.id; PostgreSQL's tsvector is left out, its server computes it.
    """
    return Table(
        "search_fts", MetaData(),
        integer("rowid", primary_key=True, autoincrement=False),
        *(text(name, nullable=False) for name in FTS_COLUMNS),
    )  # fmt: skip
