"""Followed sources, who follows them, the items seen and their delivery to each chat."""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table

from bot.store.schema.columns import integer, text


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "feed_sources", metadata,
        integer("id", primary_key=True),
        text("url", nullable=False, unique=True),
        text("kind", nullable=False),
        text("title", nullable=False),
        text("etag"),
        text("last_modified"),
        text("created_at", nullable=False),
        text("ok_at"),
        text("error"),
        text("failing_since"),
        integer("failures", nullable=False, default=0),
        text("next_poll_at", nullable=False),
        integer("paused", nullable=False, default=0),
    )  # fmt: skip
    Table(
        "feed_follows", metadata,
        integer("chat_id", primary_key=True),
        integer("source_id", primary_key=True),
        integer("live", nullable=False),
        text("followed_at", nullable=False),
        integer("thread_id"),
        integer("follower_id"),
    )  # fmt: skip
    Table(
        "feed_items", metadata,
        integer("id", primary_key=True),
        integer("source_id", nullable=False),
        text("guid_key"),
        text("link_key"),
        text("content_hash"),
        text("title"),
        text("url"),
        text("label"),
        text("published_at"),
        text("seen_at", nullable=False),
        text("state", nullable=False),
        text("last_seen_at"),  # the last poll whose feed listed it
        Index("feed_items_guid", "source_id", "guid_key"),
        Index("feed_items_link", "source_id", "link_key"),
        Index("feed_items_last", "source_id", "last_seen_at"),
    )  # fmt: skip
    Table(
        "feed_deliveries", metadata,
        integer("chat_id", primary_key=True),
        integer("item_id", primary_key=True),
        text("status", nullable=False),
        text("at", nullable=False),
        Index("feed_deliveries_at", "chat_id", "at"),
    )  # fmt: skip
