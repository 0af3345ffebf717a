"""The SQL that SQLite and PostgreSQL spell differently, in SQLite's spelling, named.

Every other statement of the store is written once, in syntax both engines accept
(tests/project/test_portable_sql.py keeps it so). These fragments have no common spelling:
the PostgreSQL one sits beside each (`POSTGRESQL`), chosen by the connection's engine
(`of`). The full-text search's own SQL (FTS5 here, a tsvector there) stays with the search
code.
"""

from __future__ import annotations

from dataclasses import dataclass

# `column IN_JSON_LIST`, with one parameter: a JSON array (json.dumps of a list of text),
# so a list of any length is one statement and one bound value.
# PostgreSQL: IN (SELECT jsonb_array_elements_text(?::jsonb)).
IN_JSON_LIST = "IN (SELECT value FROM json_each(?))"

# An inner join, with its ON, that SQLite's planner keeps in the order written (it would
# otherwise start from the bigger side). PostgreSQL: JOIN (its CROSS JOIN takes no ON).
JOIN_IN_ORDER = "CROSS JOIN"


def indexed_by(index: str) -> str:
    """Return SQLite's hint that the table just named be read through `index`.

    PostgreSQL: nothing (it has no hints; its statistics choose the index).
    """
    return f"INDEXED BY {index}"


def concat_all(expression: str) -> str:
    """Return the aggregate that joins `expression` over a group's rows, with no separator.

    In no set order. PostgreSQL: string_agg(expression, '').
    """
    return f"GROUP_CONCAT({expression}, '')"


@dataclass(frozen=True)
class Dialect:
    """One engine's spelling of the fragments above (so far those the search reads)."""

    in_json_list: str
    join_in_order: str
    concat_all: str  # a format string: {} is the expression


SQLITE = Dialect(IN_JSON_LIST, JOIN_IN_ORDER, concat_all("{}"))
POSTGRESQL = Dialect(
    "IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))", "JOIN", "string_agg({}, '')"
)


def engine(db: object) -> str:
    """Return a connection's engine: "postgresql" (PgConnection says so), else "sqlite"."""
    return str(getattr(db, "dialect", "sqlite"))


def of(engine_name: str) -> Dialect:
    """Return the fragments of an engine ("sqlite" or "postgresql", as Index.engine)."""
    return POSTGRESQL if engine_name == "postgresql" else SQLITE
