"""The SQL that SQLite and PostgreSQL spell differently, in SQLite's spelling, named.

Every other statement of the store is written once, in syntax both engines accept
(tests/project/test_portable_sql.py keeps it so). These fragments have no common spelling:
statements are written with SQLite's, and `postgresql()` respells each fragment, and only
these, for the PostgreSQL connection (pg_connection.py, once per statement).
The full-text search's own SQL (FTS5 here, a tsvector there) stays with the search code.
"""

from __future__ import annotations

import re

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


# Each fragment above as written, and PostgreSQL's spelling of it.
_RESPELT = (
    (re.compile(re.escape(IN_JSON_LIST)), "IN (SELECT jsonb_array_elements_text(?::jsonb))"),
    (re.compile(r"\bINDEXED BY \w+"), ""),
)


def postgresql(sql: str) -> str:
    """Return `sql` with this module's SQLite fragments in PostgreSQL's spelling."""
    for pattern, spelling in _RESPELT:
        sql = pattern.sub(spelling, sql)
    return _join_on(_string_agg(sql))


def _string_agg(sql: str) -> str:
    # GROUP_CONCAT's argument may hold calls and quoted text: found by matching parentheses.
    while (start := sql.find("GROUP_CONCAT(")) >= 0:
        opened = start + len("GROUP_CONCAT")
        close = _closing(sql, opened)
        sql = f"{sql[:start]}string_agg{sql[opened : close + 1]}{sql[close + 1 :]}"
    return sql


def _closing(sql: str, opened: int) -> int:
    """Return where the parenthesis opened at `opened` closes (quoted text skipped)."""
    depth, quoted = 0, False
    for at in range(opened, len(sql)):
        char = sql[at]
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return at
    raise ValueError(f"unbalanced parentheses in: {sql}")


def _join_on(sql: str) -> str:
    # A CROSS JOIN whose table is followed by ON before the next join or clause.
    parts = re.split(r"(\bCROSS JOIN\b)", sql)
    out = [parts[0]]
    for keyword, rest in zip(parts[1::2], parts[2::2], strict=True):
        head = re.split(r"\b(?:JOIN|WHERE|GROUP|ORDER|LIMIT|UNION)\b", rest, maxsplit=1)[0]
        out.append(("JOIN" if re.search(r"\bON\b", head) else keyword) + rest)
    return "".join(out)


def engine(db: object) -> str:
    """Return a connection's engine: "postgresql" (PgConnection says so), else "sqlite"."""
    return str(getattr(db, "dialect", "sqlite"))


def on_postgresql(db: object) -> bool:
    """Tell whether a connection is PostgreSQL's (some statements differ there)."""
    return engine(db) == "postgresql"
