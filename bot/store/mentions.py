"""Actors a briefing names without a stance: kept so /who finds everyone an article names.

`stances` holds an actor only when it takes a position; an article also names people,
states and organisations that say nothing (Putin in a story about Kim's visit). Their rows
live here, replaced with the article's stances whenever its briefing is written, and their
names join each sending chat's directory (`chat_actor_forms`) as stance actors' names do.
Reads are by actor (indexed) or by a chat's recent sendings, joined to that chat's sendings
only: another chat's articles are never seen.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import datetime

from bot.models import StoredBriefing
from bot.store.chat_rows import _ALIAS_SEP
from bot.store.dialect import IN_JSON_LIST, JOIN_IN_ORDER, indexed_by
from bot.store.who_rows import by_actor_or_since

# One mention as read: (article hash, ord, actor, kind, aliases joined by _ALIAS_SEP, the
# chat's latest sending of the article as ISO text).
MentionRow = tuple[str, int, str, str, str, str]

_BY_ACTOR = f"""
    SELECT m.article_hash, m.ord, m.actor, m.kind, m.aliases, MAX(ca.received_at) AS at
    FROM mentions m {indexed_by("mentions_actor")} {JOIN_IN_ORDER} chat_articles ca
        ON ca.chat_id = ? AND ca.article_hash = m.article_hash
    WHERE m.actor {IN_JSON_LIST}
    GROUP BY m.article_hash, m.ord
    ORDER BY at DESC, m.article_hash, m.ord"""  # noqa: S608 - fixed clauses
_SINCE = """
    SELECT m.article_hash, m.ord, m.actor, m.kind, m.aliases, w.received_at
    FROM (SELECT article_hash, MAX(received_at) AS received_at FROM chat_articles
          WHERE chat_id = ? AND received_at >= ? GROUP BY article_hash) w
    JOIN mentions m ON m.article_hash = w.article_hash
    ORDER BY w.received_at DESC, m.article_hash, m.ord"""


def replace(db: sqlite3.Connection, stored: StoredBriefing) -> None:
    """Make the briefing's stance-less actors the article's mentions (in its write)."""
    h = stored.article.content_hash
    rows = [
        (h, i, actor.name, actor.kind.value, _ALIAS_SEP.join(actor.aliases))
        for i, actor in enumerate(stored.briefing.actors)
        if not actor.stances and actor.name.strip()
    ]
    db.execute("DELETE FROM mentions WHERE article_hash = ?", (h,))
    db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", rows)
    # Every chat that sent the article learns the names (rows are only ever added).
    db.execute(
        """INSERT INTO chat_actor_forms
           SELECT DISTINCT ca.chat_id, m.actor, m.kind, m.aliases
           FROM chat_articles ca JOIN mentions m ON m.article_hash = ca.article_hash
           WHERE ca.article_hash = ? ON CONFLICT DO NOTHING""",
        (h,),
    )


def sent(db: sqlite3.Connection, chat_id: int, article_hash: str) -> None:
    """Add the article's mentioned names to the chat's directory (the chat just sent it)."""
    db.execute(
        """INSERT INTO chat_actor_forms
           SELECT DISTINCT ?, actor, kind, aliases FROM mentions WHERE article_hash = ?
           ON CONFLICT DO NOTHING""",
        (chat_id, article_hash),
    )


def mention_rows(
    db: sqlite3.Connection,
    chat_id: int,
    *,
    actors: Collection[str] | None = None,
    since: datetime | None = None,
) -> list[MentionRow]:
    """Return the chat's mentions of `actors`, or in articles sent since `since`, newest first."""
    rows: list[MentionRow] = by_actor_or_since(db, (_BY_ACTOR, _SINCE), chat_id, actors, since)
    return rows


def mentioned_names(db: sqlite3.Connection, article_hash: str) -> list[str]:
    """Return the names an article's briefing mentions without a stance, in its order."""
    rows = db.execute(
        "SELECT actor FROM mentions WHERE article_hash = ? ORDER BY ord", (article_hash,)
    ).fetchall()
    return [str(r[0]) for r in rows]
