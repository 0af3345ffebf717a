"""`briefbot migrate --from URL --to URL`: copy the store's database, check it, say what it did."""

from __future__ import annotations

import argparse

from bot.errors import MigrateError

HELP = "copy the store's database to an empty one (e.g. PostgreSQL) and check the copy"
DESCRIPTION = (
    "Copy every table of a briefbot database into an empty database, then compare each table "
    "on both sides (rows and a checksum). --from is a data directory or its index.sqlite3, as "
    "sqlite:///PATH (sqlite:////abs/path) or a plain path; --to is postgresql://USER@HOST:PORT/DB "
    "or sqlite:///PATH. Into PostgreSQL, the data directory's files (briefings, texts, the "
    "fetch cache, answers, digests, pictures) go too, as rows of the blobs table. Stop the bot "
    "first: the copy is of the moment it starts. The bot does not serve from PostgreSQL yet."
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `migrate` to the command line's subcommands."""
    migrate = sub.add_parser("migrate", help=HELP, description=DESCRIPTION)
    migrate.add_argument(
        "--from", dest="source", required=True, metavar="URL",
        help="the database to copy: sqlite:///DATA_DIR, its index.sqlite3, or a path",
    )  # fmt: skip
    migrate.add_argument(
        "--to", dest="target", required=True, metavar="URL",
        help="an empty database: postgresql://USER@HOST:PORT/DB or sqlite:///PATH",
    )  # fmt: skip


def run(args: argparse.Namespace) -> None:
    """Copy, print one line per table and a summary; a differing copy raises MigrateError."""
    from bot.store.copy import files_left, migrate

    report = migrate(args.source, args.target)
    width = max(len(t.name) for t in report.tables)
    for t in report.tables:
        rows = f"{t.source.rows:,}"
        if t.target.rows != t.source.rows:
            rows += f" → {t.target.rows:,}"
        print(f"{t.name:<{width}}  {rows:>12}  {'ok' if t.ok else 'MISMATCH'}")
    print(
        f"{len(report.tables)} tables, {report.rows:,} rows copied from {report.source} to "
        f"{report.target} in {report.seconds:.1f} s."
    )
    left = files_left(args.source, args.target)
    blobs = next((t for t in report.tables if t.name == "blobs"), None)
    if blobs is not None and blobs.source.rows:
        print(f"The data directory's {blobs.source.rows:,} files are rows of the blobs table now.")
    if left:
        print(
            f"Not copied (they stay files: move them with the data directory): {', '.join(left)}."
        )
    if report.mismatched:
        raise MigrateError(
            f"The copy differs from its source in {', '.join(report.mismatched)}: do not use "
            "it. Empty the target and copy again, with the bot stopped."
        )
