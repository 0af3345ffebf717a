"""A table's rows counted and hashed the same way on any engine, in any order.

Each row is hashed on its own, from its values in column order written as JSON (integers
as integers, text as text, NULL as null), and the sorted row hashes are hashed together. No
ORDER BY is involved: PostgreSQL sorts text by its collation and SQLite by bytes, so the
two engines return equal tables in different orders, and the sum is the same anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, select

BATCH = 5000


@dataclass(frozen=True)
class TableSum:
    """How many rows a table holds, and the hash of all of them."""

    rows: int
    digest: str


@dataclass(frozen=True)
class TableCheck:
    """One table on both sides of a copy."""

    name: str
    source: TableSum
    target: TableSum

    @property
    def ok(self) -> bool:
        """Tell whether the copy holds the same rows as its source."""
        return self.source == self.target


def canonical(values: Sequence[object]) -> bytes:
    """Write one row's values as the bytes its hash is taken of."""
    plain = [{"bytes": v.hex()} if isinstance(v, bytes) else v for v in values]
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()


def combined(rows: Iterable[Sequence[object]]) -> TableSum:
    """Count and hash `rows`, whatever their order."""
    digests = sorted(hashlib.sha256(canonical(row)).digest() for row in rows)
    whole = hashlib.sha256()
    for digest in digests:
        whole.update(digest)
    return TableSum(len(digests), whole.hexdigest())


def table_sum(connection: Connection, table: Table, batch: int = BATCH) -> TableSum:
    """Count and hash a table's rows, read `batch` at a time."""
    result = connection.execution_options(yield_per=batch).execute(select(table))
    return combined(row for part in result.partitions() for row in part)


def verify(
    source: Connection, target: Connection, tables: Iterable[Table], batch: int = BATCH
) -> list[TableCheck]:
    """Compare every table on both sides: its row count and its hash."""
    return [
        TableCheck(table.name, table_sum(source, table, batch), table_sum(target, table, batch))
        for table in tables
    ]
