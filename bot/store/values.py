"""Values an SQLite file may hold that PostgreSQL would refuse, or quietly store changed.

SQLite keeps whatever a statement gave it: text in an integer column, 2.5 in a count, a NUL
character in text, NULL in a one-column text key. PostgreSQL refuses the first, the
third and the fourth and rounds the second, so each is found before the copy, and named by
table, column and row, instead of surfacing as a driver's error about one of a thousand rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, Table

_SHOWN = 40  # characters of a refused value shown: enough to find it, not a whole article


@dataclass(frozen=True)
class Unstorable:
    """One value PostgreSQL would not store as it is, and where it is."""

    table: str
    column: str
    why: str
    where: str  # the row: its key's values, else its place in the table


def unstorable(
    table: Table, rows: Sequence[Sequence[object]], offset: int = 0
) -> Unstorable | None:
    """Return the first value of `rows` (rows `offset`+1… of `table`) PostgreSQL would not take."""
    spec = [
        (c.name, int if isinstance(c.type, Integer) else str, bool(c.nullable))
        for c in table.columns
    ]
    for n, row in enumerate(rows, offset + 1):
        for (name, kind, nullable), value in zip(spec, row, strict=True):
            why = _why(value, kind, nullable)
            if why:
                return Unstorable(table.name, name, why, _where(table, row, n))
    return None


def _why(value: object, kind: type, nullable: bool) -> str:
    if value is None:
        return "" if nullable else "is NULL where the schema says NOT NULL"
    if type(value) is not kind:
        wanted = "an integer" if kind is int else "text"
        return f"holds {type(value).__name__} {_short(value)} where the schema says {wanted}"
    if kind is str and "\x00" in str(value):
        return "holds a NUL character, which PostgreSQL text cannot store"
    return ""


def _where(table: Table, row: Sequence[object], n: int) -> str:
    keys = [i for i, c in enumerate(table.columns) if c.primary_key]
    if not keys:
        return f"row {n:,} of the table"
    names = list(table.columns.keys())
    return ", ".join(f"{names[i]}={_short(row[i])}" for i in keys)


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= _SHOWN else f"{shown[: _SHOWN - 1]}…"
