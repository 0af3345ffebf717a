"""What processes sharing one database agree on: leases, budget holds and command windows.

One process on SQLite needs none of it (its memory is enough); several processes on one
PostgreSQL database do, and the tables exist on both engines, one schema for both.
"""

from __future__ import annotations

from sqlalchemy import Index, MetaData, Table

from bot.store.schema.columns import integer, text


def define(metadata: MetaData) -> None:
    """Add these tables to `metadata`."""
    Table(
        "leases", metadata,
        # "digest:<chat>", "feed:<source id>", "brief:<article>": one holder at a time.
        text("name", primary_key=True),
        text("owner", nullable=False),  # the process holding it (bot/store/leases.py)
        text("until", nullable=False),  # it lapses then unless renewed: its holder died
        Index("leases_until", "until"),
    )  # fmt: skip
    Table(
        "budget_holds", metadata,
        integer("id", primary_key=True),
        text("owner", nullable=False),
        integer("user_id"),
        integer("tokens", nullable=False),  # set aside for an LLM call in flight
        text("until", nullable=False),  # a dead process's holds lapse then
        Index("budget_holds_until", "until"),
    )  # fmt: skip
    Table(
        "rate_hits", metadata,
        integer("id", primary_key=True),
        text("scope", nullable=False),  # which limit: "user", "chat", "fetch", "command:who"…
        text("key", nullable=False),
        text("at", nullable=False),
        Index("rate_hits_key", "scope", "key", "at"),
    )  # fmt: skip
