"""Every table of the store, for SQLite and PostgreSQL alike, in one MetaData.

The tables are SQLAlchemy Core, so one definition makes both engines' DDL; Alembic keeps
the history of changes to it (bot/store/migrations/). Each module holds one concern's tables.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from bot.store.schema import articles, blobs, chats, coordination, feeds, search, stories

# Constraints are left unnamed, as the files from before Alembic have them: PostgreSQL names
# a unique one table_column_key itself, and batch mode copies SQLite's unnamed ones over.
METADATA = MetaData()
for _module in (articles, blobs, chats, coordination, feeds, search, stories):
    _module.define(METADATA)

FTS_TABLES = search.FTS_TABLES


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Tell Alembic to leave out the full-text tables: engine-specific DDL, not Core tables."""
    del obj, reflected, compare_to
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))
