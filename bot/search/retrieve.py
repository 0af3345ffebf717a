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
from bot.store.dialect import IN_JSON_LIST, JOIN_IN_ORDER
from bot.store.index import Index

# FTS5's: the query (its one parameter, bot/search/match.py) and the rank, by column weights:
# a word in the title counts most, then the briefing, the names, the text.
_FTS5_MATCH = "search_fts MATCH ?"
_BM25 = "bm25(search_fts, 5.0, 3.0, 2.0, 1.0)"
_ACTORS = 50  # actors an actor: filter may stand for ("kim": every Kim the chat knows)
MANY = 1000  # matches counted and ranked at most (the newest, see `search`)
_EVERY = 2**62  # a LIMIT no archive reaches: "to the end" (LIMIT -1 is SQLite's alone)


def search(
    index: Index,
    chat_id: int,
    query: SearchQuery,
    terms: Terms,
    *,
    limit: int = -1,
    offset: int = 0,
) -> tuple[list[tuple[str, float]], int]:
    """Return a page of the chat's matching articles as (hash, score), and how many match.

    Best first (newest first without words); `limit` -1: to the end. With words, at most
    MANY match: a broader query is ranked among its MANY newest matches, since BM25 costs a
    few microseconds an article and one common word can match a third of a 100,000-article
    archive. Ids follow indexing order, so newest is by arrival.
    """
    if terms.expression is None:
        return _newest(index, chat_id, query, limit, offset), _count(index, chat_id, query)
    found = _best(index, chat_id, query, terms.expression)
    return found[offset : None if limit < 0 else offset + limit], len(found)


def _best(
    index: Index, chat_id: int, query: SearchQuery, expression: str
) -> list[tuple[str, float]]:
    """Return the MANY newest matches, best first: read and scored in one pass.

    The FTS rows are read newest first and joined to the chat's sendings in that order
    (JOIN_IN_ORDER keeps it), the actor's set tested before either lookup, so an article that
    fails the filters costs no lookup of its row, and only the rows kept are scored.
    """
    article = _article(index, chat_id, query, "search_fts.rowid")
    if article is None:
        return []
    chat, chat_params = _chat(chat_id, query, "search_fts.rowid")
    where = " AND ".join([_FTS5_MATCH, *article[0]])
    sql = f"""SELECT d.article_hash, -{_BM25} FROM search_fts
              {JOIN_IN_ORDER} search_chat_docs s ON {" AND ".join(chat)}
              {JOIN_IN_ORDER} search_docs d ON d.id = search_fts.rowid
              WHERE {where} ORDER BY search_fts.rowid DESC LIMIT ?"""  # noqa: S608 - fixed clauses
    cursor = index.connection.cursor()
    cursor.row_factory = None
    try:
        found: list[tuple[str, float]] = cursor.execute(
            sql, (*chat_params, expression, *article[1], MANY)
        ).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot read matches nothing
        return []
    found.sort(key=_best_first)
    return found


def _best_first(row: tuple[str, float]) -> tuple[float, str]:
    return -row[1], row[0]


def _newest(
    index: Index, chat_id: int, query: SearchQuery, limit: int, offset: int
) -> list[tuple[str, float]]:
    """Return the chat's articles that pass the filters, newest first by the chat's date."""
    where, params = _filters(index, chat_id, query, "d.id")
    if where is None:
        return []
    cursor = index.connection.cursor()
    cursor.row_factory = None
    sql = f"""SELECT d.article_hash, 0.0 FROM search_docs d
              JOIN (SELECT article_hash, MAX(COALESCE(published_at, received_at)) AS at
                    FROM chat_articles WHERE chat_id = ? GROUP BY article_hash) c
              ON c.article_hash = d.article_hash
              WHERE {where} ORDER BY c.at DESC, d.article_hash LIMIT ? OFFSET ?"""  # noqa: S608
    return cursor.execute(
        sql, (chat_id, *params, _EVERY if limit < 0 else limit, offset)
    ).fetchall()


def _count(index: Index, chat_id: int, query: SearchQuery) -> int:
    """Count the chat's articles that pass the filters, up to MANY."""
    where, params = _filters(index, chat_id, query, "d.id")
    if where is None:
        return 0
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM search_docs d WHERE {where} LIMIT ?)"  # noqa: S608
    return int(index.connection.execute(sql, (*params, MANY)).fetchone()[0])


def _filters(
    index: Index, chat_id: int, query: SearchQuery, doc: str
) -> tuple[str | None, list[object]]:
    """Return the WHERE clause for the chat and the query's filters, on the article id `doc`."""
    article = _article(index, chat_id, query, doc)
    if article is None:
        return None, []
    chat, chat_params = _chat(chat_id, query, doc)
    sent = f"EXISTS (SELECT 1 FROM search_chat_docs s WHERE {' AND '.join(chat)})"  # noqa: S608
    return " AND ".join([*article[0], sent]), [*article[1], *chat_params]


def _chat(chat_id: int, query: SearchQuery, doc: str) -> tuple[list[str], list[object]]:
    """Return the conditions on `s`, the chat's sending of article `doc` (dates, source)."""
    chat = ["s.chat_id = ?", f"s.doc_id = {doc}"]  # the chat's own sendings, never another's
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
    return chat, params


def _article(
    index: Index, chat_id: int, query: SearchQuery, doc: str
) -> tuple[list[str], list[object]] | None:
    """Return the conditions on the article (actor's set first: cheap and narrow), `d`'s lang.

    None: the actor: filter names no actor the chat knows, so nothing matches.
    """
    where: list[str] = []
    params: list[object] = []
    if query.actor is not None:
        names = actor_names(index, chat_id, query.actor)
        if not names:
            return None
        # The actor's articles made a set of ids once; the unary + keeps FTS5 from being
        # asked for each of them by id (a seek per id in every term's list).
        where.append(
            f"""+{doc} IN (SELECT id FROM search_docs WHERE article_hash IN
                   (SELECT article_hash FROM stances WHERE actor {IN_JSON_LIST}
                    UNION SELECT article_hash FROM mentions WHERE actor {IN_JSON_LIST}))"""  # noqa: S608
        )
        params += [json.dumps(names), json.dumps(names)]
    if query.lang is not None:
        where.append("d.lang = ?")
        params.append(query.lang[:2].lower())
    return where, params


# A channel's posts (its t.me links), a site and its subdomains, or a sending's label.
_SOURCE = """(s.sources LIKE ? OR s.sources LIKE ? OR s.sources LIKE ? OR s.sources LIKE ?
    OR s.sources LIKE ?)"""


def actor_names(index: Index, chat_id: int, name: str) -> list[str]:
    """Return the canonical names an actor: filter stands for, by /who's lookup rules."""
    light, choices = chat_directory(index, chat_id)
    found = lookup(name, light, candidates=_ACTORS, suggestions=0, choices=choices)
    chosen = [found.match] if found.match else found.candidates
    return sorted({n for ident in chosen for n in ident.names})
