"""Per-chat settings, digest subscriptions, operating events and pending jobs."""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table, UniqueConstraint

from bot.store.schema.columns import integer, text


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "chat_settings", metadata,
        integer("chat_id", primary_key=True, autoincrement=False),
        integer("auto_forwards", nullable=False, default=0),
        integer("set_by"),
        integer("digest_pictures", nullable=False, default=0),
    )  # fmt: skip
    Table(
        "chat_zones", metadata,
        integer("chat_id", primary_key=True, autoincrement=False),
        text("tz", nullable=False),
    )  # fmt: skip
    Table(
        "chat_languages", metadata,
        integer("chat_id", primary_key=True, autoincrement=False),
        text("language", nullable=False),
    )  # fmt: skip
    Table(
        "digest_subscriptions", metadata,
        integer("chat_id", primary_key=True, autoincrement=False),
        text("at", nullable=False),
        text("tz", nullable=False),
        text("subscribed_at", nullable=False),
        text("last_date"),  # ISO dates sort as text in date order: compared directly
        text("last_sent_at"),
        integer("enabled", nullable=False),
        integer("thread_id"),  # the forum topic the digest goes to; NULL: the chat itself
        integer("subscriber_id"),  # NULL: an anonymous admin or a channel
        integer("paused", nullable=False, default=0),
    )  # fmt: skip
    Table(
        "events", metadata,
        text("at", nullable=False),
        text("kind", nullable=False),
        integer("chat_id"),
        integer("user_id"),
        text("detail"),
        text("model"),
        integer("prompt_tokens", nullable=False, default=0),
        integer("completion_tokens", nullable=False, default=0),
        integer("cached_tokens", nullable=False, default=0),
        integer("calls", nullable=False, default=0),
        integer("ms", nullable=False, default=0),
        Index("events_kind_at", "kind", "at"),
        Index("events_user_at", "user_id", "at"),
    )  # fmt: skip
    Table(
        "pending_jobs", metadata,
        integer("id", primary_key=True),
        text("kind", nullable=False),
        integer("chat_id", nullable=False),
        integer("message_id", nullable=False),
        integer("reply_to", nullable=False),
        integer("thread_id"),
        integer("user_id"),
        text("text"),
        text("ref"),
        text("title"),
        text("source_label"),
        text("source_url"),
        text("created_at", nullable=False),
        integer("attempts", nullable=False, default=0),
        text("done_at"),
        text("outcome"),
        integer("truncated_from"),
        integer("silent", nullable=False, default=0),
        text("published_at"),
        text("published_from"),
        # Which process answers it, until when: a lease a dead process lets lapse.
        text("claimed_by"),
        text("lease_until"),
        # An update Telegram delivers twice is answered once.
        UniqueConstraint("chat_id", "reply_to", "kind"),
        Index("pending_jobs_open", "done_at", "id"),
        # Ids are never reused, even after the newest job is pruned (as PostgreSQL's).
        sqlite_autoincrement=True,
    )  # fmt: skip
    Table(
        "degraded_replies", metadata,
        integer("chat_id", primary_key=True, autoincrement=False),
        text("article_hash", primary_key=True),
        text("message_ids", nullable=False),
    )  # fmt: skip
