"""The archive's full-text index: each article's text, briefing and names, stemmed, in FTS5.

Python's sqlite3 cannot give FTS5 a stemming tokenizer, so the words are stemmed and folded
here (bot/search/text.py) and FTS5 only splits the stems at spaces: its 'ascii' tokenizer
(any non-ASCII letter is part of a word) does that fastest, as nothing is left to fold.
One row per article, whichever chats sent it: a chat reads it only joined to its own
sendings (`chat_articles`), as /who does, so a chat's migration moves nothing here. The
row is replaced in the same transaction as the article's briefing (a re-brief, a briefing
in another language), and a database from before this table is filled once on opening.
An article whose text is not on disk yet when its briefing is indexed is marked pending
and its body added once the text is there.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from bot.models import StoredBriefing
from bot.search.text import detect_language, folded_stems, index_text, words
from bot.store import dialect, search_pages
from bot.store.chat_moves import move_keeping_new
from bot.store.chat_rows import _ALIAS_SEP

log = logging.getLogger(__name__)

FILLED = "search_docs"  # the index_meta row of the one-off fill
# What search_chat_docs keeps of a chat's sendings of an article (grouped by chat): the
# earliest date, and each sending's "\x1flabel\x1eurl\x1f" (the separators as literal
# characters, which both engines read alike, where char() would be chr() on PostgreSQL).
_CHAT_DATE = "MIN(COALESCE(published_at, received_at))"
_CHAT_SOURCE = (
    "'\x1f' || LOWER(COALESCE(source_label, '')) || '\x1e' || LOWER(COALESCE(source_url, ''))"
    " || '\x1f'"
)
_CHAT_SOURCES = dialect.concat_all(_CHAT_SOURCE)  # respelt for PostgreSQL by pg_connection
_PROGRESS_EVERY = 1000
_HASH_BYTES = 16 * 1024 * 1024
# FTS5's alone: PostgreSQL's GIN index has no such setting (gin_pending_list_limit aside).
_FTS5_HASHSIZE = "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)"
TextOf = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Document:
    """What the index holds of one article, before stemming."""

    article_hash: str
    title: str
    brief: str
    names: list[str]
    language: str | None  # the briefing's language, if the text does not tell its own


def document(stored: StoredBriefing) -> Document:
    """Read what is searched of an article from its stored briefing."""
    b = stored.briefing
    brief = " ".join([b.headline, b.tldr, *(p.text for p in b.key_points), b.why_it_matters])
    names = [n for a in b.actors for n in (a.name, *a.aliases) if n.strip()]
    return Document(
        article_hash=stored.article.content_hash,
        title=stored.article.title or "",
        brief=brief,
        names=names,
        language=b.language[:2].lower() or None,
    )


def replace(
    db: sqlite3.Connection, doc: Document, text: str | None, *, text_due: bool = True
) -> None:
    """Make `doc` the indexed row; `text` None: not on disk (yet, if `text_due`)."""
    lang, values = _stemmed(doc, text)
    row = db.execute(
        "SELECT id FROM search_docs WHERE article_hash = ?", (doc.article_hash,)
    ).fetchone()
    pending = int(text is None and text_due)
    if row is None:
        db.execute(
            "INSERT INTO search_docs (article_hash, lang, brief, pending) VALUES (?, ?, ?, ?)",
            (doc.article_hash, lang, doc.brief, pending),
        )
        # Its id read back by its hash, not RETURNING: on SQLite a RETURNING statement opens
        # a statement journal, whose savepoint makes FTS5 flush the terms it holds in memory
        # (a segment per article when many are indexed in one transaction: slow to build).
        rowid = int(
            db.execute(
                "SELECT id FROM search_docs WHERE article_hash = ?", (doc.article_hash,)
            ).fetchone()[0]
        )
        _add_sendings(db, [(rowid, doc.article_hash)])
    else:
        rowid = row[0]
        db.execute("DELETE FROM search_fts WHERE rowid = ?", (rowid,))
        db.execute(
            "UPDATE search_docs SET lang = ?, brief = ?, pending = ? WHERE id = ?",
            (lang, doc.brief, pending, rowid),
        )
    db.execute(_INSERT_FTS, (rowid, *values))


def add_all(db: sqlite3.Connection, docs: list[tuple[Document, str | None]]) -> None:
    """Index articles not indexed yet, in this order (a missing text stays missing).

    Statement by statement for the lot, as `replace` would one by one: the same rows and ids.
    """
    first = int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM search_docs").fetchone()[0])
    stemmed = [(first + n, doc, *_stemmed(doc, text)) for n, (doc, text) in enumerate(docs)]
    db.executemany(
        "INSERT INTO search_docs (id, article_hash, lang, brief, pending) VALUES (?, ?, ?, ?, 0)",
        [(rowid, doc.article_hash, lang, doc.brief) for rowid, doc, lang, _ in stemmed],
    )
    _add_sendings(db, [(rowid, doc.article_hash) for rowid, doc, _, _ in stemmed])
    db.executemany(_INSERT_FTS, [(rowid, *values) for rowid, _, _, values in stemmed])


_INSERT_FTS = "INSERT INTO search_fts (rowid, title, brief, names, body) VALUES (?, ?, ?, ?, ?)"


def _stemmed(doc: Document, text: str | None) -> tuple[str | None, tuple[str, str, str, str]]:
    """Return the article's language and its title, brief, names and body as stems."""
    tokens = words(text or "")
    lang = detect_language(tokens) or detect_language(words(doc.title + " " + doc.brief))
    lang = lang or doc.language
    return lang, (
        index_text(doc.title, lang),
        index_text(doc.brief, doc.language or lang),
        index_text(" ".join(doc.names), lang),
        folded_stems(tokens, lang),
    )


def _add_sendings(db: sqlite3.Connection, docs: list[tuple[int, str]]) -> None:
    """Let the chats that sent these new articles (id, hash) find them.

    Read, then inserted one row a statement: an INSERT ... SELECT writes through a statement
    journal, whose savepoint makes FTS5 flush its pending terms as a segment of one article,
    and merging those made a build three times slower.
    """
    sendings = [
        row
        for rowid, article_hash in docs
        for row in db.execute(
            f"""SELECT chat_id, ?, {_CHAT_DATE}, {_CHAT_SOURCES}
                FROM chat_articles WHERE article_hash = ? GROUP BY chat_id""",  # noqa: S608
            (rowid, article_hash),
        ).fetchall()
    ]
    # Every value is set (a group's date and sources are never NULL): only a row the chat
    # already has is skipped.
    db.executemany(
        "INSERT INTO search_chat_docs VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", sendings
    )


def sent(db: sqlite3.Connection, chat_id: int, article_hash: str) -> None:
    """Let the chat find the article (it just sent it), in the sending's write."""
    db.execute(
        f"""INSERT INTO search_chat_docs
            SELECT ca.chat_id, d.id, {_CHAT_DATE}, {_CHAT_SOURCES}
            FROM chat_articles ca JOIN search_docs d ON d.article_hash = ca.article_hash
            WHERE ca.chat_id = ? AND ca.article_hash = ? GROUP BY ca.chat_id, d.id
            ON CONFLICT (chat_id, doc_id)
            DO UPDATE SET dated = excluded.dated, sources = excluded.sources""",  # noqa: S608
        (chat_id, article_hash),
    )


def chat_moved(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Carry a chat's searchable articles and recent searches over to its new id."""
    move_keeping_new(db, "search_chat_docs", ("doc_id",), old_id, new_id)
    db.execute("DELETE FROM search_chat_docs WHERE chat_id = ?", (old_id,))
    search_pages.migrate(db, old_id, new_id)


def add_pending_texts(db: sqlite3.Connection, text_of: TextOf) -> int:
    """Add the body of articles whose text has reached the disk since; return how many."""
    done = 0
    for rowid, article_hash in db.execute(
        "SELECT id, article_hash FROM search_docs WHERE pending = 1"
    ).fetchall():
        text = text_of(article_hash)
        if text is None:
            continue
        tokens = words(text)
        lang = detect_language(tokens)
        db.execute(
            "UPDATE search_fts SET body = ? WHERE rowid = ?", (folded_stems(tokens, lang), rowid)
        )
        db.execute(
            "UPDATE search_docs SET pending = 0, lang = COALESCE(?, lang) WHERE id = ?",
            (lang, rowid),
        )
        done += 1
    return done


def unfilled(db: sqlite3.Connection) -> bool:
    """Tell whether this database still needs the one-off fill."""
    return db.execute("SELECT 1 FROM index_meta WHERE name = ?", (FILLED,)).fetchone() is None


def fill(
    db: sqlite3.Connection,
    briefing_of: Callable[[str], StoredBriefing | None],
    text_of: TextOf,
) -> int:
    """Index every briefed article (a database from before search); return how many.

    In order of arrival, as the bot indexes them: a broad query ranks its newest matches by id.
    """
    rows = db.execute(
        """SELECT b.article_hash, b.key, b.headline, MAX(ca.title) FROM briefings b
           LEFT JOIN chat_articles ca ON ca.article_hash = b.article_hash
           WHERE b.article_hash NOT IN (SELECT article_hash FROM search_docs)
           GROUP BY b.article_hash ORDER BY MIN(ca.received_at), b.created_at"""
    ).fetchall()
    # FTS5 keeps up to 16 MB of new terms in memory before writing a segment (1 MB by
    # default): fewer, larger segments to merge make the fill a third faster.
    if not dialect.on_postgresql(db):
        db.execute(_FTS5_HASHSIZE, (_HASH_BYTES,))
    if rows:
        log.info("search index: adding %d articles indexed before search existed", len(rows))
    batch: list[tuple[Document, str | None]] = []
    for n, (article_hash, key, headline, title) in enumerate(rows, 1):
        stored = briefing_of(key)
        doc = document(stored) if stored is not None else _from_tables(db, article_hash, headline)
        if not doc.title and title:
            doc = Document(doc.article_hash, title, doc.brief, doc.names, doc.language)
        batch.append((doc, text_of(article_hash)))
        if n % _PROGRESS_EVERY == 0 or n == len(rows):
            add_all(db, batch)  # a batch a statement: a quarter less work than row by row
            batch = []
            log.info("search index: %d of %d articles added", n, len(rows))
    db.execute("INSERT INTO index_meta VALUES (?, 1) ON CONFLICT DO NOTHING", (FILLED,))
    return len(rows)


def _from_tables(db: sqlite3.Connection, article_hash: str, headline: str) -> Document:
    """Make a document from the index's own rows (the briefing's file is gone)."""
    names: list[str] = []
    for actor, aliases in db.execute(
        """SELECT actor, aliases FROM stances WHERE article_hash = ?
           UNION SELECT actor, aliases FROM mentions WHERE article_hash = ?""",
        (article_hash, article_hash),
    ):
        names += [actor, *(a for a in str(aliases).split(_ALIAS_SEP) if a)]
    return Document(article_hash, "", headline, names, None)
