"""Each chat's stances by actor, newest first: what /who reads, kept in step on every write.

`stances` holds an article's stances once, whichever chats sent it; /who wants one actor's
stances in one chat, each dated by the chat's latest sending of its article. Read from
`stances`, a top actor costs ~3,000 lookups into the chat's sendings and a sort; here its
rows sit together, already in that order. `Index` calls these functions in the same
transaction as every write to `stances` or `chat_articles`, and fills the table once when
it opens a database from before it.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS chat_stances (
    chat_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    received_at TEXT NOT NULL,  -- the chat's latest sending of the article
    article_hash TEXT NOT NULL,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    target TEXT NOT NULL,
    polarity TEXT NOT NULL,
    verified INTEGER NOT NULL,
    issue TEXT NOT NULL DEFAULT '',  -- shifts group by it (or by the target when it is '')
    provenance TEXT,  -- shifts count only attributed words; NULL: from before provenance
    PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)
) WITHOUT ROWID;
"""

# Named columns: a database from before a column was added has it last (ALTER TABLE).
_INSERT = """INSERT INTO chat_stances (chat_id, actor, received_at, article_hash, ord, kind,
    aliases, target, polarity, verified, issue, provenance)"""
_FROM_SENDINGS = f"""
    {_INSERT}
    SELECT ca.chat_id, s.actor, MAX(ca.received_at), s.article_hash, s.ord, s.kind, s.aliases,
           s.target, s.polarity, s.verified, s.issue, s.provenance
    FROM chat_articles ca JOIN stances s ON s.article_hash = ca.article_hash
    WHERE {{where}}
    GROUP BY ca.chat_id, s.article_hash, s.ord"""  # noqa: S608 - fixed clauses


def unfilled(db: sqlite3.Connection) -> bool:
    """Tell whether the table was never filled (a database from before it)."""
    return db.execute("SELECT 1 FROM index_meta WHERE name = 'chat_stances'").fetchone() is None


def fill(db: sqlite3.Connection) -> None:
    """Fill the table from the whole history (~1 s for 100,000 stances, once)."""
    if not unfilled(db):  # another connection did it meanwhile
        return
    db.execute("DELETE FROM chat_stances")
    db.execute(_FROM_SENDINGS.format(where="1"))
    db.execute("INSERT OR IGNORE INTO index_meta VALUES ('chat_stances', 1)")


# An article's rows in one chat, found by their whole key (no index by article needed):
# its actors come from `stances`, its date is the chat's latest sending.
_FORGET = """
    DELETE FROM chat_stances WHERE chat_id = ? AND received_at = ? AND article_hash = ?
        AND actor IN (SELECT actor FROM stances WHERE article_hash = ?)"""
_LATEST = "SELECT MAX(received_at) FROM chat_articles WHERE chat_id = ? AND article_hash = ?"


def before_sending(db: sqlite3.Connection, chat_id: int, article_hash: str, at: str) -> None:
    """Date the article's stances in this chat by `at` if this sending is its latest."""
    (latest,) = db.execute(_LATEST, (chat_id, article_hash)).fetchone()
    if latest is not None and latest >= at:
        return  # an older sending recorded late: the latest one still dates the stances
    if latest is not None:
        db.execute(_FORGET, (chat_id, latest, article_hash, article_hash))
    db.execute(
        f"""{_INSERT}
           SELECT ?, actor, ?, article_hash, ord, kind, aliases, target, polarity, verified,
                  issue, provenance
           FROM stances WHERE article_hash = ?""",  # noqa: S608 - fixed clauses
        (chat_id, at, article_hash),
    )


def before_reindexing(db: sqlite3.Connection, article_hash: str) -> None:
    """Drop the article's stances from every chat that sent it (they are being replaced)."""
    sent = db.execute(
        "SELECT chat_id, MAX(received_at) FROM chat_articles WHERE article_hash = ? "
        "GROUP BY chat_id",
        (article_hash,),
    ).fetchall()
    for chat_id, latest in sent:
        db.execute(_FORGET, (chat_id, latest, article_hash, article_hash))


def after_reindexing(db: sqlite3.Connection, article_hash: str) -> None:
    """Add the article's new stances to every chat that sent it."""
    db.execute(_FROM_SENDINGS.format(where="ca.article_hash = ?"), (article_hash,))


def chat_moved(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """Rebuild the new chat id's rows once its sendings moved there (both ids' articles)."""
    db.execute("DELETE FROM chat_stances WHERE chat_id IN (?, ?)", (old_id, new_id))
    db.execute(_FROM_SENDINGS.format(where="ca.chat_id = ?"), (new_id,))
