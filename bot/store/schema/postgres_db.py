"""A PostgreSQL database brought to the schema's head, by Alembic, one process at a time."""

from __future__ import annotations

import logging

from alembic import command
from sqlalchemy import create_engine, text

from bot.store.schema import sqlite_file, versions

log = logging.getLogger(__name__)

# pg_advisory_xact_lock's key for schema upgrades (any constant: "brief" in ASCII).
_UPGRADE_LOCK = 0x6272696566


def driver_url(url: str) -> str:
    """Return the SQLAlchemy URL with the psycopg 3 driver named."""
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def ensure(url: str) -> None:
    """Upgrade the database to HEAD, or refuse one a newer briefbot wrote."""
    engine = create_engine(driver_url(url))
    try:
        with engine.begin() as connection:
            # Processes starting together upgrade one after the other; the rest find HEAD.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
            version = versions.current(connection)
            if version == sqlite_file.HEAD:
                return
            if version is not None:
                sqlite_file.refuse_unknown(version)
            log.warning("Upgrading the PostgreSQL database from schema %s to %s",
                        version or "(none)", sqlite_file.HEAD)  # fmt: skip
            command.upgrade(versions.config(connection), "head")
    finally:
        engine.dispose()
