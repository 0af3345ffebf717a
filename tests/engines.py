"""Fixtures for tests held to one behaviour on both engines: the index on SQLite, then PostgreSQL.

`engine_url` is None (SQLite) or a fresh PostgreSQL database's URL (marked postgres, so it
skips with one line where there is no server); `engine_index` is one Index on it, and
`engine_indexes` opens as many as a test wants on the same database, as each process has
its own connection. Everything opened is closed after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.store.index import Index
from tests.blobs_kit import ENGINES

Opener = Callable[[], Index]


@pytest.fixture(params=ENGINES)
def engine_url(request: pytest.FixtureRequest) -> str | None:
    """None for SQLite, else an empty PostgreSQL database of this test's."""
    return None if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine_indexes(engine_url: str | None, tmp_path: Path) -> Iterator[Opener]:
    """Open connections to one database, as each process has its own; all closed after."""
    opened: list[Index] = []

    def opener() -> Index:
        opened.append(Index(tmp_path / "index.sqlite3", database_url=engine_url))
        return opened[-1]

    yield opener
    for index in opened:
        index.close()


@pytest.fixture
def engine_index(engine_indexes: Opener) -> Index:
    """One Index on the engine's database."""
    return engine_indexes()
