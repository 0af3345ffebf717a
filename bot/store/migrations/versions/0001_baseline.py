"""The baseline: the store's schema as briefbot shipped it before Alembic (December 2026).

Revision ID: 0001
Revises:
Create Date: 2026-12-07

A file from before Alembic is this schema minus columns added since: sqlite_file.py adds
them in place and stamps it. The full-text index is engine-specific DDL, frozen here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.schema.columns  # noqa: F401 - compiles chat_stances' descending key on SQLite

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

INT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SQLITE_FTS = """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, brief, names, body, tokenize = 'ascii'
)"""
POSTGRESQL_FTS = (
    """CREATE TABLE IF NOT EXISTS search_fts (
    rowid BIGINT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    brief TEXT NOT NULL DEFAULT '',
    names TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', names), 'A') ||
        setweight(to_tsvector('simple', brief), 'B') ||
        setweight(to_tsvector('simple', body), 'C')
    ) STORED
)""",
    "CREATE INDEX IF NOT EXISTS search_fts_document ON search_fts USING GIN (document)",
)
TABLES = (
    "bot_messages",
    "briefings",
    "chat_actor_forms",
    "chat_articles",
    "chat_languages",
    "chat_settings",
    "chat_stances",
    "chat_story_articles",
    "chat_zones",
    "degraded_replies",
    "digest_subscriptions",
    "events",
    "feed_deliveries",
    "feed_follows",
    "feed_items",
    "feed_sources",
    "index_meta",
    "llm_usage",
    "mentions",
    "pending_jobs",
    "search_chat_docs",
    "search_docs",
    "search_pages",
    "source_labels",
    "stances",
    "story_digest_marks",
    "story_features",
    "story_views",
)


def upgrade() -> None:
    """Make every table of the store, and the engine's full-text index."""
    op.create_table(
        "bot_messages",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("message_id", INT, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id"),
    )
    op.create_table(
        "briefings",
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("article_hash"),
    )
    op.create_table(
        "chat_actor_forms",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "actor", "kind", "aliases"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "chat_articles",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("message_id", INT, nullable=True),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source_label", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Text(), nullable=True),
        sa.Column("published_from", sa.Text(), nullable=True),
    )
    op.create_index("chat_articles_article", "chat_articles", ["article_hash"], unique=False)
    op.create_index("chat_articles_chat", "chat_articles", ["chat_id", "received_at"], unique=False)
    op.create_index(
        "chat_articles_chat_article",
        "chat_articles",
        ["chat_id", "article_hash", "received_at"],
        unique=False,
    )

    op.create_table(
        "chat_languages",
        sa.Column("chat_id", INT, autoincrement=False, nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "chat_settings",
        sa.Column("chat_id", INT, autoincrement=False, nullable=False),
        sa.Column("auto_forwards", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("set_by", INT, nullable=True),
        sa.Column("digest_pictures", INT, server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "chat_stances",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("dated", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("published_from", sa.Text(), nullable=True),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("ord", INT, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("polarity", sa.Text(), nullable=False),
        sa.Column("verified", INT, nullable=False),
        sa.Column("issue", sa.Text(), server_default="", nullable=False),
        sa.Column("provenance", sa.Text(), nullable=True),
        # Newest first on SQLite: /who reads the key in order (bot/store/schema/columns.py).
        sa.PrimaryKeyConstraint(
            "chat_id", "actor", "dated", "article_hash", "ord", info={"sqlite_descending": "dated"}
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "chat_story_articles",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("copy_of", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Text(), nullable=False),
        sa.Column("source_label", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("chat_id", "article_hash"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "chat_story_articles_story", "chat_story_articles", ["chat_id", "story_id"], unique=False
    )
    op.create_index(
        "chat_story_articles_time", "chat_story_articles", ["chat_id", "published_at"], unique=False
    )

    op.create_table(
        "chat_zones",
        sa.Column("chat_id", INT, autoincrement=False, nullable=False),
        sa.Column("tz", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "degraded_replies",
        sa.Column("chat_id", INT, autoincrement=False, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("message_ids", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "article_hash"),
    )
    op.create_table(
        "digest_subscriptions",
        sa.Column("chat_id", INT, autoincrement=False, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("tz", sa.Text(), nullable=False),
        sa.Column("subscribed_at", sa.Text(), nullable=False),
        sa.Column("last_date", sa.Text(), nullable=True),
        sa.Column("last_sent_at", sa.Text(), nullable=True),
        sa.Column("enabled", INT, nullable=False),
        sa.Column("thread_id", INT, nullable=True),
        sa.Column("subscriber_id", INT, nullable=True),
        sa.Column("paused", INT, server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "events",
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("chat_id", INT, nullable=True),
        sa.Column("user_id", INT, nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("model", sa.Text(), nullable=True),
        sa.Column("prompt_tokens", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("completion_tokens", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("cached_tokens", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("calls", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("ms", INT, server_default=sa.text("0"), nullable=False),
    )
    op.create_index("events_kind_at", "events", ["kind", "at"], unique=False)
    op.create_index("events_user_at", "events", ["user_id", "at"], unique=False)

    op.create_table(
        "feed_deliveries",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("item_id", INT, nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "item_id"),
    )
    op.create_index("feed_deliveries_at", "feed_deliveries", ["chat_id", "at"], unique=False)

    op.create_table(
        "feed_follows",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("source_id", INT, nullable=False),
        sa.Column("live", INT, nullable=False),
        sa.Column("followed_at", sa.Text(), nullable=False),
        sa.Column("thread_id", INT, nullable=True),
        sa.Column("follower_id", INT, nullable=True),
        sa.PrimaryKeyConstraint("chat_id", "source_id"),
    )
    op.create_table(
        "feed_items",
        sa.Column("id", INT, nullable=False),
        sa.Column("source_id", INT, nullable=False),
        sa.Column("guid_key", sa.Text(), nullable=True),
        sa.Column("link_key", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Text(), nullable=True),
        sa.Column("seen_at", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("last_seen_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("feed_items_guid", "feed_items", ["source_id", "guid_key"], unique=False)
    op.create_index("feed_items_last", "feed_items", ["source_id", "last_seen_at"], unique=False)
    op.create_index("feed_items_link", "feed_items", ["source_id", "link_key"], unique=False)

    op.create_table(
        "feed_sources",
        sa.Column("id", INT, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("ok_at", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failing_since", sa.Text(), nullable=True),
        sa.Column("failures", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("next_poll_at", sa.Text(), nullable=False),
        sa.Column("paused", INT, server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "index_meta",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", INT, nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "llm_usage",
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("chat_id", INT, nullable=True),
        sa.Column("prompt_tokens", INT, nullable=False),
        sa.Column("completion_tokens", INT, nullable=False),
        sa.Column("cached_tokens", INT, nullable=False),
        sa.Column("calls", INT, nullable=False),
    )
    op.create_table(
        "mentions",
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("ord", INT, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("article_hash", "ord"),
        sqlite_with_rowid=False,
    )
    op.create_index("mentions_actor", "mentions", ["actor", "article_hash"], unique=False)

    op.create_table(
        "pending_jobs",
        sa.Column("id", INT, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("message_id", INT, nullable=False),
        sa.Column("reply_to", INT, nullable=False),
        sa.Column("thread_id", INT, nullable=True),
        sa.Column("user_id", INT, nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source_label", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("attempts", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("done_at", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("truncated_from", INT, nullable=True),
        sa.Column("silent", INT, server_default=sa.text("0"), nullable=False),
        sa.Column("published_at", sa.Text(), nullable=True),
        sa.Column("published_from", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "reply_to", "kind"),
        sqlite_autoincrement=True,
    )
    op.create_index("pending_jobs_open", "pending_jobs", ["done_at", "id"], unique=False)

    op.create_table(
        "search_chat_docs",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("doc_id", INT, nullable=False),
        sa.Column("dated", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "doc_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "search_docs",
        sa.Column("id", INT, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=True),
        sa.Column("brief", sa.Text(), nullable=False),
        sa.Column("pending", INT, server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_hash"),
    )
    op.create_index(
        "search_docs_pending",
        "search_docs",
        ["pending"],
        unique=False,
        sqlite_where=sa.text("pending = 1"),
        postgresql_where=sa.text("pending = 1"),
    )

    op.create_table(
        "search_pages",
        sa.Column("id", INT, nullable=False),
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "source_labels",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "source"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stances",
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("ord", INT, nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("polarity", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("verified", INT, nullable=False),
        sa.Column("issue", sa.Text(), server_default="", nullable=False),
        sa.Column("provenance", sa.Text(), nullable=True),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("via", sa.Text(), nullable=True),
    )
    op.create_index("stances_actor", "stances", ["actor"], unique=False)
    op.create_index("stances_article", "stances", ["article_hash"], unique=False)

    op.create_table(
        "story_digest_marks",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "story_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "story_features",
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("article_hash"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "story_views",
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("members", sa.Text(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "story_id"),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_FTS)
    else:
        for statement in POSTGRESQL_FTS:
            op.execute(statement)


def downgrade() -> None:
    """Drop every table (and the full-text index)."""
    op.execute("DROP TABLE IF EXISTS search_fts")
    for table in reversed(TABLES):
        op.drop_table(table)
