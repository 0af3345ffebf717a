"""/who's reads: every stance of an actor light, then only the ones the page shows in full.

A chat's top actor has ~3,000 stances over years. Counting them, ranking ties and finding
shifts needs each stance's actor, target, polarity and article date; the page shows only the
newest few with their positions, quotes and article titles. So all stances are read as plain
rows from the chat's stances by actor (bot/store/chat_stances.py: no quote or position
carried, already in order), and the shown ones are then read in full by their keys.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Final

from bot.models import Source
from bot.store import dialect
from bot.store.chat_queries import iso, provenance, published
from bot.store.chat_rows import _ALIAS_SEP, ChatArticle, StanceRow
from bot.store.dialect import IN_JSON_LIST

# One stance as read for counting: (article hash, ord, actor, kind, aliases joined by
# _ALIAS_SEP, target, polarity, verified, the article's latest sending as ISO text, its
# publication date as that sending gives it (else the sending's time), where that date
# comes from (None: undated), issue, provenance or None).
LightRow = tuple[str, int, str, str, str, str, str, int, str, str, str | None, str, str | None]
# Positions in a LightRow.
RECEIVED: Final = 8
DATED: Final = 9
DATED_FROM: Final = 10
ISSUE: Final = 11
PROVENANCE: Final = 12

StanceKey = tuple[str, int]  # (article hash, the stance's ord in its briefing)

_COLUMNS = "s.article_hash, s.ord, s.actor, s.kind, s.aliases, s.target, s.polarity, s.verified"
# In the table's key order (chat, actor, date): each actor's rows come sorted, unsorted.
_BY_ACTOR = f"""
    SELECT article_hash, ord, actor, kind, aliases, target, polarity, verified, received_at,
           dated, published_from, issue, provenance
    FROM chat_stances WHERE chat_id = ? AND actor {IN_JSON_LIST}
    ORDER BY dated DESC, article_hash, ord"""  # noqa: S608 - fixed clauses
# An article sent in the window has its latest sending there too: the window's sendings
# alone give each article's date, and the rest of the chat's history is never read.
_SINCE = f"""
    SELECT {_COLUMNS}, w.received_at, COALESCE(w.published_at, w.received_at), w.published_from,
           s.issue, s.provenance
    FROM (SELECT article_hash, MAX(received_at) AS received_at, published_at, published_from
          FROM chat_articles WHERE chat_id = ? AND received_at >= ? GROUP BY article_hash) w
    JOIN stances s ON s.article_hash = w.article_hash
    ORDER BY 10 DESC, s.article_hash, s.ord"""  # noqa: S608 - fixed clauses

# PostgreSQL's spelling of _SINCE and _FULL_ARTICLES below (it refuses SQLite's bare
# columns beside MAX()): each article's latest sending, and of equal ones the first recorded
# (lowest id), which is the row SQLite's MAX() keeps (it reads sendings in id order).
_SINCE_PG = f"""
    SELECT {_COLUMNS}, w.received_at, COALESCE(w.published_at, w.received_at), w.published_from,
           s.issue, s.provenance
    FROM (SELECT DISTINCT ON (article_hash) article_hash, received_at, published_at,
                 published_from
          FROM chat_articles WHERE chat_id = ? AND received_at >= ?
          ORDER BY article_hash, received_at DESC, id) w
    JOIN stances s ON s.article_hash = w.article_hash
    ORDER BY 10 DESC, s.article_hash, s.ord"""  # noqa: S608 - fixed clauses

# Every stance has its briefings row (index_briefing writes both in one transaction), so
# the light read needs no join with briefings; the full read keeps it for the headline.
_FULL_ARTICLES = f"""
    SELECT ca.article_hash, ca.message_id, MAX(ca.received_at) AS received_at, ca.title,
           ca.source_label, ca.source_url, b.headline, b.key, ca.published_at, ca.published_from
    FROM chat_articles ca JOIN briefings b ON b.article_hash = ca.article_hash
    WHERE ca.chat_id = ? AND ca.article_hash {IN_JSON_LIST}
    GROUP BY ca.article_hash"""  # noqa: S608 - fixed clauses
# PostgreSQL's: it takes no bare column beside MAX, so each article's latest sending is
# picked by DISTINCT ON (the row SQLite's bare columns come from; ties: the first recorded).
_FULL_ARTICLES_PG = f"""
    SELECT DISTINCT ON (ca.article_hash) ca.article_hash, ca.message_id, ca.received_at,
           ca.title, ca.source_label, ca.source_url, b.headline, b.key, ca.published_at,
           ca.published_from
    FROM chat_articles ca JOIN briefings b ON b.article_hash = ca.article_hash
    WHERE ca.chat_id = ? AND ca.article_hash {IN_JSON_LIST}
    ORDER BY ca.article_hash, ca.received_at DESC, ca.id"""  # noqa: S608 - fixed clauses
_FULL_STANCES = f"""
    SELECT article_hash, ord, actor, kind, aliases, target, position, polarity, quote, verified,
           issue, provenance, speaker, via
    FROM stances WHERE article_hash {IN_JSON_LIST}"""  # noqa: S608 - fixed clauses


def _aliases(joined: str, seen: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    named = seen.get(joined)
    if named is None:
        named = seen[joined] = tuple(a for a in joined.split(_ALIAS_SEP) if a)
    return named


def light_rows(
    db: sqlite3.Connection,
    chat_id: int,
    *,
    actors: Collection[str] | None = None,
    since: datetime | None = None,
) -> list[LightRow]:
    """Return the chat's stances by `actors` or sent since `since`, newest published first.

    Light: plain rows with no positions, quotes or titles (see bot/actors/page.py).
    """
    since_query = _SINCE_PG if dialect.on_postgresql(db) else _SINCE
    rows: list[LightRow] = by_actor_or_since(db, (_BY_ACTOR, since_query), chat_id, actors, since)
    return rows


def by_actor_or_since(
    db: sqlite3.Connection,
    queries: tuple[str, str],
    chat_id: int,
    actors: Collection[str] | None,
    since: datetime | None,
) -> list[Any]:
    """Run the by-actor query (actors as a JSON list) or else the since query, as plain tuples."""
    by_actor, sent_since = queries
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples, read by position
    if actors is not None:
        return cursor.execute(by_actor, (chat_id, json.dumps(sorted(actors)))).fetchall()
    if since is not None:
        return cursor.execute(sent_since, (chat_id, iso(since))).fetchall()
    raise ValueError("a chat's rows are read by actors or since a time")


def full_stances(
    db: sqlite3.Connection, chat_id: int, wanted: Sequence[StanceKey]
) -> dict[StanceKey, StanceRow]:
    """Read these stances in full, each with its article as the chat last sent it."""
    hashes = json.dumps(sorted({h for h, _order in wanted}))
    cursor = db.cursor()
    cursor.row_factory = None
    articles = _articles(cursor, dialect.on_postgresql(db), chat_id, hashes)
    keep = set(wanted)
    aliases: dict[str, tuple[str, ...]] = {}
    found: dict[StanceKey, StanceRow] = {}
    for r in cursor.execute(_FULL_STANCES, (hashes,)).fetchall():
        if (r[0], r[1]) in keep and r[0] in articles:
            found[r[0], r[1]] = StanceRow(
                actor=r[2], kind=r[3], aliases=_aliases(r[4], aliases), target=r[5],
                position=r[6], polarity=r[7], quote=r[8], verified=bool(r[9]),
                article=articles[r[0]], issue=r[10], provenance=provenance(r[11]),
                speaker=r[12], via=r[13],
            )  # fmt: skip
    return found


def chat_articles_by_hash(
    db: sqlite3.Connection, chat_id: int, hashes: Collection[str]
) -> dict[str, ChatArticle]:
    """Read these articles as the chat last sent them, with their briefings' headlines."""
    cursor = db.cursor()
    cursor.row_factory = None
    return _articles(cursor, dialect.on_postgresql(db), chat_id, json.dumps(sorted(hashes)))


def _articles(
    cursor: sqlite3.Cursor, postgresql: bool, chat_id: int, hashes: str
) -> dict[str, ChatArticle]:
    query = _FULL_ARTICLES_PG if postgresql else _FULL_ARTICLES
    articles: dict[str, ChatArticle] = {}
    for r in cursor.execute(query, (chat_id, hashes)).fetchall():
        articles[r[0]] = ChatArticle(
            article_hash=r[0], message_id=r[1], received_at=datetime.fromisoformat(r[2]),
            title=r[3], source=Source(label=r[4], url=r[5]) if r[4] else None,
            headline=r[6], briefing_key=r[7], published_at=published(r[8]),
            published_from=r[9] if r[8] else None,
        )  # fmt: skip
    return articles
