"""The index database's own tables and indexes: its shape, in one place.

Articles' current briefings and their stances, what each chat sent, the names each chat's
articles use for an actor, which bot message is about which article, LLM usage, and the
one-off fills done. The DDL, with the reasons for each index, reads on its own; index.py
keeps the operations on these tables (and sibling stores add their own tables there).
Columns added since a table was first shipped are listed apart: an existing database gets
them in place (`add_columns`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefings (
    article_hash TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    headline TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stances (
    article_hash TEXT NOT NULL,
    ord INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    target TEXT NOT NULL,
    position TEXT NOT NULL,
    polarity TEXT NOT NULL,
    quote TEXT NOT NULL,
    verified INTEGER NOT NULL,  -- the actor's own words: provenance direct or via
    issue TEXT NOT NULL DEFAULT '',  -- '' for stances indexed before issues were asked for
    provenance TEXT,  -- a Provenance value; NULL: recorded before provenance existed
    speaker TEXT,  -- who the article attributes the words to, when not this actor
    via TEXT  -- the relaying third party of a "via" quote
);
CREATE INDEX IF NOT EXISTS stances_article ON stances(article_hash);
-- /who NAME and digests fetch one actor's stances without reading the chat's whole history.
CREATE INDEX IF NOT EXISTS stances_actor ON stances(actor);
CREATE TABLE IF NOT EXISTS chat_articles (
    chat_id INTEGER NOT NULL,
    article_hash TEXT NOT NULL,
    message_id INTEGER,
    received_at TEXT NOT NULL,
    title TEXT,
    source_label TEXT,
    source_url TEXT,
    published_at TEXT,  -- when the article was first published, as this sending dates it
    published_from TEXT  -- where that date comes from: forward, page, feed, dateline, received
);
CREATE INDEX IF NOT EXISTS chat_articles_chat ON chat_articles(chat_id, received_at);
CREATE INDEX IF NOT EXISTS chat_articles_chat_article
    ON chat_articles(chat_id, article_hash, received_at);
-- Which chats sent an article: a new briefing adds its names to each of their directories.
CREATE INDEX IF NOT EXISTS chat_articles_article ON chat_articles(article_hash);
-- Each distinct way a chat's articles name an actor: /who matches names here (a few
-- thousand rows) instead of scanning the chat's stances (hundreds of thousands). Rows are
-- only added; a name whose briefing was re-made without it finds no stances.
CREATE TABLE IF NOT EXISTS chat_actor_forms (
    chat_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    PRIMARY KEY (chat_id, actor, kind, aliases)
) WITHOUT ROWID;
-- One-off fills done, by name (a database from before a table was added gets it filled).
CREATE TABLE IF NOT EXISTS index_meta (name TEXT PRIMARY KEY, value);
CREATE TABLE IF NOT EXISTS bot_messages (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    article_hash TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE TABLE IF NOT EXISTS llm_usage (
    at TEXT NOT NULL,
    purpose TEXT NOT NULL,
    model TEXT NOT NULL,
    chat_id INTEGER,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens INTEGER NOT NULL,
    calls INTEGER NOT NULL
);
"""

# Columns added after a table was first shipped, in the order they were added: a database
# from before gets them by ALTER TABLE, a new one has them in its CREATE TABLE. (chat_stances
# from before publication dates is rebuilt instead: `chat_stances.upgrade`.)
Added = Mapping[str, tuple[tuple[str, str], ...]]
ADDED_COLUMNS: Added = {
    "stances": (
        ("issue", "TEXT NOT NULL DEFAULT ''"),
        ("provenance", "TEXT"),
        ("speaker", "TEXT"),
        ("via", "TEXT"),
    ),
    "chat_stances": (("issue", "TEXT NOT NULL DEFAULT ''"), ("provenance", "TEXT")),
    "chat_articles": (("published_at", "TEXT"), ("published_from", "TEXT")),
}


def missing_columns(db: sqlite3.Connection, added: Added = ADDED_COLUMNS) -> bool:
    """Tell whether a table lacks a column added since (a database from before it)."""
    return any(_missing(db, table, columns) for table, columns in added.items())


def add_columns(db: sqlite3.Connection, added: Added = ADDED_COLUMNS) -> None:
    """Add the columns a database from before them lacks (in a write transaction).

    Sibling stores pass their own tables' `added` (the same shape as ADDED_COLUMNS).
    """
    for table, columns in added.items():
        for name, kind in _missing(db, table, columns):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _missing(
    db: sqlite3.Connection, table: str, columns: tuple[tuple[str, str], ...]
) -> list[tuple[str, str]]:
    """Return the columns an existing table lacks (none for a table not created yet)."""
    have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    return [(name, kind) for name, kind in columns if have and name not in have]
