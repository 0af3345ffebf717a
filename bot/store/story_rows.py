"""The stories' tables: each article's grouping features, each chat's story of each article.

Features are per article (any chat may send it); the story an article belongs to is per chat
(isolation as everywhere: one chat's articles never join another's story). The in-memory
index of a chat's window is rebuilt from these rows on first use after a start. Also here:
the cached `/story` view (keyed by the set of articles it was made from), the labels a chat
gave its sources, and how many sources each story had at the chat's last digest.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.store.chat_moves import move_keeping_new
from bot.store.chat_queries import iso, published
from bot.store.dialect import indexed_by

# Each chat's table, by its key besides chat_id.
_CHAT_TABLES = {
    "chat_story_articles": ("article_hash",),
    "story_views": ("story_id",),
    "source_labels": ("source",),
    "story_digest_marks": ("story_id",),
}

_MEMBERS = f"""SELECT * FROM chat_story_articles {indexed_by("chat_story_articles_story")}
    WHERE chat_id = ? AND story_id = ? ORDER BY published_at, article_hash"""  # noqa: S608


@dataclass(frozen=True)
class StoryArticle:
    """One of a chat's articles, with its story."""

    article_hash: str
    story_id: str
    copy_of: str | None
    published_at: datetime
    source_label: str | None


def _row(r: sqlite3.Row) -> StoryArticle:
    when = published(r["published_at"])
    assert when is not None  # noqa: S101 - the column is NOT NULL
    return StoryArticle(r["article_hash"], r["story_id"], r["copy_of"], when, r["source_label"])


def save_features(db: sqlite3.Connection, article_hash: str, stored: str) -> None:
    """Keep an article's grouping features (as `ArticleFeatures.encode` wrote them)."""
    db.execute(
        "INSERT INTO story_features VALUES (?, ?) ON CONFLICT (article_hash) "
        "DO UPDATE SET features = excluded.features",
        (article_hash, stored),
    )


def place(
    db: sqlite3.Connection, chat_id: int, item: StoryArticle, merged: Iterable[str] = ()
) -> None:
    """Record an article's story, and move the articles of merged stories into it."""
    db.execute(
        "INSERT INTO chat_story_articles VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (chat_id, article_hash) DO UPDATE SET story_id = excluded.story_id, "
        "copy_of = excluded.copy_of, published_at = excluded.published_at, "
        "source_label = excluded.source_label",
        (chat_id, item.article_hash, item.story_id, item.copy_of, iso(item.published_at),
         item.source_label),
    )  # fmt: skip
    for old in merged:
        db.execute(
            "UPDATE chat_story_articles SET story_id = ? WHERE chat_id = ? AND story_id = ?",
            (item.story_id, chat_id, old),
        )
        db.execute("DELETE FROM story_views WHERE chat_id = ? AND story_id = ?", (chat_id, old))


def window(
    db: sqlite3.Connection, chat_id: int, moment: datetime
) -> list[tuple[StoryArticle, str | None]]:
    """Return the chat's articles published since `moment`, each with its stored features.

    The window at start-up: one join in time order, not 10,000 lookups.
    """
    rows = db.execute(
        "SELECT c.article_hash, c.story_id, c.copy_of, c.published_at, c.source_label, f.features"
        " FROM chat_story_articles AS c LEFT JOIN story_features AS f USING (article_hash)"
        " WHERE c.chat_id = ? AND c.published_at >= ? ORDER BY c.published_at",
        (chat_id, iso(moment)),
    )
    return [(_row(r), r["features"]) for r in rows]


def of_article(db: sqlite3.Connection, chat_id: int, article_hash: str) -> StoryArticle | None:
    """Return the chat's record of one article, if it was placed."""
    row = db.execute(
        "SELECT * FROM chat_story_articles WHERE chat_id = ? AND article_hash = ?",
        (chat_id, article_hash),
    ).fetchone()
    return None if row is None else _row(row)


def members(db: sqlite3.Connection, chat_id: int, story_id: str) -> list[StoryArticle]:
    """Return a story's articles in the chat, oldest first."""
    # Without statistics the planner walks the chat's whole time index to save a sort (or its
    # whole primary key without the ORDER BY): a scan of the window on every placement.
    rows = db.execute(_MEMBERS, (chat_id, story_id))
    return [_row(r) for r in rows]


def cached_view(db: sqlite3.Connection, chat_id: int, story_id: str, key: str) -> str | None:
    """Return the stored /story view if it was made from the same briefings."""
    row = db.execute(
        "SELECT view FROM story_views WHERE chat_id = ? AND story_id = ? AND members = ?",
        (chat_id, story_id, key),
    ).fetchone()
    return None if row is None else str(row[0])


def keep_view(db: sqlite3.Connection, chat_id: int, story_id: str, key: str, view: str) -> None:
    """Store a story's view, replacing one made from another set of briefings."""
    db.execute(
        "INSERT INTO story_views VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, story_id) "
        "DO UPDATE SET members = excluded.members, view = excluded.view",
        (chat_id, story_id, key, view),
    )


def set_label(db: sqlite3.Connection, chat_id: int, source: str, label: str | None) -> None:
    """Label a source for this chat (None: remove the label)."""
    if label is None:
        db.execute("DELETE FROM source_labels WHERE chat_id = ? AND source = ?", (chat_id, source))
    else:
        db.execute(
            "INSERT INTO source_labels VALUES (?, ?, ?) ON CONFLICT (chat_id, source) "
            "DO UPDATE SET label = excluded.label",
            (chat_id, source, label),
        )


def labels(db: sqlite3.Connection, chat_id: int) -> dict[str, str]:
    """Return the chat's source labels by folded source."""
    rows = db.execute("SELECT source, label FROM source_labels WHERE chat_id = ?", (chat_id,))
    return {r[0]: r[1] for r in rows}


def digest_marks(db: sqlite3.Connection, chat_id: int) -> dict[str, list[str]]:
    """Return, per story, the sources the chat's last digest showed."""
    rows = db.execute(
        "SELECT story_id, sources FROM story_digest_marks WHERE chat_id = ?", (chat_id,)
    )
    return {r[0]: json.loads(r[1]) for r in rows}


def mark_digested(db: sqlite3.Connection, chat_id: int, shown: dict[str, list[str]]) -> None:
    """Remember the sources each story had when a digest showed it."""
    db.executemany(
        "INSERT INTO story_digest_marks VALUES (?, ?, ?) ON CONFLICT (chat_id, story_id) "
        "DO UPDATE SET sources = excluded.sources",
        [(chat_id, story, json.dumps(sources)) for story, sources in shown.items()],
    )


def chat_moved(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Move a chat's stories to its new id (a group upgraded to a supergroup)."""
    for table, key in _CHAT_TABLES.items():  # where both ids have a row, the new id's stays
        move_keeping_new(db, table, key, old_id, new_id)
        db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (old_id,))  # noqa: S608
