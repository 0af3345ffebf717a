"""`briefbot migrate` on the command line: its lines, and its exit status for each outcome."""

from __future__ import annotations

import re
import socket
import sqlite3
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, EXIT_ERROR, main
from bot.store.index import Index
from tests import migrate_kit

TABLE_LINE = re.compile(r"^(\w+) +([\d,]+(?: → [\d,]+)?) +(ok|MISMATCH)$")


@pytest.fixture(autouse=True)
def sqlite_files(monkeypatch: pytest.MonkeyPatch) -> None:
    migrate_kit.keep_sqlite(monkeypatch)  # the sources are SQLite files, whatever the engine


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    index = Index(data / "index.sqlite3")
    try:
        migrate_kit.populate(index)  # also writes the articles' texts under articles/
    finally:
        index.close()
    return data


def _table_lines(out: str) -> dict[str, tuple[str, str]]:
    return {m[1]: (m[2], m[3]) for line in out.splitlines() if (m := TABLE_LINE.match(line))}


def test_a_copy_prints_every_table_a_summary_and_what_stays_behind(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["migrate", "--from", f"sqlite:///{data_dir}", "--to", str(tmp_path / "new")])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    lines = out.splitlines()
    tables = _table_lines(out)
    assert len(tables) == len(lines) - 2 == 33
    assert tables["chat_articles"] == ("213", "ok")
    assert tables["search_fts"] == ("153", "ok")
    assert {status for _, status in tables.values()} == {"ok"}
    total = sum(int(rows.replace(",", "")) for rows, _ in tables.values())
    summary = re.fullmatch(
        r"33 tables, ([\d,]+) rows copied from (.+) to (.+) in [\d.]+ s\.", lines[-2]
    )
    assert summary is not None
    assert int(summary[1].replace(",", "")) == total
    assert summary.group(2, 3) == (
        str(data_dir / "index.sqlite3"),
        str(tmp_path / "new" / "index.sqlite3"),
    )
    assert (
        lines[-1] == "Not copied (they stay files: move them with the data directory): articles/."
    )


def test_a_target_with_rows_exits_1_and_says_why(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["migrate", "--from", str(data_dir), "--to", str(tmp_path / "new.sqlite3")]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"briefbot: {tmp_path / 'new.sqlite3'} is not empty (bot_messages holds 2 rows): migrate "
        "copies into an empty database only. Use a new database.\n"
    )


def test_a_missing_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["migrate", "--from", f"sqlite:///{tmp_path}/gone", "--to", str(tmp_path / "x")])
    assert status == EXIT_CONFIG
    assert capsys.readouterr() == (
        "",
        f"briefbot: configuration error: {tmp_path}/gone does not exist.\n",
    )
    assert not (tmp_path / "x").exists()


def test_both_urls_are_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["migrate", "--from", "sqlite:///data"])
    assert usage.value.code == 2
    assert "the following arguments are required: --to" in capsys.readouterr().err


def test_a_copy_that_differs_prints_mismatch_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = migrate_kit.before_alembic(tmp_path / "old" / "index.sqlite3")
    db = sqlite3.connect(old)
    # Untyped before Alembic: the text '7' there is the integer 7 in a file made now.
    db.execute("INSERT INTO index_meta VALUES ('operator_note', '7')")
    db.commit()
    db.close()
    status = main(["migrate", "--from", str(old), "--to", str(tmp_path / "new.sqlite3")])
    out, err = capsys.readouterr()
    assert status == EXIT_ERROR
    tables = _table_lines(out)
    assert tables["index_meta"] == ("4", "MISMATCH")
    assert [name for name, (_, s) in tables.items() if s != "ok"] == ["index_meta"]
    assert err.startswith(
        "briefbot: The copy differs from its source in index_meta: do not use it."
    )


def test_an_unreachable_server_is_named_by_host_and_port_never_the_password(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://briefbot:hunter2-secret@127.0.0.1:{port}/store"
    assert main(["migrate", "--from", str(data_dir), "--to", url]) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(
        f"briefbot: Cannot reach PostgreSQL at 127.0.0.1:{port} (database store): "
    )
    assert "refused" in err.lower()
    assert "hunter2" not in err
