"""The archive's SQL: the chat's matching articles, best first, with the /who isolation rule.

These functions block; `Archive` runs them on the index's database thread. A chat sees an
article only through its own sendings (`chat_articles`), exactly as /who does; the date and
source filters read those sendings too, so another chat's sending never widens a match.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.actors.identity import lookup
from bot.actors.lookup import chat_directory
from bot.search.match import Terms
from bot.search.query import SearchQuery
from bot.store import dialect
from bot.store.index import Index

# FTS5's: the query (its one parameter, bot/search/match.py) and the rank, by column weights:
# a word in the title counts most, then the briefing, the names, the text.
_FTS5_MATCH = "search_fts MATCH ?"
_BM25 = "bm25(search_fts, 5.0, 3.0, 2.0, 1.0)"
# PostgreSQL's: the server's tsvector of the same stored stems (title A, brief B, names C,
# body D: migration 0004) against a tsquery built from the same stems (`_tsquery`), ranked
# by ts_rank with the weights of D, C, B, A as bm25's 1, 2, 3, 5 (of 5), the rank divided
# by 1 + log(the document's length) as bm25 discounts long texts. Higher is better, as
# -bm25 is. 'simple' folds nothing and stems nothing: the stems are already folded.
_TSQUERY = "to_tsquery('simple', ?)"
_TS_MATCH = f"search_fts.document @@ {_TSQUERY}"
_TS_RANK = f"ts_rank('{{0.2,0.4,0.6,1.0}}', search_fts.document, {_TSQUERY}, 1)"
_ACTORS = 50  # actors an actor: filter may stand for ("kim": every Kim the chat knows)
MANY = 1000  # matches counted and ranked at most (the newest, see `search`)
_EVERY = 2**62  # a LIMIT no archive reaches: "to the end" (LIMIT -1 is SQLite's alone)


@dataclass(frozen=True)
class _FullText:
    """One engine's full-text match and score, each with the query as its one parameter."""

    match: str  # the WHERE condition
    score: str  # the SELECT's score, higher better; `score_reads_query`: it takes the query too
    score_reads_query: bool
    query: Callable[[Terms], str | None]
    unreadable: Callable[[], tuple[type[Exception], ...]]  # a query it cannot parse


def _tsquery(terms: Terms) -> str | None:
    r"""Return the terms as a tsquery for to_tsquery (None: no words).

    Each group's forms OR'ed (|), a phrase's stems adjacent (<->), the groups AND'ed (&), or
    OR'ed for any word. Each lexeme is quoted, its quotes and backslashes escaped.

    The index's text is stems of \w+ words joined by spaces (bot/search/text.py), and
    to_tsvector('simple', ...) cuts it into the very tokens FTS5's 'ascii' tokenizer did:
    words of letters and digits (1e5, covid19, 2024 alike), every non-ASCII character part
    of a word (as the test server's builtin C.UTF-8 locale reads them, ², ½, Cyrillic, CJK);
    the underscore splits a word on both ("foo_bar": foo, bar), and to_tsquery splits a
    quoted lexeme the same way into a phrase, as FTS5 does a quoted string. Where they
    differ: a lexeme of more than 2,047 bytes is dropped by PostgreSQL (kept by FTS5), a
    tsvector holds at most 1 MB and positions up to 16,383 (a phrase past that word of a
    very long text may not match), and ts_rank is not bm25 (its figures differ, not the
    matches).
    """
    if not terms.forms:
        return None
    groups = [
        "(" + " | ".join(" <-> ".join(map(_lexeme, form.split())) for form in forms) + ")"
        for forms in terms.forms
    ]
    return (" | " if terms.any_word else " & ").join(groups)


def _lexeme(stem: str) -> str:
    return "'" + stem.replace("\\", "\\\\").replace("'", "''") + "'"


def _sqlite_errors() -> tuple[type[Exception], ...]:
    return (sqlite3.OperationalError,)


def _postgresql_errors() -> tuple[type[Exception], ...]:
    from psycopg import errors  # PostgreSQL's driver is an optional extra

    return (errors.SyntaxError,)


_ENGINES = {
    "sqlite": _FullText(
        _FTS5_MATCH,
        f"-{_BM25}",
        score_reads_query=False,
        query=lambda terms: terms.expression,
        unreadable=_sqlite_errors,
    ),
    "postgresql": _FullText(
        _TS_MATCH,
        _TS_RANK,
        score_reads_query=True,
        query=_tsquery,
        unreadable=_postgresql_errors,
    ),
}


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
    found = _best(index, chat_id, query, terms)
    return found[offset : None if limit < 0 else offset + limit], len(found)


def _best(index: Index, chat_id: int, query: SearchQuery, terms: Terms) -> list[tuple[str, float]]:
    """Return the MANY newest matches, best first: read and scored in one pass.

    The FTS rows are read newest first and joined to the chat's sendings in that order
    (JOIN_IN_ORDER keeps it), the actor's set tested before either lookup, so an article that
    fails the filters costs no lookup of its row, and only the rows kept are scored.
    """
    full_text = _ENGINES[index.engine]
    asked = full_text.query(terms)
    article = _article(index, chat_id, query, "search_fts.rowid")
    if article is None or asked is None:
        return []
    chat, chat_params = _chat(chat_id, query, "search_fts.rowid")
    where = " AND ".join([full_text.match, *article[0]])
    join = dialect.JOIN_IN_ORDER  # PostgreSQL's JOIN: pg_connection respells it
    sql = f"""SELECT d.article_hash, {full_text.score} FROM search_fts
              {join} search_chat_docs s ON {" AND ".join(chat)}
              {join} search_docs d ON d.id = search_fts.rowid
              WHERE {where} ORDER BY search_fts.rowid DESC LIMIT ?"""  # noqa: S608 - fixed clauses
    scored = (asked,) if full_text.score_reads_query else ()
    cursor = index.connection.cursor()
    cursor.row_factory = None
    try:
        found: list[tuple[str, float]] = [
            (str(h), float(score))
            for h, score in cursor.execute(
                sql, (*scored, *chat_params, asked, *article[1], MANY)
            ).fetchall()
        ]
    except full_text.unreadable():  # a query the engine cannot read matches nothing
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
    in_json_list = dialect.IN_JSON_LIST  # respelt for PostgreSQL by pg_connection
    if query.actor is not None:
        names = actor_names(index, chat_id, query.actor)
        if not names:
            return None
        # The actor's articles made a set of ids once; the unary + keeps FTS5 from being
        # asked for each of them by id (a seek per id in every term's list).
        where.append(
            f"""+{doc} IN (SELECT id FROM search_docs WHERE article_hash IN
                   (SELECT article_hash FROM stances WHERE actor {in_json_list}
                    UNION SELECT article_hash FROM mentions WHERE actor {in_json_list}))"""  # noqa: S608
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
