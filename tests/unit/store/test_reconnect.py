"""PostgreSQL going away and coming back: connections heal, units of work run again, once.

Connections are cut with pg_terminate_backend (what a restart, a proxy or a failover does
to each of them), and a server of this module's own is stopped and started. Waits between
tries go through an injected clock and sleep: the outage ends when the test says so.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bot.store import pg_connection
from bot.store.index import Index
from bot.store.outage import ConnectionLostError, DatabaseUnavailableError, RetryPolicy
from bot.store.pg_connection import PgConnection
from bot.store.pg_sql import Row
from tests.postgres_outage import backend_pid, cut, halt, resume
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.postgres


class Outage:
    """A clock and a sleep for RetryPolicy: sleeping moves the clock; the server returns at `back_at`."""

    def __init__(self, server: PostgresServer, back_at: float | None) -> None:
        self.server, self.back_at = server, back_at
        self.now, self.slept = 0.0, list[float]()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.back_at is not None and self.now >= self.back_at and self.halted:
            resume(self.server)

    @property
    def halted(self) -> bool:
        return self.server.process.poll() is not None

    def policy(self, bound_s: float = 60.0) -> RetryPolicy:
        return RetryPolicy(bound_s=bound_s, clock=self.clock, sleep=self.sleep)


@pytest.fixture(autouse=True)
def quick_reconnect(monkeypatch: pytest.MonkeyPatch) -> None:
    # One try per statement while the server is down: the waiting is Index.run's, on the
    # test's clock, not PgConnection's 2 s of real time per try.
    monkeypatch.setattr(pg_connection, "RECONNECT_S", 0.0)


@pytest.fixture
def table(postgres_url: str) -> Iterator[PgConnection]:
    db = PgConnection(postgres_url)
    db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
    yield db
    db.close()


def names(db: sqlite3.Connection | PgConnection) -> list[str]:
    return [r["name"] for r in db.execute("SELECT name FROM t ORDER BY id").fetchall()]


def test_a_statement_after_its_connection_was_cut_runs_on_a_new_one(
    table: PgConnection, postgres_server: PostgresServer
) -> None:
    table.execute("INSERT INTO t VALUES (?, ?)", (1, "kept"))
    first = backend_pid(table)
    cut(postgres_server, first)
    assert names(table) == ["kept"]  # no error: the read ran again on a new connection
    assert backend_pid(table) != first
    assert table.reconnects == 1


def test_a_transaction_cut_off_raises_until_its_rollback_and_writes_nothing(
    table: PgConnection, postgres_server: PostgresServer
) -> None:
    table.execute("BEGIN IMMEDIATE")
    table.execute("INSERT INTO t VALUES (?, ?)", (1, "half"))
    cut(postgres_server, backend_pid(table))
    with pytest.raises(ConnectionLostError, match="inside a transaction"):
        table.execute("INSERT INTO t VALUES (?, ?)", (2, "other half"))
    # Not run on a new connection in autocommit mode: the unit's second half stays unwritten.
    with pytest.raises(ConnectionLostError):
        table.execute("INSERT INTO t VALUES (?, ?)", (3, "after"))
    table.execute("ROLLBACK")  # the server did it already; the caller's is accepted
    assert not table.in_transaction
    assert names(table) == []
    table.execute("BEGIN")  # the next transaction gets a fresh connection
    table.execute("INSERT INTO t VALUES (?, ?)", (4, "whole"))
    table.execute("COMMIT")
    assert names(table) == ["whole"]


def test_a_rollback_that_finds_the_connection_cut_ends_the_transaction_all_the_same(
    table: PgConnection, postgres_server: PostgresServer
) -> None:
    # The unit failed for a reason of its own, and the connection went before its ROLLBACK
    # (a restart mid-unit): the server rolled back, so the ROLLBACK's work is done. Left
    # "inside a transaction", every later statement refused: a worker stuck for good.
    table.execute("BEGIN IMMEDIATE")
    table.execute("INSERT INTO t VALUES (?, ?)", (1, "half"))
    cut(postgres_server, backend_pid(table))
    table.execute("ROLLBACK")
    assert not table.in_transaction
    assert names(table) == []  # the next statement runs, on a new connection
    table.execute("BEGIN")
    table.execute("INSERT INTO t VALUES (?, ?)", (2, "whole"))
    table.execute("COMMIT")
    assert names(table) == ["whole"]


def test_a_statement_after_the_server_restarted_succeeds(
    own_url: str, own_server: PostgresServer
) -> None:
    db = PgConnection(own_url)
    try:
        db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
        db.execute("INSERT INTO t VALUES (?, ?)", (1, "before"))
        halt(own_server)
        resume(own_server)
        assert names(db) == ["before"]  # the dead connection noticed, replaced, and read again
        assert db.reconnects == 1
    finally:
        db.close()


def test_while_the_server_is_down_a_statement_says_so_and_later_ones_reconnect(
    own_url: str, own_server: PostgresServer
) -> None:
    db = PgConnection(own_url, reconnect_s=0.0)
    try:
        halt(own_server)
        with pytest.raises(ConnectionLostError, match="PostgreSQL unreachable: no connection"):
            db.execute("SELECT 1")
        resume(own_server)
        assert db.execute("SELECT 1").fetchone() == (1,)
    finally:
        db.close()


def test_on_the_event_loop_a_down_server_fails_fast_and_is_not_tried_again_at_once(
    own_url: str, own_server: PostgresServer
) -> None:
    # Waiting on the loop's thread would stall every chat and getUpdates for the outage.
    now, slept = [0.0], list[float]()
    db = PgConnection(own_url, reconnect_s=60.0, sleep=slept.append, clock=lambda: now[0])
    opened = [0]
    real_open = db._open

    def counted(timeout: int | None = None) -> psycopg.Connection[Row]:
        opened[0] += 1
        return real_open(timeout)

    db._open = counted  # type: ignore[method-assign]

    async def on_the_loop() -> None:
        with pytest.raises(ConnectionLostError, match=r"no connection within 0\.0 s"):
            db.execute("SELECT 1")
        with pytest.raises(ConnectionLostError, match="a try a moment ago failed"):
            db.execute("SELECT 1")  # within DOWN_HOLD_S: not even tried
        assert (opened[0], slept) == (1, [])
        now[0] += pg_connection.DOWN_HOLD_S
        resume(own_server)
        assert db.execute("SELECT 1").fetchone() == (1,)

    try:
        halt(own_server)
        asyncio.run(on_the_loop())
        assert opened[0] == 2
    finally:
        db.close()


def _record(index: Index, name: str, *, cut_by: PostgresServer | None = None) -> None:
    """A unit of two writes in one transaction, its connection cut between them if asked."""
    with index.transaction() as db:
        db.execute("INSERT INTO index_meta VALUES (?, 1)", (f"{name}:1",))
        if cut_by is not None:
            cut(cut_by, backend_pid(db))
        db.execute("INSERT INTO index_meta VALUES (?, 1)", (f"{name}:2",))


def _written(index: Index, name: str) -> list[str]:
    rows = index.connection.execute(
        "SELECT name FROM index_meta WHERE name LIKE ? ORDER BY name", (f"{name}:%",)
    ).fetchall()
    return [str(r[0]) for r in rows]


async def test_a_unit_cut_off_mid_way_rolls_back_and_its_retry_commits_once(
    own_url: str, own_server: PostgresServer, tmp_path: Path
) -> None:
    outage = Outage(own_server, back_at=None)
    index = Index(tmp_path / "index.sqlite3", database_url=own_url, retry=outage.policy())
    tries = []

    def unit(twin: Index) -> str:
        tries.append(1)
        _record(twin, "job", cut_by=own_server if len(tries) == 1 else None)
        return "done"

    try:
        assert await index.run(unit) == "done"
        assert len(tries) == 2
        assert _written(index, "job") == ["job:1", "job:2"]  # once: the first try left nothing
        assert len(outage.slept) == 1
    finally:
        index.close()


async def test_a_unit_during_a_3_s_outage_waits_and_succeeds(
    own_url: str, own_server: PostgresServer, tmp_path: Path
) -> None:
    outage = Outage(own_server, back_at=3.0)
    index = Index(tmp_path / "index.sqlite3", database_url=own_url, retry=outage.policy())
    try:
        await index.run(_record, "warm")  # the database thread's connection is open
        halt(own_server)
        await index.run(_record, "during")
        assert 3.0 <= outage.now < 3.0 + RetryPolicy.max_delay_s
        assert max(outage.slept) <= RetryPolicy.max_delay_s  # a return is noticed promptly
        assert _written(index, "during") == ["during:1", "during:2"]
    finally:
        index.close()


async def test_beyond_the_bound_a_unit_raises_one_clear_error_and_writes_nothing(
    own_url: str, own_server: PostgresServer, tmp_path: Path
) -> None:
    outage = Outage(own_server, back_at=None)
    index = Index(tmp_path / "index.sqlite3", database_url=own_url, retry=outage.policy(10.0))
    try:
        await index.run(_record, "warm")
        halt(own_server)
        with pytest.raises(DatabaseUnavailableError, match=r"did not answer for 10 s"):
            await index.run(_record, "lost")
        assert outage.now == 10.0  # the last wait is cut to the bound, not past it
        resume(own_server)
        assert _written(index, "lost") == []
        await index.run(_record, "after")  # and the store works again, by itself
        assert _written(index, "after") == ["after:1", "after:2"]
    finally:
        index.close()


async def test_a_unit_that_fails_for_another_reason_is_not_run_again(
    postgres_url: str, tmp_path: Path
) -> None:
    index = Index(tmp_path / "index.sqlite3", database_url=postgres_url)
    tries = []

    def broken(twin: Index) -> None:
        tries.append(1)
        twin.connection.execute("SELECT * FROM no_such_table")

    try:
        with pytest.raises(Exception, match="no_such_table"):
            await index.run(broken)
        assert len(tries) == 1
    finally:
        index.close()
