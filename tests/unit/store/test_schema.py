"""One schema for the store: the MetaData, its Alembic history and every SQLite file agree."""

from __future__ import annotations

import copy
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from bot.errors import SchemaError
from bot.store.index import Index
from bot.store.schema import sqlite_file, versions
from bot.store.schema.tables import METADATA, include_object
from tests.schema_shape import shape

pytestmark = pytest.mark.sqlite_only("SQLite files: made, stamped, upgraded in place by Alembic")

FIXTURES = Path(__file__).parents[2] / "fixtures"
# What a file made before Alembic differs in from one made now, and why it does not matter:
# index_meta's value was declared without a type (it only ever holds 1), and a one-column
# primary key of a rowid table was declared without NOT NULL (SQLite's quirk lets such a key
# be NULL; nothing ever wrote one, and the schema now says NOT NULL, as PostgreSQL requires).
_UNTYPED_BEFORE = ("index_meta", "value")


def _as_made_now(before: dict[str, Any]) -> dict[str, Any]:
    made = copy.deepcopy(before)
    for table_name, table in made.items():
        table["columns"] = [
            (name, "INTEGER" if (table_name, name) == _UNTYPED_BEFORE else kind,
             1 if pk else not_null, default, pk)
            for name, kind, not_null, default, pk in table["columns"]
        ]  # fmt: skip
    return made


def _in_key(table: str, column: str) -> bool:
    return bool(METADATA.tables[table].c[column].primary_key)


def _mattering(differences: list[Any]) -> list[Any]:
    """Leave out the differences above (Alembic reports them as nullable and type changes)."""
    return [
        d for d in differences
        if not (isinstance(d, list) and d[0][0] == "modify_nullable" and _in_key(*d[0][2:4]))
        and not (isinstance(d, list) and d[0][0] == "modify_type" and d[0][2:4] == _UNTYPED_BEFORE)
    ]  # fmt: skip


def _made_by_index(path: Path) -> Path:
    Index(path).close()
    return path


def _made_by_alembic(path: Path) -> Path:
    versions.upgrade(create_engine(f"sqlite:///{path}"))
    return path


def _differences(path: Path) -> list[object]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": include_object,
                "compare_type": True,
                "compare_server_default": False,
            },
        )
        return list(compare_metadata(context, METADATA))


def test_the_stamp_written_on_opening_is_alembics_head() -> None:
    assert versions.head() == sqlite_file.HEAD
    assert list(sqlite_file.REVISIONS) == versions.revisions()


def test_a_new_file_is_the_schema_alembic_makes(tmp_path: Path) -> None:
    by_index = shape(_made_by_index(tmp_path / "index.sqlite3"))
    by_alembic = shape(_made_by_alembic(tmp_path / "alembic.sqlite3"))
    assert by_index == by_alembic
    assert len(by_index) == len(METADATA.tables) + 1  # and the full-text index
    assert by_index["chat_stances"]["indexes"]["pk:chat_id,actor,dated,article_hash,ord"][
        "keys"
    ] == [("chat_id", 0), ("actor", 0), ("dated", 1), ("article_hash", 0), ("ord", 0)]


@pytest.mark.parametrize("maker", [_made_by_index, _made_by_alembic])
def test_a_new_file_matches_the_metadata(tmp_path: Path, maker: object) -> None:
    assert callable(maker)
    path = maker(tmp_path / "index.sqlite3")
    assert _differences(path) == []
    assert sqlite_file.stamped(sqlite3.connect(path)) == sqlite_file.HEAD


def _before_alembic(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "index_before_alembic.sql").read_text())
    db.close()
    return path


def test_a_file_from_before_alembic_is_the_baseline_and_gets_stamped(tmp_path: Path) -> None:
    before = shape(_before_alembic(tmp_path / "old.sqlite3"))
    upgraded = shape(_made_by_index(tmp_path / "old.sqlite3"))
    new = shape(_made_by_index(tmp_path / "new.sqlite3"))
    # Only what revisions after the baseline changed: chat_articles got its id (0002),
    # pending_jobs its lease columns (0005).
    assert {t for t in before if before[t] != upgraded[t]} == {"chat_articles", "pending_jobs"}
    assert _as_made_now(upgraded) == new
    assert _mattering(_differences(tmp_path / "old.sqlite3")) == []
    assert sqlite_file.stamped(sqlite3.connect(tmp_path / "old.sqlite3")) == sqlite_file.HEAD


def test_a_file_from_before_a_column_gets_it_in_place_with_its_default(tmp_path: Path) -> None:
    path = _before_alembic(tmp_path / "old.sqlite3")
    db = sqlite3.connect(path)
    db.execute("INSERT INTO digest_subscriptions (chat_id, at, tz, subscribed_at, enabled,"
               " thread_id, subscriber_id) VALUES (1, '09:00', 'UTC', 'x', 1, NULL, NULL)")  # fmt: skip
    db.execute("ALTER TABLE digest_subscriptions DROP COLUMN paused")
    db.execute("INSERT INTO feed_items (source_id, seen_at, state) VALUES (1, '2026-01-02', 'new')")
    db.execute("DROP INDEX feed_items_last")
    db.execute("ALTER TABLE feed_items DROP COLUMN last_seen_at")
    db.commit()
    db.close()
    Index(path).close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT paused FROM digest_subscriptions").fetchall() == [(0,)]
    # Retention reads last_seen_at: an item from before it counts as last seen when first seen.
    assert db.execute("SELECT last_seen_at FROM feed_items").fetchall() == [("2026-01-02",)]
    assert _mattering(_differences(path)) == []


def test_a_file_from_a_newer_briefbot_is_refused_not_guessed_at(tmp_path: Path) -> None:
    path = _made_by_index(tmp_path / "index.sqlite3")
    db = sqlite3.connect(path)
    db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.commit()
    db.close()
    with pytest.raises(SchemaError, match=r"newer briefbot \(schema 9999; this one knows up to"):
        Index(path)


def _open_at_once(path: Path, count: int) -> list[BaseException]:
    """Open the file from `count` threads released together; return what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def open_it() -> None:
        start.wait()
        try:
            Index(path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_connections_opening_one_new_file_make_it_once(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    assert _open_at_once(path, 4) == []
    stamps = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchall()
    assert stamps == [(sqlite_file.HEAD,)]


def _stamped_baseline(path: Path) -> Path:
    """Return a file as briefbot made it at revision 0001: the baseline, stamped."""
    _before_alembic(path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                   "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")  # fmt: skip
        db.execute("INSERT INTO alembic_version VALUES ('0001')")
        db.executemany(
            "INSERT INTO chat_articles (chat_id, article_hash, message_id, received_at)"
            " VALUES (?, ?, ?, ?)",
            [(7, f"h{i}", i, f"2026-12-0{1 + i % 9}T10:00:00+00:00") for i in range(40)],
        )
        db.execute("DELETE FROM chat_articles WHERE message_id % 3 = 0")  # ids with gaps
        db.commit()
    return path


def test_a_file_at_the_baseline_is_upgraded_by_alembic_keeping_every_sending(
    tmp_path: Path,
) -> None:
    path = _stamped_baseline(tmp_path / "index.sqlite3")
    with closing(sqlite3.connect(path)) as db:
        before = db.execute("SELECT rowid, * FROM chat_articles ORDER BY rowid").fetchall()
    index = Index(path)
    try:
        after = index.connection.execute("SELECT * FROM chat_articles ORDER BY id").fetchall()
        assert [tuple(row) for row in after] == before  # each sending's id is its old rowid
        assert len(before) == 26
        assert sqlite_file.stamped(index.connection) == sqlite_file.HEAD
    finally:
        index.close()
    new = shape(_made_by_index(tmp_path / "new.sqlite3"))
    assert _as_made_now(shape(path)) == new
    assert _mattering(_differences(path)) == []


def test_processes_opening_a_file_to_upgrade_at_once_upgrade_it_once(tmp_path: Path) -> None:
    path = _stamped_baseline(tmp_path / "index.sqlite3")
    assert _open_at_once(path, 3) == []
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM chat_articles").fetchone() == (26,)
        assert sqlite_file.stamped(db) == sqlite_file.HEAD


def test_a_file_goes_back_to_the_baseline_and_up_again_keeping_every_sending(
    tmp_path: Path,
) -> None:
    path = _stamped_baseline(tmp_path / "index.sqlite3")
    Index(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(versions.config(connection), "0001")
    engine.dispose()
    with closing(sqlite3.connect(path)) as db:
        assert sqlite_file.stamped(db) == "0001"
        assert "id" not in {row[1] for row in db.execute("PRAGMA table_info(chat_articles)")}
    Index(path).close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM chat_articles").fetchone() == (26,)
        assert sqlite_file.stamped(db) == sqlite_file.HEAD
