"""Stories across sources: article features, each chat's stories, views, labels, digest marks."""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table

from bot.store.schema.columns import integer, text


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "story_features", metadata,
        text("article_hash", primary_key=True),
        text("features", nullable=False),  # version, MinHash signature, features
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "chat_story_articles", metadata,
        integer("chat_id", primary_key=True),
        text("article_hash", primary_key=True),
        text("story_id", nullable=False),
        text("copy_of"),  # the article this one republishes (a near-duplicate), if any
        text("published_at", nullable=False),
        text("source_label"),
        # A story's articles, and the window's articles at start-up, without a chat scan.
        Index("chat_story_articles_story", "chat_id", "story_id"),
        Index("chat_story_articles_time", "chat_id", "published_at"),
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "story_views", metadata,
        integer("chat_id", primary_key=True),
        text("story_id", primary_key=True),
        text("members", nullable=False),  # the briefing keys the view was made from, joined
        text("view", nullable=False),  # JSON of stories.view.StoryView
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "source_labels", metadata,
        integer("chat_id", primary_key=True),
        text("source", primary_key=True),  # folded: "@channel", a site, or a feed's address
        text("label", nullable=False),
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "story_digest_marks", metadata,
        integer("chat_id", primary_key=True),
        text("story_id", primary_key=True),
        text("sources", nullable=False),  # JSON list of the source labels the last digest showed
        sqlite_with_rowid=False,
    )  # fmt: skip
