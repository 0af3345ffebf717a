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
# latest sending of it (computed from scratch, as the fill on open does).
FROM_SCRATCH = """
    SELECT ca.chat_id, s.actor, MAX(ca.received_at), s.article_hash, s.ord, s.kind, s.aliases,
           s.target, s.polarity, s.verified, s.issue, s.provenance
    FROM chat_articles ca JOIN stances s ON s.article_hash = ca.article_hash
    GROUP BY ca.chat_id, s.article_hash, s.ord ORDER BY 1, 2, 3, 4, 5"""
KEPT = "SELECT * FROM chat_stances ORDER BY chat_id, actor, received_at, article_hash, ord"


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
            index.record_chat_article(
                rng.choice(chats), made[n].article.content_hash, message_id=step,
                received_at=T0 + timedelta(hours=rng.randrange(50)), title=f"t{step}",
                source=None,
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
        expected = _rows(db, FROM_SCRATCH)
        assert len(expected) > 20
        assert _rows(db, KEPT) == expected
    finally:
        index.close()


def test_a_database_from_before_gets_its_rows_on_open(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    _random_history(index, 99)
    with index.transaction() as db:  # as a database from before the table looked
        db.execute("DROP TABLE chat_stances")
        db.execute("DELETE FROM index_meta WHERE name = 'chat_stances'")
    index.close()
    index = Index(tmp_path / "index.sqlite3")
    try:
        expected = _rows(index.connection, FROM_SCRATCH)
        assert expected
        assert _rows(index.connection, KEPT) == expected
    finally:
        index.close()
