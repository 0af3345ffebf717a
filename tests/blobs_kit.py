"""The blobs table on either engine, for tests that hold both to one behaviour.

`ENGINES` parametrizes a test over SQLite and PostgreSQL (the second marked postgres, so it
skips with one line where there is no server); `open_blobs` gives that engine's Blobs over
a database already at the schema's head.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.store.blobs import Blobs
from bot.store.index import Index
from tests.harness import FakeClock

ENGINES = [
    pytest.param("sqlite", id="sqlite", marks=pytest.mark.sqlite_only("the postgresql case runs")),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def open_blobs(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest, clock: FakeClock
) -> Blobs:
    """Return the Blobs of a new database of `engine`, stamped by `clock`."""
    if engine == "sqlite":
        path = tmp_path / "index.sqlite3"
        Index(path).close()  # the file made at the schema's head, as the bot makes it
        return Blobs.in_sqlite(path, clock=clock)
    from bot.store.schema import postgres_db

    url = str(request.getfixturevalue("postgres_url"))
    postgres_db.ensure(url)  # what Index does first on PostgreSQL
    return Blobs.on_postgresql(url, clock=clock)


def a_clock() -> FakeClock:
    """Return a clock at a fixed instant."""
    return FakeClock(datetime.fromisoformat("2026-12-01T09:00:00+00:00"))
