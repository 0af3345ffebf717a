"""`briefbot check` on DATABASE_URL: reach PostgreSQL and read its schema version, read-only."""

from __future__ import annotations

from bot.errors import MigrateError
from bot.ops.check import Result


def check_postgresql(url: str) -> tuple[str, str | Result | None]:
    """Return where the database is and its revision, or a Result saying what it is instead."""
    from bot.store.endpoints import engine_for, parse, reach
    from bot.store.schema import versions

    try:
        store = parse(url, source=False)
    except MigrateError as exc:
        return "PostgreSQL", _failed(str(exc), "fix DATABASE_URL")
    where = f"PostgreSQL {store.shown}"
    try:
        engine = engine_for(store)
    except MigrateError as exc:
        return where, _failed(str(exc), "install the driver")
    try:
        reach(engine, store)
        with engine.connect() as connection:
            version = versions.current(connection)
    except MigrateError as exc:
        return where, _failed(str(exc), "start the server, or fix DATABASE_URL")
    finally:
        engine.dispose()
    if version is None:  # an empty database: the first start makes the schema
        empty = f"{where}, empty: the schema is made at the first start"
        return where, Result("database", ok=True, detail=empty)
    return where, version


def _failed(detail: str, hint: str) -> Result:
    return Result("database", ok=False, detail=detail.rstrip("."), hint=hint)
