"""The SQL that SQLite and PostgreSQL spell differently, in SQLite's spelling, named.

Every other statement of the store is written once, in syntax both engines accept
(tests/project/test_portable_sql.py keeps it so). These fragments have no common spelling:
the PostgreSQL one will sit beside each, chosen by the connection's engine. The full-text
search's own SQL (FTS5 here, a tsvector there) stays with the search code.
"""

from __future__ import annotations

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
