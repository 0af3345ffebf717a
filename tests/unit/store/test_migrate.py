"""`briefbot migrate` between SQLite files: every row copied, checked, and answering the same."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.actors.lookup import find_page
from bot.errors import MigrateError, MigrateUsageError
from bot.search.archive import search_now
from bot.search.query import parse_query
from bot.store.copy import migrate, tables
from bot.store.index import Index
from bot.store.schema import sqlite_file
from tests import archive_kit, migrate_kit
from tests.migrate_kit import GROUP


@pytest.fixture(autouse=True)
def sqlite_files(monkeypatch: pytest.MonkeyPatch) -> None:
    migrate_kit.keep_sqlite(monkeypatch)  # the sources are SQLite files, whatever the engine


def _stamp(path: Path) -> str | None:
    db = sqlite3.connect(path)
    try:
        return sqlite_file.stamped(db)
    finally:
        db.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_every_table_is_copied_and_checked(source: Path, tmp_path: Path) -> None:
    report = migrate(f"sqlite:///{source}", f"sqlite:///{tmp_path / 'copy'}")
    assert [t.name for t in report.tables] == [t.name for t in tables()]
    assert len(report.tables) == 33  # the 32 tables and the full-text index
    empty = [t.name for t in report.tables if t.source.rows == 0]
    # The kit fills every table, so each comparison means something; on SQLite the blobs
    # table stays empty (the data directory's files stay files).
    assert empty == ["blobs"]
    assert report.mismatched == []
    for t in report.tables:
        assert t.target == t.source
    copied = tmp_path / "copy" / "index.sqlite3"
    for table in ("stances", "chat_articles", "pending_jobs", "search_fts"):
        query = f"SELECT count(*) FROM {table}"  # noqa: S608 - the names above
        assert _rows(copied, query) == _rows(source / "index.sqlite3", query)
    assert report.rows == sum(t.source.rows for t in report.tables) > 1000
    assert report.target == str(copied)


def test_the_copy_answers_who_and_search_as_the_source_does(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy"
    migrate(f"sqlite:///{source}", f"sqlite:///{target}")
    # The operator's move of an SQLite deployment: the texts (files) go along by hand.
    shutil.copytree(source / "articles", target / "articles")
    queries = [(q["chat"], q["search"]) for q in archive_kit.questions() if q["answerable"]][:12]
    answers = []
    for data in (source, target):
        index = Index(data / "index.sqlite3")
        try:
            who = [find_page(index, GROUP, name) for name in ("Kim Yo Jong", "moon", "witness")]
            hits = [
                search_now(index, chat, parse_query(words, today=archive_kit.TODAY))
                for chat, words in queries
            ]
        finally:
            index.close()
        answers.append((who, hits))
    (who_before, hits_before), (who_after, hits_after) = answers
    assert who_after == who_before
    assert all(page is not None and page.stances for _, page in who_before[:2])
    assert hits_after == hits_before
    assert sum(total for _, total in hits_before) > 0


def test_job_ids_go_on_above_the_highest_ever_given(
    source: Path, tmp_path: Path, deployment: tuple[Path, migrate_kit.Made]
) -> None:
    made = deployment[1]
    copied = tmp_path / "copy" / "index.sqlite3"
    migrate(f"sqlite:///{source}", f"sqlite:///{copied}")
    ids = _rows(copied, "SELECT max(id) FROM pending_jobs")[0][0]
    assert isinstance(ids, int) and ids < made.jobs_high_water  # the newest were pruned
    db = sqlite3.connect(copied)
    db.execute(
        "INSERT INTO pending_jobs (kind, chat_id, message_id, reply_to, created_at)"
        " VALUES ('text', 1, 1, 1, '2026-12-08')"
    )
    db.commit()
    assert db.execute("SELECT max(id) FROM pending_jobs").fetchone()[0] == made.jobs_high_water + 1
    db.close()


def test_a_file_from_before_alembic_is_upgraded_then_copied(tmp_path: Path) -> None:
    old = migrate_kit.before_alembic(tmp_path / "old" / "index.sqlite3")
    assert _stamp(old) is None
    report = migrate(f"sqlite:///{old}", f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert report.mismatched == []
    rows = {t.name: t.target.rows for t in report.tables}
    assert rows["briefings"] == rows["chat_articles"] == rows["stances"] == 1
    assert rows["chat_stances"] == 1  # filled on opening, as the bot's start fills it
    assert _stamp(old) == sqlite_file.HEAD
    assert _stamp(tmp_path / "new.sqlite3") == sqlite_file.HEAD
    assert _rows(tmp_path / "new.sqlite3", "SELECT issue, provenance FROM stances") == [("", None)]


def test_a_target_holding_rows_is_refused_and_left_as_it_was(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "live"
    migrate(f"sqlite:///{source}", f"sqlite:///{target}")
    before = _rows(target / "index.sqlite3", "SELECT count(*) FROM chat_articles")
    with pytest.raises(MigrateError, match=r"is not empty \(bot_messages holds 2 rows\)"):
        migrate(f"sqlite:///{source}", f"sqlite:///{target}")
    assert _rows(target / "index.sqlite3", "SELECT count(*) FROM chat_articles") == before


def test_one_row_anywhere_makes_a_target_not_empty(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "index.sqlite3"
    Index(target).close()  # a new file as the bot makes it: index_meta has its fills' marks
    with pytest.raises(MigrateError, match=r"\(index_meta holds 3 rows\)"):
        migrate(str(source), str(target))


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing", r"/missing does not exist\."),
        ("empty-dir", r"No briefbot database at .*/empty-dir: index.sqlite3 is not there\."),
        ("other.sqlite3", r"other.sqlite3 is not a briefbot database"),
        ("text.sqlite3", r"text.sqlite3 is not an SQLite database"),
    ],
)
def test_a_source_that_is_not_a_briefbot_database_is_refused_untouched(
    tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "empty-dir").mkdir()
    other = sqlite3.connect(tmp_path / "other.sqlite3")
    other.execute("CREATE TABLE notes (body TEXT)")
    other.close()
    (tmp_path / "text.sqlite3").write_text("not a database\n" * 100)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with pytest.raises(MigrateUsageError, match=message):
        migrate(f"sqlite:///{tmp_path / where}", f"sqlite:///{tmp_path / 'copy'}")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    assert not (tmp_path / "copy").exists()


def test_the_same_file_on_both_sides_is_refused(source: Path) -> None:
    with pytest.raises(MigrateUsageError, match="the same database"):
        migrate(f"sqlite:///{source}", f"sqlite:///{source / 'index.sqlite3'}")


def test_a_legacy_untyped_value_that_the_copy_changes_is_a_mismatch(tmp_path: Path) -> None:
    # index_meta.value had no type before Alembic: text '7' stays text there, and becomes the
    # integer 7 in a file made now. Only the checksum can tell.
    old = migrate_kit.before_alembic(tmp_path / "old.sqlite3")
    db = sqlite3.connect(old)
    db.execute("INSERT INTO index_meta VALUES ('operator_note', '7')")
    db.commit()
    db.close()
    report = migrate(str(old), str(tmp_path / "new.sqlite3"))
    assert report.mismatched == ["index_meta"]
    [check] = [t for t in report.tables if t.name == "index_meta"]
    assert check.source.rows == check.target.rows
    assert check.source.digest != check.target.digest
