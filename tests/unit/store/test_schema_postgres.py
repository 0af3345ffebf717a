"""The same schema on PostgreSQL: Alembic makes it from the history, and it is the MetaData."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from bot.errors import SchemaError
from bot.store.index import Index
from bot.store.schema import sqlite_file, versions
from bot.store.schema.tables import METADATA, include_object

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    made = create_engine(postgres_url)
    yield made
    made.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        return list(compare_metadata(context, METADATA))


def test_the_history_makes_the_metadata_on_postgresql(engine: Engine) -> None:
    versions.upgrade(engine)
    assert _differences(engine) == []
    with engine.connect() as connection:
        assert versions.current(connection) == sqlite_file.HEAD
    tables = set(inspect(engine).get_table_names())
    assert tables == {*METADATA.tables, "search_fts", "alembic_version"}


def test_integers_are_64_bit_for_telegram_ids(engine: Engine) -> None:
    versions.upgrade(engine)
    channel = -1001234567890123  # supergroup and channel ids pass 2**31 by far
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO chat_zones (chat_id, tz) VALUES (:chat, 'UTC')"), {"chat": channel}
        )
        assert connection.execute(text("SELECT chat_id FROM chat_zones")).scalar() == channel


def test_the_full_text_table_keeps_its_own_weighted_document(engine: Engine) -> None:
    versions.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO search_fts (rowid, title, brief, names, body) VALUES "
                 "(1, 'Sanctions on Iran', '', '', 'Talks stalled.'), "
                 "(2, 'Markets', '', '', 'Sanctions were mentioned in passing.')")
        )  # fmt: skip
        ranked = connection.execute(
            text("SELECT rowid FROM search_fts WHERE document @@ plainto_tsquery('simple', :q) "
                 "ORDER BY ts_rank(document, plainto_tsquery('simple', :q)) DESC"),
            {"q": "sanctions"},
        ).scalars().all()  # fmt: skip
    assert ranked == [1, 2]  # a title match outranks a body match


def test_the_history_goes_down_and_up_again(engine: Engine) -> None:
    versions.upgrade(engine)
    with engine.begin() as connection:
        command.downgrade(versions.config(connection), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    versions.upgrade(engine)
    assert _differences(engine) == []


def test_sendings_get_ids_in_order_on_postgresql(engine: Engine) -> None:
    versions.upgrade(engine, "0001")
    with engine.begin() as connection:
        for hash_ in ("a", "b"):
            connection.execute(
                text("INSERT INTO chat_articles (chat_id, article_hash, received_at) "
                     "VALUES (7, :h, '2026-12-01T10:00:00+00:00')"), {"h": hash_}
            )  # fmt: skip
    versions.upgrade(engine)
    with engine.begin() as connection:
        ids = connection.execute(text("SELECT id FROM chat_articles ORDER BY id")).scalars()
        assert list(ids) == [1, 2]
        made = connection.execute(
            text("INSERT INTO chat_articles (chat_id, article_hash, received_at) "
                 "VALUES (7, 'c', '2026-12-02T10:00:00+00:00') RETURNING id")
        ).scalar()  # fmt: skip
    assert made == 3


def test_the_document_weighs_title_brief_names_body_as_bm25_does(engine: Engine) -> None:
    versions.upgrade(engine, "0003")
    insert = text("INSERT INTO search_fts (rowid, title, brief, names, body) "
                  "VALUES (1, 'tit', 'bri', 'nam', 'bod')")  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert)
    versions.upgrade(engine)  # 0004 recomputes the rows already there
    read = text("SELECT document::text FROM search_fts WHERE rowid = 1")
    with engine.connect() as connection:
        document = connection.execute(read).scalar()
    assert document == "'bod':4 'bri':2B 'nam':3C 'tit':1A"  # D, the default, is not shown
    with engine.begin() as connection:
        command.downgrade(versions.config(connection), "0003")
    with engine.connect() as connection:
        assert connection.execute(read).scalar() == "'bod':4C 'bri':2B 'nam':3A 'tit':1A"


def test_a_database_from_a_newer_briefbot_is_refused_on_postgresql(
    engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    versions.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match=r"newer briefbot \(schema 9999; this one knows up to"):
        Index(tmp_path / "index.sqlite3", postgres_url)
