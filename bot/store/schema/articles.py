"""Articles' current briefings, their stances and mentions, what each chat sent, LLM usage."""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table

from bot.store.schema.columns import descending_key, integer, text


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "briefings", metadata,
        text("article_hash", primary_key=True),
        text("key", nullable=False),
        text("headline", nullable=False),
        text("created_at", nullable=False),
    )  # fmt: skip
    Table(
        "stances", metadata,
        text("article_hash", nullable=False),
        integer("ord", nullable=False),
        text("actor", nullable=False),
        text("kind", nullable=False),
        text("aliases", nullable=False),
        text("target", nullable=False),
        text("position", nullable=False),
        text("polarity", nullable=False),
        text("quote", nullable=False),
        integer("verified", nullable=False),  # the actor's own words: provenance direct or via
        text("issue", nullable=False, default=""),  # '': indexed before issues were asked for
        text("provenance"),  # a Provenance value; NULL: recorded before provenance existed
        text("speaker"),  # who the article attributes the words to, when not this actor
        text("via"),  # the relaying third party of a "via" quote
        Index("stances_article", "article_hash"),
        # /who NAME and digests fetch one actor's stances without reading the whole history.
        Index("stances_actor", "actor"),
    )  # fmt: skip
    Table(
        "chat_articles", metadata,
        integer("id", primary_key=True),  # tells sendings apart, in the order they were recorded
        integer("chat_id", nullable=False),
        text("article_hash", nullable=False),
        integer("message_id"),
        text("received_at", nullable=False),
        text("title"),
        text("source_label"),
        text("source_url"),
        text("published_at"),  # when the article was first published, as this sending dates it
        text("published_from"),  # where that date comes from: forward, page, feed, dateline…
        Index("chat_articles_chat", "chat_id", "received_at"),
        Index("chat_articles_chat_article", "chat_id", "article_hash", "received_at"),
        # Which chats sent an article: a new briefing adds its names to their directories.
        Index("chat_articles_article", "article_hash"),
    )  # fmt: skip
    # Each distinct way a chat's articles name an actor: /who matches names here (a few
    # thousand rows) instead of scanning the chat's stances (hundreds of thousands). Rows are
    # only added; a name whose briefing was re-made without it finds no stances.
    Table(
        "chat_actor_forms", metadata,
        integer("chat_id", primary_key=True),
        text("actor", primary_key=True),
        text("kind", primary_key=True),
        text("aliases", primary_key=True),
        sqlite_with_rowid=False,
    )  # fmt: skip
    # One-off fills done, by name (a database from before a table was added gets it filled).
    Table("index_meta", metadata, text("name", primary_key=True), integer("value"))
    Table(
        "bot_messages", metadata,
        integer("chat_id", primary_key=True),
        integer("message_id", primary_key=True),
        text("article_hash", nullable=False),
    )  # fmt: skip
    Table(
        "llm_usage", metadata,
        text("at", nullable=False),
        text("purpose", nullable=False),
        text("model", nullable=False),
        integer("chat_id"),
        integer("prompt_tokens", nullable=False),
        integer("completion_tokens", nullable=False),
        integer("cached_tokens", nullable=False),
        integer("calls", nullable=False),
    )  # fmt: skip
    Table(
        "mentions", metadata,
        text("article_hash", primary_key=True),
        integer("ord", primary_key=True),  # the actor's place among the briefing's actors
        text("actor", nullable=False),
        text("kind", nullable=False),
        text("aliases", nullable=False),
        # /who NAME reads one actor's mentions; article_hash joins the chat's sendings.
        Index("mentions_actor", "actor", "article_hash"),
        sqlite_with_rowid=False,
    )  # fmt: skip
    Table(
        "chat_stances", metadata,
        integer("chat_id", nullable=False),
        text("actor", nullable=False),
        # When the article was published, as the chat's latest sending dates it (else that
        # sending's time): /who lists and finds shifts in this order.
        text("dated", nullable=False),
        text("received_at", nullable=False),  # the chat's latest sending of the article
        text("published_from"),  # where `dated` comes from; NULL: an undated sending
        text("article_hash", nullable=False),
        integer("ord", nullable=False),
        text("kind", nullable=False),
        text("aliases", nullable=False),
        text("target", nullable=False),
        text("polarity", nullable=False),
        integer("verified", nullable=False),
        text("issue", nullable=False, default=""),  # shifts group by it (else by the target)
        text("provenance"),  # shifts count only attributed words; NULL: before provenance
        descending_key("chat_id", "actor", "dated", "article_hash", "ord", descending="dated"),
        sqlite_with_rowid=False,
    )  # fmt: skip
