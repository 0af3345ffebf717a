"""`briefbot check` on DATABASE_URL: reach PostgreSQL and read its schema version, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import MigrateError


@dataclass(frozen=True)
class Found:
    """What `briefbot check` learnt of the database at DATABASE_URL."""

    where: str
    version: str | None = None  # None with no problem: an empty database
    problem: str | None = None  # it could not be reached or read; then `hint` says what to do
    hint: str = ""


def check_postgresql(url: str) -> Found:
    """Reach the database and read its revision, without changing anything."""
    from bot.store.endpoints import engine_for, parse, reach
    from bot.store.schema import versions

    try:
        store = parse(url, source=False)
    except MigrateError as exc:
        return Found("PostgreSQL", problem=str(exc), hint="fix DATABASE_URL")
    where = f"PostgreSQL {store.shown}"
    try:
        engine = engine_for(store)
    except MigrateError as exc:
        return Found(where, problem=str(exc), hint="install the driver")
    try:
        reach(engine, store)
        with engine.connect() as connection:
            return Found(where, versions.current(connection))
    except MigrateError as exc:
        return Found(where, problem=str(exc), hint="start the server, or fix DATABASE_URL")
    finally:
        engine.dispose()
