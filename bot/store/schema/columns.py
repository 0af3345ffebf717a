"""Column types and the one SQLite-only detail Core cannot say, shared by the table modules.

Every integer is 64-bit on both engines (Telegram's chat ids need it): BIGINT on
PostgreSQL, INTEGER on SQLite, where only a column declared exactly INTEGER PRIMARY KEY
is the row's id. Dates and times are ISO-8601 text on both: they sort as text, and every
query compares them as text today.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import BigInteger, Column, Integer, PrimaryKeyConstraint, Text, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler

INT = BigInteger().with_variant(Integer(), "sqlite")


def integer(
    name: str,
    *,
    nullable: bool = True,
    default: int | None = None,
    primary_key: bool = False,
    autoincrement: bool | Literal["auto"] = "auto",
) -> Column[int]:
    """Return a 64-bit integer column (`default`: also the server's, for rows added by ALTER)."""
    return Column(
        name, INT, nullable=nullable and not primary_key, primary_key=primary_key,
        autoincrement=autoincrement,
        server_default=None if default is None else literal_column(str(default)),
    )  # fmt: skip


def text(
    name: str,
    *,
    nullable: bool = True,
    default: str | None = None,
    primary_key: bool = False,
    unique: bool = False,
) -> Column[str]:
    """Return a text column (`default`: also the server's)."""
    return Column(
        name, Text, nullable=nullable and not primary_key, primary_key=primary_key,
        unique=unique, server_default=default,
    )  # fmt: skip


def descending_key(*columns: str, descending: str) -> PrimaryKeyConstraint:
    """Return a primary key whose `descending` column is stored newest first on SQLite.

    A WITHOUT ROWID table is its primary key's b-tree: with the date descending, "newest
    first, then by article" reads the key in order instead of sorting. PostgreSQL keys have
    no order, and its b-trees read backwards as cheaply.
    """
    return PrimaryKeyConstraint(*columns, info={"sqlite_descending": descending})


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_primary_key(
    constraint: PrimaryKeyConstraint,
    compiler: DDLCompiler,
    **kw: Any,  # noqa: ANN401
) -> str:
    descending = constraint.info.get("sqlite_descending")
    if descending is None or not constraint.columns:
        return compiler.visit_primary_key_constraint(constraint, **kw)
    parts = [
        f"{compiler.preparer.quote(c.name)}{' DESC' if c.name == descending else ''}"
        for c in constraint.columns
    ]
    return f"PRIMARY KEY ({', '.join(parts)})"
