"""BRIEFBOT_TEST_ENGINE=postgresql: the whole suite with every Index on PostgreSQL.

Each index file a test opens becomes a database of its own on this process's server, cloned
from a template migrated once (Alembic per test would cost more than the test). Files stay
where they were (briefings, texts): only the database moves. Used to measure how much of
the suite holds on PostgreSQL while the store is made portable; CI runs it once it all does.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.store.index
from bot.store.connect import connect as real_connect
from bot.store.schema import postgres_db
from tests.postgres import running_server
from tests.postgres_server import PostgresServer

ENGINE = "BRIEFBOT_TEST_ENGINE"
_TEMPLATE = "briefbot_template"
_numbers = itertools.count()


def _template(server: PostgresServer) -> None:
    from psycopg import sql

    assert server.admin is not None
    known = server.admin.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", (_TEMPLATE,)
    ).fetchone()
    if known is None:
        server.admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(_TEMPLATE))
        )
        postgres_db.ensure(server.url(_TEMPLATE))


@contextlib.contextmanager
def _clone(server: PostgresServer) -> Iterator[str]:
    from psycopg import sql

    assert server.admin is not None
    database = f"index_{os.getpid()}_{next(_numbers)}"
    name = sql.Identifier(database)
    server.admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        name, sql.Identifier(_TEMPLATE)))  # fmt: skip
    try:
        yield server.url(database)
    finally:
        server.admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))


@pytest.fixture(autouse=True)
def index_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Under BRIEFBOT_TEST_ENGINE=postgresql, open every index on its own database."""
    if os.environ.get(ENGINE) != "postgresql":
        yield
        return
    server = running_server()
    _template(server)
    urls: dict[Path, str] = {}
    with contextlib.ExitStack() as stack:

        def connect(path: Path, database_url: str | None = None) -> sqlite3.Connection:
            if database_url is None:
                key = Path(path).resolve()
                if key not in urls:
                    urls[key] = stack.enter_context(_clone(server))
                database_url = urls[key]
            return real_connect(path, database_url)

        monkeypatch.setattr(bot.store.index, "connect", connect)
        yield
