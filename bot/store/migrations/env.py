"""Alembic's environment: the one MetaData, batch mode for SQLite, the caller's connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from bot.store.schema.tables import METADATA, include_object


def run() -> None:
    """Run the migrations on the connection the caller passed, else on the configured URL."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as made:
            _migrate(made)
        engine.dispose()
    else:
        _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        render_as_batch=True,  # SQLite's ALTER TABLE cannot drop or change columns
        include_object=include_object,
        compare_type=True,
        # SQLite reflects defaults as written, not as values: the tests compare them instead.
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
