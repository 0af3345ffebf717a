"""sqlite3's face for psycopg: the store's statements respelt, rows by position and by name.

The store writes `?` placeholders and SQLite's fragments (dialect.py); psycopg wants `%s`
and reads every `%`. Rows answer to `row[0]` and `row["name"]`, as sqlite3.Row does, and
booleans go in as the 0/1 the schema declares. Used by pg_connection.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
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


def row_maker(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    """Return the row class of the cursor's result: by position and by column name."""
    return _row_class(tuple(column.name for column in cursor.description or ()))


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    """Return the row class of one result shape (a class per shape, not per row or query)."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # a name twice (a join): the first, as sqlite3.Row reads it
    return type("Row", (Row,), {"__slots__": (), "_names": index})


def bound(params: Sequence[Any]) -> tuple[Any, ...]:
    """Return the parameters as psycopg binds them: booleans as the schema's 0/1."""
    return tuple(int(p) if isinstance(p, bool) else p for p in params)
