"""The archive's SQL: the chat's matching articles, best first, with the /who isolation rule.

These functions block; `Archive` runs them on the index's database thread. A chat sees an
article only through its own sendings (`chat_articles`), exactly as /who does; the date and
source filters read those sendings too, so another chat's sending never widens a match.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from bot.actors.identity import lookup
from bot.actors.lookup import chat_directory
from bot.search.match import Terms
from bot.search.query import SearchQuery
from bot.store.index import Index

# Column weights: a word in the title counts most, then the briefing, the names, the text.
_BM25 = "bm25(search_fts, 5.0, 3.0, 2.0, 1.0)"
_ACTORS = 50  # actors an actor: filter may stand for ("kim": every Kim the chat knows)
MANY = 1000  # matches counted and ranked at most (the newest, see `count`)


def ranked(
    index: Index,
    chat_id: int,
    query: SearchQuery,
    terms: Terms,
    *,
    limit: int = -1,
    offset: int = 0,
    newest_from: int | None = None,
) -> list[tuple[str, float]]:
    """Return the chat's matching articles as (hash, score), best first (newest without words).

    `limit` -1: all of them; `newest_from`: only articles from this id on (see `count`).
    """
    where, params = _filters(index, chat_id, query)
    if where is None:
        return []
    if newest_from is not None:
        where += " AND search_fts.rowid >= ?"
        params.append(newest_from)
    params += [limit, offset]
    db = index.connection
    cursor = db.cursor()
    cursor.row_factory = None
    if terms.expression is None:
        sql = f"""SELECT d.article_hash, 0.0 FROM search_docs d
                  JOIN (SELECT article_hash, MAX(COALESCE(published_at, received_at)) AS at
                        FROM chat_articles WHERE chat_id = ? GROUP BY article_hash) c
                  ON c.article_hash = d.article_hash
                  WHERE {where} ORDER BY c.at DESC, d.article_hash LIMIT ? OFFSET ?"""  # noqa: S608
        return cursor.execute(sql, (chat_id, *params)).fetchall()
    sql = f"""SELECT d.article_hash, -{_BM25} AS score FROM search_fts
              JOIN search_docs d ON d.id = search_fts.rowid
              WHERE search_fts MATCH ? AND {where}
              ORDER BY score DESC, d.article_hash LIMIT ? OFFSET ?"""  # noqa: S608 - fixed clauses
    try:
        return cursor.execute(sql, (terms.expression, *params)).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot read matches nothing
        return []


def count(index: Index, chat_id: int, query: SearchQuery, terms: Terms) -> tuple[int, int | None]:
    """Count the chat's matching articles, up to MANY; past it, also the MANY-th newest's id.

    A query matching more than MANY articles is ranked among its MANY newest only (`ranked`'s
    `newest_from`): BM25 costs a few microseconds an article, and one common word can match a
    third of a 100,000-article archive. Ids follow indexing order, so newest is by arrival.
    """
    where, params = _filters(index, chat_id, query)
    if where is None:
        return 0, None
    db = index.connection
    if terms.expression is None:
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM search_docs d WHERE {where} LIMIT ?)"  # noqa: S608
        return int(db.execute(sql, (*params, MANY)).fetchone()[0]), None
    sql = f"""SELECT COUNT(*), MIN(id) FROM (
                  SELECT d.id FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
                  WHERE search_fts MATCH ? AND {where}
                  ORDER BY search_fts.rowid DESC LIMIT ?)"""  # noqa: S608 - fixed clauses
    try:
        found, oldest = db.execute(sql, (terms.expression, *params, MANY)).fetchone()
    except sqlite3.OperationalError:
        return 0, None
    return int(found), (int(oldest) if found >= MANY else None)


def _filters(index: Index, chat_id: int, query: SearchQuery) -> tuple[str | None, list[object]]:
    """Return the WHERE clause (on `d`, the article) for the chat and the query's filters."""
    chat = ["s.chat_id = ?", "s.doc_id = d.id"]  # the chat's own sendings, never another's
    params: list[object] = [chat_id]
    if query.since is not None:
        chat.append("s.dated >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        chat.append("s.dated < ?")
        params.append((query.until + timedelta(days=1)).isoformat())
    if query.source is not None:
        chat.append(_SOURCE)
        needle = query.source.removeprefix("@")
        url = f"%\x1ehttps://t.me/{needle}/%" if query.source.startswith("@") else None
        params += [url, f"%://{needle}/%", f"%.{needle}/%", f"%://{needle}\x1f%",
                   f"%\x1f{query.source}\x1e%"]  # fmt: skip
    where = [f"EXISTS (SELECT 1 FROM search_chat_docs s WHERE {' AND '.join(chat)})"]  # noqa: S608
    if query.lang is not None:
        where.append("d.lang = ?")
        params.append(query.lang[:2].lower())
    if query.actor is not None:
        names = actor_names(index, chat_id, query.actor)
        if not names:
            return None, []
        where.append(
            """d.article_hash IN (SELECT article_hash FROM stances WHERE actor IN
                   (SELECT value FROM json_each(?)) UNION SELECT article_hash FROM mentions
                   WHERE actor IN (SELECT value FROM json_each(?)))"""
        )
        params += [json.dumps(names), json.dumps(names)]
    return " AND ".join(where), params


# A channel's posts (its t.me links), a site and its subdomains, or a sending's label.
_SOURCE = """(s.sources LIKE ? OR s.sources LIKE ? OR s.sources LIKE ? OR s.sources LIKE ?
    OR s.sources LIKE ?)"""


def actor_names(index: Index, chat_id: int, name: str) -> list[str]:
    """Return the canonical names an actor: filter stands for, by /who's lookup rules."""
    light, choices = chat_directory(index, chat_id)
    found = lookup(name, light, candidates=_ACTORS, suggestions=0, choices=choices)
    chosen = [found.match] if found.match else found.candidates
    return sorted({n for ident in chosen for n in ident.names})
