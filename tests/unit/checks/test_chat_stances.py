"""Each chat's stances by actor stay what the whole history says, whatever the order of writes."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.seed import actor_pool, synthetic_briefing
from bot.checks.provenance import Provenance
from bot.models import StoredBriefing
from bot.store.index import Index

T0 = datetime(2025, 1, 1, tzinfo=UTC)

# What the table must hold: every stance of every article a chat sent, dated by the chat's
# latest sending of it (its publication date as that sending gives it, else its arrival),
# computed from scratch.
LATEST_SENDINGS = """
    SELECT chat_id, article_hash, received_at, published_at, published_from FROM chat_articles
    ORDER BY id"""
STANCES = """SELECT article_hash, ord, actor, kind, aliases, target, polarity, verified, issue,
    provenance FROM stances"""
KEPT = """SELECT chat_id, actor, dated, received_at, published_from, article_hash, ord, kind,
    aliases, target, polarity, verified, issue, provenance FROM chat_stances
    ORDER BY chat_id, actor, dated, article_hash, ord"""


def from_scratch(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Compute the table's rows from the sendings and stances, in Python."""
    latest: dict[tuple[int, str], tuple[str, str | None, str | None]] = {}
    for chat, article, received, published, origin in db.execute(LATEST_SENDINGS):
        if (chat, article) not in latest or received > latest[chat, article][0]:  # 1st of a tie
            latest[chat, article] = (received, published, origin)
    rows = [
        (chat, actor, published or received, received, origin, article, order, kind, aliases,
         target, polarity, verified, issue, provenance)
        for (chat, sent), (received, published, origin) in latest.items()
        for (article, order, actor, kind, aliases, target, polarity, verified, issue,
             provenance) in db.execute(STANCES)
        if article == sent
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], r[5], r[6]))


def _rows(db: sqlite3.Connection, query: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db.execute(query).fetchall()]


def _checked(stored: StoredBriefing, rng: random.Random) -> StoredBriefing:
    """Give the stances issues and provenances (some left as before either existed)."""
    briefing = stored.briefing.model_copy(deep=True)
    for actor in briefing.actors:
        for stance in actor.stances:
            stance.issue = rng.choice(["", "sanctions on Russia", "Gaza ceasefire"])
            stance.provenance = rng.choice([None, *Provenance])
    return stored.model_copy(update={"briefing": briefing})


def _remade(stored: StoredBriefing, rng: random.Random) -> StoredBriefing:
    """Return another briefing of the same article (other actors and stances)."""
    other = synthetic_briefing(rng.randrange(10**6), rng, actor_pool(30), rng.randrange(0, 7))
    return _checked(other, rng).model_copy(
        update={"article": stored.article, "key": f"{stored.key}-{rng.random()}"}
    )


def _random_history(index: Index, seed: int) -> None:
    """Brief, send, re-send (later and earlier), re-brief and migrate chats in random order."""
    rng = random.Random(seed)
    pool = actor_pool(30)
    made = [_checked(synthetic_briefing(n, rng, pool, rng.randrange(1, 6)), rng) for n in range(40)]
    chats = [1, 2, 3]
    indexed: set[int] = set()
    for step in range(300):
        n = rng.randrange(len(made))
        roll = rng.random()
        if roll < 0.3 or (n not in indexed and roll < 0.4):
            index.index_briefing(made[n] if n not in indexed else _remade(made[n], rng))
            indexed.add(n)
        elif roll < 0.97:  # sent before or after it was briefed, at any time (ties too)
            chat, hours = rng.choice(chats), rng.randrange(50)
            # Some sendings are dated (a forward's original post, a dateline), some not. The
            # date follows from the sending, so two sendings at the same instant agree on it.
            dated = (chat + hours + n) % 3
            index.record_chat_article(
                chat, made[n].article.content_hash, message_id=step,
                received_at=T0 + timedelta(hours=hours), title=f"t{step}", source=None,
                published_at=T0 - timedelta(days=n % 7, hours=hours) if dated else None,
                published_from=("forward", "dateline")[dated - 1] if dated else None,
            )  # fmt: skip
        else:  # a group becomes a supergroup, which may already have sent some articles
            old = rng.choice(chats)
            new = rng.choice([c for c in chats if c != old] + [100 + step])
            index.migrate_chat(old, new)
            chats = [new if c == old else c for c in chats]
            chats = list(dict.fromkeys(chats))


@pytest.mark.parametrize("seed", range(12))
def test_the_kept_rows_equal_the_whole_history(tmp_path: Path, seed: int) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        _random_history(index, seed)
        db = index.connection
        expected = from_scratch(db)
        assert len(expected) > 20
        assert {None, "forward", "dateline"} <= {r[4] for r in expected}
        assert _rows(db, KEPT) == expected
    finally:
        index.close()


@pytest.mark.sqlite_only("a file from before Alembic, which only SQLite deployments have")
def test_a_database_from_before_gets_its_rows_on_open(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    _random_history(index, 99)
    with index.transaction() as db:  # as a database from before the table looked
        db.execute("DROP TABLE chat_stances")
        db.execute("DELETE FROM index_meta WHERE name = 'chat_stances'")
        db.execute("DROP TABLE alembic_version")  # nor was it stamped
    index.close()
    index = Index(tmp_path / "index.sqlite3")
    try:
        expected = from_scratch(index.connection)
        assert expected
        assert _rows(index.connection, KEPT) == expected
    finally:
        index.close()


OLD_SHAPE = """
    CREATE TABLE chat_stances (
        chat_id INTEGER NOT NULL, actor TEXT NOT NULL, received_at TEXT NOT NULL,
        article_hash TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL,
        aliases TEXT NOT NULL, target TEXT NOT NULL, polarity TEXT NOT NULL,
        verified INTEGER NOT NULL,
        PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)
    ) WITHOUT ROWID"""
# Keyed by arrival, with the issue and provenance columns stances gained meanwhile.
OLD_SHAPE_WITH_ISSUES = """
    CREATE TABLE chat_stances (
        chat_id INTEGER NOT NULL, actor TEXT NOT NULL, received_at TEXT NOT NULL,
        article_hash TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL,
        aliases TEXT NOT NULL, target TEXT NOT NULL, polarity TEXT NOT NULL,
        verified INTEGER NOT NULL, issue TEXT NOT NULL DEFAULT '', provenance TEXT,
        PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)
    ) WITHOUT ROWID"""


@pytest.mark.sqlite_only("a file from a release before publication dates")
@pytest.mark.parametrize("shape", [OLD_SHAPE, OLD_SHAPE_WITH_ISSUES])
def test_a_table_keyed_by_arrival_is_rebuilt_by_publication_date(
    tmp_path: Path, shape: str
) -> None:
    index = Index(tmp_path / "index.sqlite3")
    _random_history(index, 7)
    with index.transaction() as db:  # as a release before publication dates left it
        db.execute("DROP TABLE chat_stances")
        db.execute(shape)
        db.execute("DROP TABLE alembic_version")  # a file from before Alembic
    index.close()
    index = Index(tmp_path / "index.sqlite3")
    try:
        expected = from_scratch(index.connection)
        assert expected
        assert {r[12] for r in expected} > {""}  # the rebuilt rows carry their issues
        assert _rows(index.connection, KEPT) == expected
    finally:
        index.close()
