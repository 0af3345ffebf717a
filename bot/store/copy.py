"""`briefbot migrate`: the store copied into an empty database, then compared table by table.

The source is read in one snapshot (one read transaction), copied in one target transaction,
and, once that has committed, every table is counted and hashed on both sides
(checksums.py). A failure anywhere rolls the target back: it is left empty, never half full.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, inspect, select
from sqlalchemy import table as named_table
from sqlalchemy import text as sql
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from bot.errors import MigrateError, MigrateUsageError
from bot.store import file_blobs
from bot.store.checksums import BATCH, TableCheck, verify
from bot.store.endpoints import Store, engine_for, parse, reach
from bot.store.values import Unstorable, unstorable

# The data directory's files: rows of the blobs table on PostgreSQL, files on SQLite.
FILES = file_blobs.KINDS


@dataclass(frozen=True)
class Report:
    """What a copy did: each table's count and hash on both sides, and how long it took."""

    source: str
    target: str
    tables: list[TableCheck]
    seconds: float

    @property
    def rows(self) -> int:
        """Return how many rows the source held."""
        return sum(t.source.rows for t in self.tables)

    @property
    def mismatched(self) -> list[str]:
        """Return the tables whose copy differs from the source."""
        return [t.name for t in self.tables if not t.ok]


def tables() -> list[Table]:
    """Return every table to copy, in an order that never inserts before what it names."""
    from bot.store.schema.search import fts_rows
    from bot.store.schema.tables import METADATA

    return [*METADATA.sorted_tables, fts_rows()]


def migrate(source_url: str, target_url: str, *, batch: int = BATCH) -> Report:
    """Copy the store at `source_url` into the empty database at `target_url`; compare them."""
    started = time.perf_counter()
    source, target = parse(source_url, source=True), parse(target_url, source=False)
    if source.path == target.path:
        raise MigrateUsageError("--from and --to name the same database.")
    _open_source(source)
    reader, writer = engine_for(source), engine_for(target)
    try:
        reach(writer, target)
        with writer.connect() as connection:
            _refuse_occupied(connection, target)
        _make_schema(writer, target)
        with reader.connect() as read, read.begin():  # one snapshot for the copy and the check
            _copy(read, writer, target, source.data_dir, batch)
            with writer.connect() as written:
                checks = verify(read, written, tables(), batch)
        if target.postgres and source.data_dir is not None:  # the files went to blobs
            files = file_blobs.checksum(source.data_dir)
            checks = [replace(c, source=files) if c.name == "blobs" else c for c in checks]
    finally:
        reader.dispose()
        writer.dispose()
    return Report(source.shown, target.shown, checks, time.perf_counter() - started)


def files_left(source_url: str, target_url: str) -> list[str]:
    """Return which of the data directory's folders the copy leaves as files (none to PostgreSQL).

    An SQLite target keeps them as files: they go along with the data directory.
    """
    folder = parse(source_url, source=True).data_dir
    if folder is None or parse(target_url, source=False).postgres:
        return []
    return [f"{name}/" for name in FILES if (folder / name).is_dir()]


def _open_source(source: Store) -> None:
    """Refuse a file that is not briefbot's; bring it to this briefbot's schema, as a start does."""
    assert source.path is not None  # noqa: S101 - parse() makes every source SQLite
    try:
        db = sqlite3.connect(f"{source.path.as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise MigrateUsageError(f"{source.path} is not an SQLite database ({exc}).") from exc
    if not {"briefings", "chat_articles"} <= names:
        raise MigrateUsageError(f"{source.path} is not a briefbot database (no briefings table).")
    from bot.store.index import Index

    try:
        Index(source.path).close()
    except sqlite3.Error as exc:
        raise MigrateError(f"Could not open {source.path}: {exc}.") from exc


def _refuse_occupied(connection: Connection, store: Store) -> None:
    """Refuse a target holding any row: a copy never merges into live data."""
    present = set(inspect(connection).get_table_names())
    for table in tables():
        if table.name in present:
            rows = connection.execute(
                select(func.count()).select_from(named_table(table.name))
            ).scalar_one()
            if rows:
                raise MigrateError(
                    f"{store.shown} is not empty ({table.name} holds {rows:,} rows): migrate "
                    "copies into an empty database only. Use a new database."
                )


def _make_schema(engine: Engine, store: Store) -> None:
    if store.postgres:
        from alembic.util import CommandError

        from bot.store.schema import versions

        try:
            versions.upgrade(engine)
        except (CommandError, DBAPIError) as exc:  # a newer revision, a table made by hand…
            why = store.said(exc) if isinstance(exc, DBAPIError) else str(exc)
            raise MigrateError(f"Cannot make the schema in {store.shown}: {why}") from None
        return
    # The schema alone, not Index(): opening fills index_meta, and the copy brings those rows.
    from bot.store.schema import sqlite_file

    assert store.path is not None  # noqa: S101 - not PostgreSQL: a file
    db = sqlite3.connect(store.path, isolation_level=None)
    try:
        sqlite_file.write_ahead(db)
        sqlite_file.ensure(db)
    finally:
        db.close()


def _copy(read: Connection, writer: Engine, target: Store, folder: Path | None, batch: int) -> None:
    """Copy every table's rows and the ids' high-water marks in one target transaction."""
    with writer.begin() as write:
        _refuse_occupied(write, target)  # again, inside the transaction that writes
        for table in tables():
            for offset, rows in _batches(read, table, batch):
                if target.postgres and (bad := unstorable(table, rows, offset)):
                    raise MigrateError(_refused(bad, target))
                try:
                    write.execute(table.insert(), [row._asdict() for row in rows])
                except (IntegrityError, DataError) as exc:
                    column = getattr(getattr(exc.orig, "diag", None), "column_name", None)
                    where = f"{table.name}.{column}" if column else table.name
                    raise MigrateError(
                        f"{target.shown} refused a row of {where}: {target.said(exc)}"
                    ) from None
                except DBAPIError as exc:
                    raise MigrateError(
                        f"Writing {table.name} to {target.shown} failed: {target.said(exc)}"
                    ) from None
        if target.postgres and folder is not None:
            _copy_files(write, folder, target, batch)
        _carry_high_water(read, write, target)


def _copy_files(write: Connection, folder: Path, target: Store, batch: int) -> None:
    """Copy the data directory's files into the blobs table, `batch` at a time."""
    from bot.store.schema.tables import METADATA

    blobs, names = METADATA.tables["blobs"], ("kind", "key", "body", "written_at")
    rows = file_blobs.rows(folder)
    while part := list(itertools.islice(rows, batch)):
        try:
            write.execute(blobs.insert(), [dict(zip(names, row, strict=True)) for row in part])
        except DBAPIError as exc:
            raise MigrateError(
                f"Writing the data directory's files to {target.shown} failed: {target.said(exc)}"
            ) from None


def _batches(read: Connection, table: Table, batch: int) -> Iterator[tuple[int, Sequence[Any]]]:
    """Yield the source table's rows `batch` at a time, with the number of rows before them."""
    offset = 0
    try:
        result = read.execution_options(yield_per=batch).execute(select(table))
        for part in result.partitions():
            yield offset, part
            offset += len(part)
    except DBAPIError as exc:
        raise MigrateError(f"Could not read {table.name}: {str(exc.orig).strip()}") from None


def _refused(bad: Unstorable, target: Store) -> str:
    return (
        f"{bad.table}.{bad.column} {bad.why} ({bad.where}); {target.shown} would not take it "
        "as it is. Correct that row in the source, then copy again."
    )


def _carry_high_water(read: Connection, write: Connection, target: Store) -> None:
    """Make the target's next ids follow the source's: higher than any id used, even pruned.

    SQLite's AUTOINCREMENT remembers the highest id ever given (sqlite_sequence), which is
    above every row left once the newest finished jobs are pruned; a PostgreSQL sequence is
    set past both that and the rows copied.
    """
    marks: dict[str, int] = {}
    if read.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
        found = read.exec_driver_sql("SELECT name, seq FROM sqlite_sequence")
        marks = {str(name): int(seq) for name, seq in found}
    for table in tables():
        column = table.autoincrement_column
        if column is None or (not target.postgres and table.name not in marks):
            continue
        mark = marks.get(table.name, 0)
        if target.postgres:
            write.execute(
                sql(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column),"  # noqa: S608 - our names
                    f" GREATEST(COALESCE(MAX({column.name}), 0), :mark) + 1, false)"
                    f" FROM {table.name}"
                ),
                {"table": table.name, "column": column.name, "mark": mark},
            )
        elif not write.execute(
            sql("UPDATE sqlite_sequence SET seq = MAX(seq, :mark) WHERE name = :table"),
            {"table": table.name, "mark": mark},
        ).rowcount:
            write.execute(
                sql("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :mark)"),
                {"table": table.name, "mark": mark},
            )
