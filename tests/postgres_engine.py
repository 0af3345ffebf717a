"""BRIEFBOT_TEST_ENGINE=postgresql: the whole suite with every Index on PostgreSQL.

Each index file a test opens becomes a database of its own on this process's server, cloned
from a template migrated once (Alembic per test would cost more than the test). Files stay
where they were (briefings, texts): only the database moves. A `briefbot` subprocess the test
starts moves its index too (tests/pg_child/sitecustomize.py): the database's name follows from
the test and the file's path, so the test and its subprocesses meet on one database.

Tests that are about the SQLite file itself (PRAGMA, rowid, a file from an older release)
carry `@pytest.mark.sqlite_only("why")` and are skipped in this mode with that reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ENGINE = "BRIEFBOT_TEST_ENGINE"
# "<server's admin URL> <prefix>": how a subprocess finds the test's databases.
DATABASES = "BRIEFBOT_TEST_DATABASES"
_TEMPLATE = "briefbot_template"
_CHILD = Path(__file__).parent / "pg_child"
_numbers = itertools.count()
ConnectFn = Callable[[Path, str | None], sqlite3.Connection]


def on_postgresql() -> bool:
    """Say whether this run puts every index on PostgreSQL."""
    return os.environ.get(ENGINE) == "postgresql"


def insertion_order(engine: str) -> str:
    """Return the column that orders an append-only table's rows as they were written."""
    # PostgreSQL's heap appends rows in order until something is updated or vacuumed away;
    # the tables tests read this way (events) only ever get rows added.
    return "ctid" if engine == "postgresql" else "rowid"


def database_name(prefix: str, path: Path) -> str:
    """Return the database that stands for the index file at `path` in one test."""
    digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return f"{prefix}{digest}"


def clone(admin_url: str, name: str) -> None:
    """Create database `name` from the migrated template, unless it is there already."""
    import psycopg
    from psycopg import errors, sql

    # The test and its subprocess may both open the same file first.
    with (
        psycopg.connect(admin_url, autocommit=True) as admin,
        contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation),
    ):
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(_TEMPLATE)))  # fmt: skip


def move_index_to(
    admin_url: str, server_url: str, prefix: str, opened: list[sqlite3.Connection] | None = None
) -> ConnectFn:
    """Return Index's connect, opening an index without a database_url on its own database.

    Each connection is appended to `opened`, if given, for the test's teardown to close.
    """
    from bot.store.connect import connect as real_connect

    made: set[str] = set()

    def connect(path: Path, database_url: str | None = None) -> sqlite3.Connection:
        if database_url is None:
            name = database_name(prefix, path)
            if name not in made:
                clone(admin_url, name)
                made.add(name)
            database_url = server_url.rsplit("/", 1)[0] + "/" + name
        db = real_connect(path, database_url)
        if opened is not None:
            opened.append(db)
        return db

    return connect


def _template(admin_url: str, server_url: str) -> None:
    import psycopg
    from psycopg import sql

    from bot.store.schema import postgres_db

    with psycopg.connect(admin_url, autocommit=True) as admin:
        known = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (_TEMPLATE,)
        ).fetchone()
        if known is None:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(_TEMPLATE))
            )
            postgres_db.ensure(server_url.rsplit("/", 1)[0] + "/" + _TEMPLATE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests about the SQLite file itself when every index is on PostgreSQL."""
    if not on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "about the SQLite file itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(autouse=True)
def index_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Under BRIEFBOT_TEST_ENGINE=postgresql, open every index on its own database."""
    if not on_postgresql():
        yield
        return
    from psycopg import sql

    from tests.postgres import running_server

    server = running_server()
    assert server.admin is not None
    admin_url = server.url("postgres").replace("postgresql+psycopg://", "postgresql://")
    server_url = server.url(_TEMPLATE)
    _template(admin_url, server_url)
    prefix = f"index_{os.getpid()}_{next(_numbers)}_"
    # Tests that leave an Index open (harmless with a file) would have psycopg warn when the
    # connection is collected, in whichever test runs then: closed here instead, at the end.
    opened: list[sqlite3.Connection] = []
    monkeypatch.setattr(
        "bot.store.index.connect", move_index_to(admin_url, server_url, prefix, opened)
    )
    # A subprocess's interpreter imports sitecustomize from PYTHONPATH before the bot.
    path = os.pathsep.join(
        [str(_CHILD), str(_CHILD.parent.parent), os.environ.get("PYTHONPATH", "")]
    )
    monkeypatch.setenv("PYTHONPATH", path.rstrip(os.pathsep))
    monkeypatch.setenv(DATABASES, f"{admin_url} {server_url} {prefix}")
    try:
        yield
    finally:
        for db in opened:
            db.close()
        rows = server.admin.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
        ).fetchall()
        for (name,) in rows:
            server.admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
