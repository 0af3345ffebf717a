"""The copy's check: row hashes in any order, and what it finds in two files made to differ."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.errors import MigrateUsageError
from bot.store.checksums import TableCheck, canonical, combined, verify
from bot.store.copy import migrate, tables
from bot.store.endpoints import parse
from bot.store.index import Index
from bot.store.schema.tables import METADATA
from bot.store.values import unstorable
from tests import migrate_kit

SWAP_ZONES = """UPDATE digest_subscriptions
    SET tz = CASE tz WHEN 'Asia/Seoul' THEN 'Europe/Berlin' ELSE 'Asia/Seoul' END"""


@pytest.fixture(autouse=True)
def sqlite_files(monkeypatch: pytest.MonkeyPatch) -> None:
    migrate_kit.keep_sqlite(monkeypatch)  # the sources are SQLite files, whatever the engine


def test_a_rows_bytes_keep_types_apart() -> None:
    assert canonical([1, "1", None, ""]) == b'[1,"1",null,""]'
    assert canonical(["Пхеньян 🚀"]) == '["Пхеньян 🚀"]'.encode()
    assert canonical([b"\x00\xff"]) == b'[{"bytes":"00ff"}]'


def test_the_sum_ignores_order_but_counts_every_copy_of_a_row() -> None:
    rows = [(1, "a"), (2, "b"), (3, None)]
    assert combined(rows) == combined(list(reversed(rows)))
    assert combined(rows).rows == 3
    assert combined([*rows, (1, "a")]) != combined(rows)  # a duplicate is one more row
    assert combined([*rows, (1, "a")]).digest != combined([*rows, (2, "b")]).digest
    assert combined([(1, "1")]) != combined([(1, 1)])
    assert combined([(None,)]) != combined([("",)])
    assert combined([]) == combined([])
    assert combined([]).rows == 0


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A populated file and its checked copy (each test alters copies of these)."""
    root = tmp_path_factory.mktemp("pair")
    index = Index(root / "source" / "index.sqlite3")
    try:
        migrate_kit.populate(index)
    finally:
        index.close()
    report = migrate(str(root / "source"), str(root / "copy.sqlite3"))
    assert report.mismatched == []
    return root / "source" / "index.sqlite3", root / "copy.sqlite3"


def _checks(source: Path, target: Path) -> list[TableCheck]:
    left, right = create_engine(f"sqlite:///{source}"), create_engine(f"sqlite:///{target}")
    try:
        with left.connect() as a, right.connect() as b:
            return verify(a, b, tables(), batch=7)  # small batches: rows cross their bounds
    finally:
        left.dispose()
        right.dispose()


def _altered(pair: tuple[Path, Path], tmp_path: Path, *statements: str) -> list[TableCheck]:
    source, copy = pair
    altered = Path(shutil.copy(copy, tmp_path / "altered.sqlite3"))
    db = sqlite3.connect(altered)
    for statement in statements:
        assert db.execute(statement).rowcount != 0
    db.commit()
    db.close()
    return _checks(source, altered)


def _failing(checks: list[TableCheck]) -> dict[str, tuple[int, int]]:
    return {c.name: (c.source.rows, c.target.rows) for c in checks if not c.ok}


def test_an_unaltered_copy_matches_in_every_table(pair: tuple[Path, Path]) -> None:
    checks = _checks(*pair)
    assert len(checks) == len(METADATA.tables) + 1
    assert _failing(checks) == {}


@pytest.mark.parametrize(
    ("statements", "failing"),
    [
        # One character of one value.
        (["UPDATE chat_articles SET title = title || '.' WHERE rowid = 7"], {"chat_articles": (213, 213)}),
        (["UPDATE stances SET verified = 1 - verified WHERE rowid = 2"], {"stances": (9, 9)}),
        (["UPDATE events SET detail = NULL WHERE detail = 'Пхеньян 🚀'"], {"events": (3, 3)}),
        (["DELETE FROM pending_jobs WHERE id = 2"], {"pending_jobs": (4, 3)}),
        (["DELETE FROM search_fts WHERE rowid = 5"], {"search_fts": (153, 152)}),
        (["INSERT INTO llm_usage SELECT * FROM llm_usage"], {"llm_usage": (1, 2)}),  # a duplicate
        # Two rows swapping a value: the same counts, and the same values column by column.
        ([SWAP_ZONES], {"digest_subscriptions": (2, 2)}),
    ],
)  # fmt: skip
def test_the_check_finds_a_changed_missing_or_extra_row(
    pair: tuple[Path, Path],
    tmp_path: Path,
    statements: list[str],
    failing: dict[str, tuple[int, int]],
) -> None:
    assert _failing(_altered(pair, tmp_path, *statements)) == failing


@pytest.mark.parametrize(
    ("table", "row", "column", "why"),
    [
        ("pending_jobs", (7, "text", "-100", 1, 1) + (None,) * 7 + ("2026-12-07", 0, None, None, None, 0, None, None, None, None),
         "chat_id", "holds str '-100' where the schema says an integer"),
        ("events", ("2026", "llm", 1, 2, "x", "m", 2.5, 0, 0, 0, 0), "prompt_tokens", "holds float 2.5"),
        ("search_docs", (3, "h", "en", "brief\x00", 0), "brief", "holds a NUL character"),
        ("briefings", (None, "k", "headline", "2026"), "article_hash", "is NULL where the schema says NOT NULL"),
    ],
)  # fmt: skip
def test_values_postgresql_would_refuse_are_named_with_their_row(
    table: str, row: tuple[object, ...], column: str, why: str
) -> None:
    shape = METADATA.tables[table]
    assert len(row) == len(shape.columns)
    found = unstorable(shape, [row], offset=40)
    assert found is not None
    assert (found.table, found.column) == (table, column)
    assert found.why.startswith(why)
    keys = [c.name for c in shape.columns if c.primary_key]
    assert found.where == (f"{keys[0]}={row[0]!r}" if keys else "row 41 of the table")


def test_values_postgresql_takes_pass() -> None:
    shape = METADATA.tables["chat_articles"]
    rows = [(7, -1001234567890123, "h", None, "2026", "«Т» 🚀", None, "", None, None)]
    assert unstorable(shape, rows) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://briefbot:s3cret-pw@db.example:6432/store",
        "postgresql://briefbot@db.example:6432/store?password=s3cret-pw",
        "postgresql://briefbot:s3cr%40t%2Fpw@db.example:6432/store",  # s3cr@t/pw, URL-encoded
    ],
)
def test_a_password_is_never_shown(url: str) -> None:
    store = parse(url, source=False)
    secret = "s3cr@t/pw" if "%40" in url else "s3cret-pw"
    assert store.shown.startswith("postgresql+psycopg://briefbot")
    assert "s3cr" not in store.shown
    assert store.where == "db.example:6432"
    said = f"FATAL: no pg_hba.conf entry (password={secret}, {url})"
    assert "s3cr" not in store.redact(said)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root:pw@localhost/db", "Unsupported database 'mysql'"),
        ("postgresql://user:pw@localhost", "Name the PostgreSQL database"),
        ("sqlite://", "in-memory SQLite"),
        ("postgresql+psycopg2://u:pw@h/db", "Unsupported database 'postgresql\\+psycopg2'"),
    ],
)
def test_urls_it_cannot_use_are_refused_without_their_password(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(MigrateUsageError, match=message) as refused:
        parse(url, source=False)
    assert "pw" not in str(refused.value)


def test_postgresql_is_no_source() -> None:
    with pytest.raises(MigrateUsageError, match="--from is SQLite"):
        parse("postgresql://u@h/db", source=True)


def test_a_target_path_without_a_suffix_is_a_data_directory(tmp_path: Path) -> None:
    target: Callable[[str], Path | None] = lambda text: parse(text, source=False).path  # noqa: E731
    assert target(f"sqlite:///{tmp_path}/data") == tmp_path / "data" / "index.sqlite3"
    assert target(str(tmp_path / "copy.sqlite3")) == tmp_path / "copy.sqlite3"
    assert target(str(tmp_path)) == tmp_path / "index.sqlite3"  # an existing directory
