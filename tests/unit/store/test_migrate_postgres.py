"""`briefbot migrate` into a real PostgreSQL: every row, the next ids, full text, refusals."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from bot.cli import EXIT_CONFIG, EXIT_ERROR, main
from bot.errors import MigrateError, MigrateUsageError
from bot.store.copy import migrate, tables
from bot.store.schema import versions
from tests import migrate_kit
from tests.postgres import libpq_url
from tests.postgres_server import PostgresServer


@pytest.fixture(autouse=True)
def sqlite_files(monkeypatch: pytest.MonkeyPatch) -> None:
    migrate_kit.keep_sqlite(monkeypatch)  # the sources are SQLite files, whatever the engine


def _pg(url: str) -> Any:
    import psycopg

    return psycopg.connect(libpq_url(url))


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables()
            }
    finally:
        engine.dispose()


def test_every_table_arrives_whole(source: Path, postgres_url: str) -> None:
    report = migrate(f"sqlite:///{source}", postgres_url)
    assert report.mismatched == []
    assert len(report.tables) == 33
    assert all(t.source.rows > 0 and t.target == t.source for t in report.tables)
    texts = sorted(source.glob("articles/*/*.txt"))
    blobs = next(t for t in report.tables if t.name == "blobs")
    assert blobs.source.rows == len(texts) > 0  # every text file became a row
    with _pg(postgres_url) as pg:
        body = pg.execute(
            "SELECT body FROM blobs WHERE kind = 'articles' AND key = %s", (texts[0].stem,)
        ).fetchone()
    assert body is not None and bytes(body[0]) == texts[0].read_bytes()
    sqlite_counts = {t.name: t.source.rows for t in report.tables}
    assert _counts(postgres_url) == sqlite_counts
    with _pg(postgres_url) as pg:
        # Read back as they were written: 64-bit negative ids, Cyrillic and emoji, NULLs.
        assert pg.execute(
            "SELECT chat_id, detail FROM events WHERE detail LIKE 'Пхеньян%'"
        ).fetchall() == [(migrate_kit.GROUP, "Пхеньян 🚀")]
        assert pg.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (versions.head(),)
        ]


def test_new_rows_take_ids_above_every_id_given_before(
    source: Path, postgres_url: str, deployment: tuple[Path, migrate_kit.Made]
) -> None:
    migrate(str(source), postgres_url)
    with _pg(postgres_url) as pg:
        copied = pg.execute("SELECT max(id) FROM pending_jobs").fetchone()[0]
        (new,) = pg.execute(
            "INSERT INTO pending_jobs (kind, chat_id, message_id, reply_to, created_at)"
            " VALUES ('text', 1, 1, 1, '2026-12-08') RETURNING id"
        ).fetchone()
        # Above the rows copied, and above the pruned jobs' ids too, as SQLite would have been.
        assert copied < deployment[1].jobs_high_water < new
        assert new == deployment[1].jobs_high_water + 1
        for table in ("chat_articles", "feed_sources", "feed_items", "search_docs", "search_pages"):
            before = pg.execute(f"SELECT max(id) FROM {table}").fetchone()[0]  # noqa: S608
            (given,) = pg.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            ).fetchone()
            assert given == before + 1, table


def test_the_full_text_rows_are_found_by_postgresqls_own_search(
    source: Path, postgres_url: str
) -> None:
    migrate(str(source), postgres_url)
    sqlite_db = sqlite3.connect(source / "index.sqlite3")
    with _pg(postgres_url) as pg:
        for word in ("jong", "moon", "sanction", "pyongyang"):
            found = pg.execute(
                "SELECT rowid FROM search_fts WHERE document @@ plainto_tsquery('simple', %s)",
                [word],
            ).fetchall()
            expected = sqlite_db.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", [word]
            ).fetchall()
            assert found, word
            assert sorted(found) == sorted(expected), word
        named = pg.execute(
            """SELECT d.article_hash FROM search_fts f JOIN search_docs d ON d.id = f.rowid
               WHERE f.document @@ plainto_tsquery('simple', 'moon jae')"""
        ).fetchall()
        assert sorted(h for (h,) in named) == ["kim-1-hash", "kim-2-hash", "kim-3-hash"]
    sqlite_db.close()


def test_a_database_holding_rows_is_refused_and_left_alone(source: Path, postgres_url: str) -> None:
    migrate(str(source), postgres_url)
    before = _counts(postgres_url)
    # The first table in order that holds rows: blobs, the data directory's 150 texts.
    with pytest.raises(MigrateError, match=r"is not empty \(blobs holds 150 rows\)"):
        migrate(str(source), postgres_url)
    assert _counts(postgres_url) == before


def test_an_empty_database_with_the_schema_already_made_is_taken(
    source: Path, postgres_url: str
) -> None:
    engine = create_engine(postgres_url)
    versions.upgrade(engine)
    engine.dispose()
    assert migrate(str(source), postgres_url).mismatched == []


def test_a_value_postgresql_cannot_store_is_named_and_nothing_is_copied(
    source: Path, postgres_url: str
) -> None:
    db = sqlite3.connect(source / "index.sqlite3")
    hash_ = db.execute("SELECT article_hash FROM search_docs WHERE id = 3").fetchone()[0]
    db.execute("UPDATE search_docs SET brief = 'a' || char(0) || 'b' WHERE id = 3")
    db.commit()
    db.close()
    with pytest.raises(MigrateError) as refused:
        migrate(str(source), postgres_url)
    assert str(refused.value).startswith(
        "search_docs.brief holds a NUL character, which PostgreSQL text cannot store (id=3); "
    )
    assert hash_ not in str(refused.value)
    assert set(_counts(postgres_url).values()) == {0}  # rolled back: empty, ready for a retry


@pytest.mark.parametrize(
    ("made_before", "why"),
    [
        (["CREATE TABLE briefings (note text)"], 'relation "briefings" already exists'),
        (
            ["CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)",
             "INSERT INTO alembic_version VALUES ('9999')"],
            "Can't locate revision identified by '9999'",
        ),
    ],
)  # fmt: skip
def test_a_schema_it_cannot_make_is_said_in_one_line(
    source: Path, postgres_url: str, made_before: list[str], why: str
) -> None:
    with _pg(postgres_url) as pg:
        for statement in made_before:
            pg.execute(statement)
    with pytest.raises(MigrateError) as refused:
        migrate(str(source), postgres_url)
    assert str(refused.value).startswith(f"Cannot make the schema in {postgres_url}: {why}")
    assert "\n" not in str(refused.value)


def test_a_database_that_is_not_utf8_is_refused(
    source: Path, postgres_server: PostgresServer
) -> None:
    assert postgres_server.admin is not None
    postgres_server.admin.execute(
        "CREATE DATABASE latin TEMPLATE template0 ENCODING 'LATIN1' LOCALE_PROVIDER libc LOCALE 'C'"
    )
    try:
        with pytest.raises(MigrateUsageError, match="stores text as LATIN1; the store needs UTF8"):
            migrate(str(source), postgres_server.url("latin"))
    finally:
        postgres_server.admin.execute("DROP DATABASE latin WITH (FORCE)")


def test_the_command_line_copies_into_postgresql(
    source: Path,
    postgres_url: str,
    postgres_server: PostgresServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = postgres_server.url("no_such_database").replace("postgres@", "postgres:pa55word@")
    assert main(["migrate", "--from", f"sqlite:///{source}", "--to", postgres_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if re.fullmatch(r"\w+ +[\d,]+ +ok", line)]) == 33
    assert re.fullmatch(
        r"33 tables, [\d,]+ rows copied from .+ to postgresql\+psycopg://.+", out[-2]
    )
    assert re.fullmatch(
        r"The data directory's [\d,]+ files are rows of the blobs table now\.", out[-1]
    )
    assert main(["migrate", "--from", str(source), "--to", missing]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert 'database "no_such_database" does not exist' in err
    assert "pa55word" not in err
    assert "postgres:***@" not in err  # the message names host and port, not the URL
    assert main(["migrate", "--from", str(source), "--to", "postgres://x@h"]) == EXIT_CONFIG
