"""Each chat's stances by actor, newest first: what /who reads, kept in step on every write.

`stances` holds an article's stances once, whichever chats sent it; /who wants one actor's
stances in one chat, each dated by the chat's latest sending of its article (its
publication date as that sending gives it, else the sending's time). Read from
`stances`, a top actor costs ~3,000 lookups into the chat's sendings and a sort; here its
rows sit together, already in that order. `Index` calls these functions in the same
transaction as every write to `stances` or `chat_articles`, and fills the table once when
it opens a database from before it.
"""

from __future__ import annotations

import sqlite3

# Named columns: a database from before a column was added has it last (ALTER TABLE).
_INSERT = """INSERT INTO chat_stances (chat_id, actor, dated, received_at, published_from,
    article_hash, ord, kind, aliases, target, polarity, verified, issue, provenance)"""
# Each chat's latest sending of each article, with the article's stances. Sendings at the
# same instant (two chats' merged by a migration) may date the article differently: the
# first recorded of them wins, here and in `_LATEST` alike.
_FROM_SENDINGS = f"""
    {_INSERT}
    SELECT l.chat_id, s.actor, COALESCE(l.published_at, l.received_at), l.received_at,
           l.published_from, s.article_hash, s.ord, s.kind, s.aliases, s.target, s.polarity,
           s.verified, s.issue, s.provenance
    FROM chat_articles l JOIN stances s ON s.article_hash = l.article_hash
    WHERE {{where}} AND l.id = (
        SELECT id FROM chat_articles WHERE chat_id = l.chat_id AND article_hash = l.article_hash
        ORDER BY received_at DESC, id LIMIT 1)"""  # noqa: S608 - fixed clauses


def unfilled(db: sqlite3.Connection) -> bool:
    """Tell whether the table was never filled (a database from before it)."""
    return db.execute("SELECT 1 FROM index_meta WHERE name = 'chat_stances'").fetchone() is None


def fill(db: sqlite3.Connection) -> None:
    """Fill the table from the whole history (~1 s for 100,000 stances, once)."""
    if not unfilled(db):  # another connection did it meanwhile
        return
    db.execute("DELETE FROM chat_stances")
    db.execute(_FROM_SENDINGS.format(where="TRUE"))
    db.execute("INSERT INTO index_meta VALUES ('chat_stances', 1) ON CONFLICT DO NOTHING")


# An article's rows in one chat, found by their whole key (no index by article needed):
# its actors come from `stances`, its date is the chat's latest sending's.
_FORGET = """
    DELETE FROM chat_stances WHERE chat_id = ? AND dated = ? AND article_hash = ?
        AND actor IN (SELECT actor FROM stances WHERE article_hash = ?)"""
_LATEST = """
    SELECT received_at, COALESCE(published_at, received_at) FROM chat_articles
    WHERE chat_id = ? AND article_hash = ? ORDER BY received_at DESC, id LIMIT 1"""


def before_sending(
    db: sqlite3.Connection,
    chat_id: int,
    article_hash: str,
    *,
    at: str,
    dated: str,
    published_from: str | None = None,
) -> None:
    """Date the article's stances in this chat by this sending if it is its latest."""
    latest = db.execute(_LATEST, (chat_id, article_hash)).fetchone()
    if latest is not None and latest[0] >= at:
        return  # an older sending recorded late: the latest one still dates the stances
    if latest is not None:
        db.execute(_FORGET, (chat_id, latest[1], article_hash, article_hash))
    db.execute(
        f"""{_INSERT}
           SELECT ?, actor, ?, ?, ?, article_hash, ord, kind, aliases, target, polarity,
                  verified, issue, provenance
           FROM stances WHERE article_hash = ?""",  # noqa: S608 - fixed clauses
        (chat_id, dated, at, published_from, article_hash),
    )


def before_reindexing(db: sqlite3.Connection, article_hash: str) -> None:
    """Drop the article's stances from every chat that sent it (they are being replaced)."""
    chats = db.execute(
        "SELECT DISTINCT chat_id FROM chat_articles WHERE article_hash = ?", (article_hash,)
    ).fetchall()
    for (chat_id,) in chats:
        _at, dated = db.execute(_LATEST, (chat_id, article_hash)).fetchone()
        db.execute(_FORGET, (chat_id, dated, article_hash, article_hash))


def after_reindexing(db: sqlite3.Connection, article_hash: str) -> None:
    """Add the article's new stances to every chat that sent it."""
    db.execute(_FROM_SENDINGS.format(where="l.article_hash = ?"), (article_hash,))


def chat_moved(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Rebuild the new chat id's rows once its sendings moved there (both ids' articles)."""
    db.execute("DELETE FROM chat_stances WHERE chat_id IN (?, ?)", (old_id, new_id))
    db.execute(_FROM_SENDINGS.format(where="l.chat_id = ?"), (new_id,))
