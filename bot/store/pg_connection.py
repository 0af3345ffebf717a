"""A PostgreSQL connection spoken to as the store speaks to sqlite3's.

The store's SQL is written once, in the syntax both engines accept (tests/project/
test_portable_sql.py keeps it so), with `?` placeholders and rows read by position or by
column name. This adapter gives a psycopg 3 connection that face: placeholders become
`%s`, every `%` is doubled, Python booleans are stored as the 0/1 integers the schema
declares (sqlite3 does the same), and rows answer to both `row[0]` and `row["name"]`.
Transactions stay explicit (BEGIN ... COMMIT, as Index.transaction writes them): the
connection is in autocommit mode otherwise, as sqlite3's is with isolation_level=None.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg.rows import RowMaker

from bot.store import dialect

# A `?` outside a quoted string or identifier is a placeholder; a `%` anywhere is doubled
# (psycopg reads the whole statement, literals included, for its own placeholders).
_TOKENS = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")|(\?)|(%)""")
# SQLite's way to take the write lock at once; PostgreSQL takes row locks as it writes.
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """Return `sql` with psycopg's placeholders (statements are few: each is done once)."""
    if _BEGIN.match(sql):
        return "BEGIN"
    sql = dialect.postgresql(sql)

    def swap(match: re.Match[str]) -> str:
        quoted, mark, percent = match.groups()
        if quoted:
            return quoted.replace("%", "%%")
        return "%s" if mark else "%%" if percent else ""

    return _TOKENS.sub(swap, sql)


class Row(tuple[Any, ...]):
    """A row by position, as a tuple, and by column name, as sqlite3.Row."""

    __slots__ = ()
    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # noqa: ANN401 - a column holds any value
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """Return the column names, in order (as sqlite3.Row)."""
        return list(self._names)


def _rows(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    return _row_class(tuple(column.name for column in cursor.description or ()))


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    """Return the row class of one result shape (a class per shape, not per row or query)."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # a name twice (a join): the first, as sqlite3.Row reads it
    return type("Row", (Row,), {"__slots__": (), "_names": index})


def _params(params: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


class Cursor:
    """A cursor with sqlite3's face (execute, fetches, rowcount, iteration)."""

    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor
        self.row_factory: object = None  # accepted, not used: rows already read both ways

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement."""
        self._cursor.execute(translate(sql), _params(params))
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        self._cursor.executemany(translate(sql), [_params(p) for p in seq])
        return self

    def fetchone(self) -> Row | None:
        """Return the next row, or None."""
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Row]:
        """Return the remaining rows."""
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        """Return how many rows the last statement changed."""
        return self._cursor.rowcount


class PgConnection:
    """One psycopg connection in autocommit mode, with sqlite3's face."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._conn = psycopg.connect(conninfo, autocommit=True, row_factory=_rows)
        self.row_factory: object = None  # accepted, not used

    def cursor(self) -> Cursor:
        """Return a new cursor."""
        return Cursor(self._conn.cursor())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement on a new cursor."""
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        return self.cursor().executemany(sql, seq)

    @property
    def in_transaction(self) -> bool:
        """Tell whether a transaction is open (as sqlite3.Connection.in_transaction)."""
        return self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
