"""The store's SQL stays portable: no SQLite-only syntax in bot/ outside a short allowlist.

The same statements run on SQLite and on PostgreSQL (bot/store/pg_connection.py). What has
no common spelling is named in one place (bot/store/dialect.py), or belongs to code that is
engine-specific as a whole (FTS5, PRAGMAs, SQLite's catalogue). The scan reads every string
literal of bot/**/*.py (docstrings aside; adjacent literals joined, as Python joins them;
an f-string's fixed text) and every `.lastrowid`, and matches the patterns below without
regard to case. A finding fails the test unless the allowlist names its (file, pattern),
with the reason; an allowlist entry that matches nothing fails it too, so the list stays as
short as the code allows.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    # Conflict clauses: ON CONFLICT ... DO NOTHING / DO UPDATE, or NOT EXISTS, instead.
    "OR IGNORE/REPLACE": r"\b(?:INSERT|UPDATE)\s+OR\s+(?:IGNORE|REPLACE|ROLLBACK|ABORT|FAIL)\b"
    r"|\bREPLACE\s+INTO\b",
    # PostgreSQL wants the conflict target for DO UPDATE.
    "ON CONFLICT DO UPDATE without a target": r"\bON\s+CONFLICT\s+DO\s+UPDATE\b",
    "INDEXED BY": r"\bINDEXED\s+BY\b|\bNOT\s+INDEXED\b",
    # SQLite's CROSS JOIN takes an ON and fixes the join order; PostgreSQL's takes no ON.
    "CROSS JOIN": r"\bCROSS\s+JOIN\b",
    "JSON functions": r"\bjson_\w+\s*\(",
    "GROUP_CONCAT": r"\bGROUP_CONCAT\b",
    # Scalar MAX(a, b) and MIN(a, b): GREATEST and LEAST on PostgreSQL.
    "MAX/MIN of several": r"\b(?:MAX|MIN)\s*\([^()]*,",
    "SQLite functions": r"\b(?:ifnull|iif|instr|printf|strftime|julianday|unixepoch|datetime"
    r"|typeof|randomblob|zeroblob|char|likelihood|likely|unlikely)\s*\("
    r"|\b(?:last_insert_rowid|changes|total_changes)\s*\(\s*\)",
    "SQLite operators": r"\bGLOB\b|\bREGEXP\b|\bCOLLATE\s+NOCASE\b|\bLIMIT\s+-",
    "rowid": r"\b_?rowid_?\b|\bAUTOINCREMENT\b",
    "PRAGMA": r"\bPRAGMA\b",
    "SQLite's catalogue": r"\bsqlite_(?:master|schema|temp_master|sequence|stat\d)\b|\bdbstat\b",
    # FTS5: the query operator, its ranking functions, its tables and their commands
    # (INSERT INTO t (t, ...) writes to the table's own-named column).
    "FTS5": r"\bMATCH\s+\?|\b(?:bm25|highlight|snippet)\s*\(|\bfts5\b|\bVIRTUAL\s+TABLE\b"
    r"|\bINSERT\s+INTO\s+(\w+)\s*\(\s*\1\b",
}
_COMPILED = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in PATTERNS.items()}
LASTROWID = "lastrowid"  # an attribute in code, not a string: found in the syntax tree

# (file, pattern): why it may stay. Each entry must still match something.
ALLOWED = {
    ("bot/store/dialect.py", "JSON functions"): "the named SQLite form of a list parameter",
    ("bot/store/dialect.py", "INDEXED BY"): "the named SQLite form of a planner hint",
    ("bot/store/dialect.py", "CROSS JOIN"): "the named SQLite form of a join in written order",
    ("bot/store/dialect.py", "GROUP_CONCAT"): "the named SQLite form of string aggregation",
    ("bot/search/retrieve.py", "FTS5"): "the FTS5 query itself (MATCH, bm25)",
    ("bot/search/retrieve.py", "rowid"): "search_fts's key, called rowid on both engines",
    ("bot/store/search_docs.py", "FTS5"): "FTS5's hashsize command, for the one-off fill",
    ("bot/store/search_docs.py", "rowid"): "search_fts's key, called rowid on both engines",
    ("bot/store/schema/search.py", "FTS5"): "the FTS5 table's DDL for a new SQLite file",
    ("bot/store/migrations/versions/0001_baseline.py", "FTS5"): "each engine's search table",
    ("bot/store/migrations/versions/0001_baseline.py", "rowid"): "search_fts's key column",
    ("bot/store/migrations/versions/0002_chat_articles_id.py", "rowid"): "SQLite's rowid as id",
    ("bot/store/connect.py", "PRAGMA"): "the SQLite connection's settings, at opening",
    ("bot/store/schema/search.py", "rowid"): "search_fts's key column, as both engines name it",
    # briefbot migrate reads an SQLite source (and writes an SQLite target's sequence) by
    # definition: these are SQLite's own files, not the store's statements.
    ("bot/store/copy.py", "SQLite's catalogue"): "the SQLite source's tables and sequences",
    ("bot/store/copy.py", "MAX/MIN of several"): "an SQLite target's AUTOINCREMENT mark",
    ("bot/store/endpoints.py", "SQLite's catalogue"): "telling an SQLite file is briefbot's",
    ("bot/store/schema/sqlite_file.py", "PRAGMA"): "an SQLite file's journal mode and columns",
    ("bot/store/schema/sqlite_file.py", "SQLite's catalogue"): "an SQLite file's tables",
    ("bot/ops/storage.py", "SQLite's catalogue"): "an SQLite file's bytes per table (dbstat)",
}


def _docstrings(tree: ast.AST) -> set[tuple[int, int]]:
    """Return where each string that is a statement of its own starts (docstrings and notes)."""
    return {
        (node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _inner(token: str) -> str:
    """Return a string token's text between its quotes, as written (escapes not read).

    An f-string's {fields} are Python, not SQL: blanked, line breaks kept.
    """
    prefix = token[: len(token) - len(token.lstrip("rRbBuUfF"))]
    body = token[len(prefix) :]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
    text = body[len(quote) : len(body) - len(quote)]
    return _blank_fields(text) if "f" in prefix.lower() else text


def _blank_fields(text: str) -> str:
    kept: list[str] = []
    depth, at = 0, 0
    while at < len(text):
        if depth == 0 and text[at : at + 2] in ("{{", "}}"):  # a literal brace
            kept.append(text[at : at + 2])
            at += 2
            continue
        char = text[at]
        if char == "{":
            depth += 1
        inside = depth > 0
        if char == "}" and depth:
            depth -= 1
        kept.append(" " if inside and char != "\n" else char)
        at += 1
    return "".join(kept)


def _literals(source: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Return each run of adjacent string literals as (text, [(offset in text, line)])."""
    skip = _docstrings(ast.parse(source))
    runs: list[tuple[str, list[tuple[int, int]]]] = []
    text, last = "", None
    starts: list[tuple[int, int]] = []
    ignorable = {tokenize.NL, tokenize.COMMENT}  # inside brackets: literals still adjacent
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING and tok.start in skip:
            last = None
        elif tok.type == tokenize.STRING:
            if last is not tokenize.STRING and text:
                runs.append((text, starts))
                text, starts = "", []
            starts.append((len(text), tok.start[0]))
            text += _inner(tok.string)
            last = tokenize.STRING
        elif tok.type not in ignorable:
            last = tok.type
    if text:
        runs.append((text, starts))
    return runs


def _line(starts: list[tuple[int, int]], text: str, offset: int) -> int:
    begin, line = max((s for s in starts if s[0] <= offset), key=lambda s: s[0])
    return line + text[begin:offset].count("\n")


def findings(source: str) -> list[tuple[int, str]]:
    """Return (line, pattern) for each SQLite-only piece of syntax in a module's source."""
    found: set[tuple[int, str]] = set()
    for text, starts in _literals(source):
        for name, pattern in _COMPILED.items():
            found.update((_line(starts, text, m.start()), name) for m in pattern.finditer(text))
    found.update(
        (node.lineno, LASTROWID)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == LASTROWID
    )
    return sorted(found)


def test_the_scanner_flags_sqlite_only_syntax_and_passes_the_portable_forms() -> None:
    flagged = """
x = "INSERT OR REPLACE INTO t VALUES (?, ?)"
y = ("UPDATE t SET a = 1 "
     "WHERE b IN (SELECT value FROM json_each(?))")
z = cursor.lastrowid
w = f"SELECT MAX(a, {b}) FROM t INDEXED BY t_a"
v = ("INSERT OR "  # split over two literals, as Python joins them
     "IGNORE INTO t VALUES (?)")
"""
    assert findings(flagged) == [
        (2, "OR IGNORE/REPLACE"), (4, "JSON functions"), (5, LASTROWID),
        (6, "INDEXED BY"), (6, "MAX/MIN of several"), (7, "OR IGNORE/REPLACE"),
    ]  # fmt: skip
    portable = '''
def f(db, a, b):
    """INSERT OR REPLACE was SQLite's; a docstring may say so."""
    # INSERT OR IGNORE in a comment says nothing either
    db.execute("INSERT INTO t VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")
    db.execute("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING RETURNING id")
    db.execute(f"SELECT {json_each(a)} FROM t")  # an f-string's fields are Python
    return max(a, b), "SELECT MAX(a) FROM t WHERE x IN (SELECT id FROM u)"
'''
    assert findings(portable) == []


def test_sqlite_only_syntax_stays_in_the_allowed_places() -> None:
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for line, pattern in findings(path.read_text(encoding="utf-8")):
            found.setdefault((name, pattern), []).append(line)
    stray = [
        f"{name}:{line}: {pattern}"
        for (name, pattern), lines in sorted(found.items())
        if (name, pattern) not in ALLOWED
        for line in lines
    ]
    assert not stray, "SQLite-only SQL (write it portably, or in bot/store/dialect.py):\n" + (
        "\n".join(stray)
    )
    unused = sorted(set(ALLOWED) - set(found))
    assert not unused, f"allowlist entries that match nothing any more (remove them): {unused}"
