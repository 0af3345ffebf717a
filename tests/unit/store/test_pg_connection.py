"""The PostgreSQL adapter: sqlite3's face on psycopg, checked against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from bot.store.pg_connection import PgConnection
from bot.store.pg_sql import translate


def test_placeholders_outside_quotes_become_psycopgs() -> None:
    assert translate("SELECT a FROM t WHERE b = ? AND c LIKE 'x?%' AND d = ?") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE 'x?%%' AND d = %s"
    )


def test_every_percent_is_doubled_and_quotes_inside_quotes_are_kept() -> None:
    assert translate("SELECT 7 % 3, 'it''s ?', \"col?\" FROM t WHERE x = ?") == (
        "SELECT 7 %% 3, 'it''s ?', \"col?\" FROM t WHERE x = %s"
    )


def test_sqlites_immediate_begin_is_a_plain_begin() -> None:
    assert translate("BEGIN IMMEDIATE") == "BEGIN"
    assert translate("BEGIN") == "BEGIN"


@pytest.fixture
def db(postgres_url: str) -> Iterator[PgConnection]:
    made = PgConnection(postgres_url)
    made.execute("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, flag BIGINT)")
    yield made
    made.close()


@pytest.mark.postgres
def test_rows_answer_by_position_and_by_name(db: PgConnection) -> None:
    db.executemany("INSERT INTO t (name, flag) VALUES (?, ?)", [("a", True), ("b", False)])
    rows = db.execute("SELECT id, name, flag FROM t ORDER BY id").fetchall()
    assert [(r[0], r["name"], r["flag"]) for r in rows] == [(1, "a", 1), (2, "b", 0)]
    assert rows[0].keys() == ["id", "name", "flag"]
    assert tuple(rows[1]) == (2, "b", 0)


@pytest.mark.postgres
def test_returning_and_rowcount_read_as_on_sqlite(db: PgConnection) -> None:
    made = db.execute("INSERT INTO t (name) VALUES (?) RETURNING id", ("x",)).fetchone()
    assert made is not None and made["id"] == 1
    assert db.execute("UPDATE t SET flag = ? WHERE name = ?", (3, "nobody")).rowcount == 0
    assert db.execute("UPDATE t SET flag = ? WHERE name = ?", (3, "x")).rowcount == 1
    assert db.execute("DELETE FROM t WHERE name = ?", ("x",)).fetchone() is None


@pytest.mark.postgres
def test_a_transaction_rolls_back_whole(db: PgConnection) -> None:
    assert not db.in_transaction
    db.execute("BEGIN IMMEDIATE")
    assert db.in_transaction
    db.execute("INSERT INTO t (name) VALUES (?)", ("kept?",))
    with pytest.raises(psycopg.errors.NotNullViolation):
        db.execute("INSERT INTO t (name) VALUES (?)", (None,))
    db.execute("ROLLBACK")
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
    db.execute("BEGIN")
    db.execute("INSERT INTO t (name) VALUES (?)", ("kept",))
    db.execute("COMMIT")
    assert db.execute("SELECT name FROM t").fetchall() == [("kept",)]


@pytest.mark.postgres
def test_a_percent_in_a_literal_reaches_the_server_as_one(db: PgConnection) -> None:
    db.execute("INSERT INTO t (name) VALUES (?)", ("50% off",))
    rows = db.execute("SELECT name, 'a%b' FROM t WHERE name LIKE '%off' AND id = ?", (1,))
    assert rows.fetchall() == [("50% off", "a%b")]


def test_a_connection_asks_for_keepalives_unless_the_url_says_otherwise(postgres_url: str) -> None:
    # A partition leaves no FIN nor RST: without probes a statement would wait for hours.
    made = PgConnection(postgres_url)
    try:
        dsn = made._conn.info.dsn
        assert "keepalives=1" in dsn and "keepalives_idle=30" in dsn
    finally:
        made.close()
    own = PgConnection(postgres_url + "?keepalives=0")
    try:
        assert "keepalives=0" in own._conn.info.dsn and "keepalives_idle" not in own._conn.info.dsn
    finally:
        own.close()
