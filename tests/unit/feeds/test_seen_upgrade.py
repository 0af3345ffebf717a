"""A feed_items table from before retention gains its last-seen column, filled from seen_at."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.feeds.seen import SeenItems
from bot.store.index import Index

pytestmark = pytest.mark.sqlite_only("a file written by a release before PostgreSQL support")

OLD = """CREATE TABLE feed_items (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL,
guid_key TEXT, link_key TEXT, content_hash TEXT, title TEXT, url TEXT, label TEXT,
published_at TEXT, seen_at TEXT NOT NULL, state TEXT NOT NULL);
INSERT INTO feed_items (source_id, guid_key, seen_at, state)
VALUES (1, 'g', '2026-01-01T00:00:00+00:00', 'ready');"""


def test_an_old_feed_items_table_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD)
    index = Index(path)
    SeenItems(index)
    row = index.connection.execute("SELECT seen_at, last_seen_at FROM feed_items").fetchone()
    assert row[0] == row[1] == "2026-01-01T00:00:00+00:00"
    index.close()
