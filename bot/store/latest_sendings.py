"""Each article's latest sending in a chat: SQLite's statements and PostgreSQL's twins.

SQLite reads the latest sending with MAX(received_at) and bare columns, which come from
the row holding the maximum; PostgreSQL refuses bare columns, so its twins say the same
with DISTINCT ON. chat_queries.py picks one by the connection's engine.
"""

from __future__ import annotations

LATEST_PER_ARTICLE = """
    SELECT chat_id, article_hash, message_id, MAX(received_at) AS received_at, title,
           source_label, source_url, published_at, published_from
    FROM chat_articles WHERE chat_id = ? GROUP BY article_hash"""
LATEST_BEFORE = """
    SELECT chat_id, article_hash, message_id, MAX(received_at) AS received_at, title,
           source_label, source_url, published_at, published_from
    FROM chat_articles WHERE chat_id = ? AND received_at < ? GROUP BY article_hash"""
# PostgreSQL's spelling of the two above (it refuses SQLite's bare columns beside MAX()):
# each article's latest sending, and of equal ones the first recorded (lowest id), which is
# the row SQLite's MAX() keeps (it reads a chat's sendings of an article in id order).
LATEST_PER_ARTICLE_PG = """
    SELECT DISTINCT ON (article_hash) chat_id, article_hash, message_id, received_at, title,
           source_label, source_url, published_at, published_from
    FROM chat_articles WHERE chat_id = ? ORDER BY article_hash, received_at DESC, id"""
LATEST_BEFORE_PG = """
    SELECT DISTINCT ON (article_hash) chat_id, article_hash, message_id, received_at, title,
           source_label, source_url, published_at, published_from
    FROM chat_articles WHERE chat_id = ? AND received_at < ?
    ORDER BY article_hash, received_at DESC, id"""


def filtered_stances_pg(where: str) -> str:
    """Return ChatQueries._filtered_stances's statement for PostgreSQL (same columns, order).

    Each stance once, with the article's latest sending in the window (of equal ones the
    first recorded), as SQLite's MAX() with bare columns gives it; parameters as there.
    """
    return f"""SELECT * FROM (
        SELECT DISTINCT ON (s.article_hash, s.ord)
               ca.article_hash, ca.message_id, ca.received_at,
               ca.title, ca.source_label, ca.source_url, b.headline,
               b.key AS briefing_key, s.actor, s.kind, s.aliases, s.target,
               s.position, s.polarity, s.quote, s.verified, s.ord, s.issue,
               s.provenance, s.speaker, s.via, ca.published_at, ca.published_from
        FROM stances s JOIN chat_articles ca
            ON ca.article_hash = s.article_hash AND ca.chat_id = ?
        JOIN briefings b ON b.article_hash = s.article_hash
        WHERE {where}
        ORDER BY s.article_hash, s.ord, ca.received_at DESC, ca.id) latest
    ORDER BY received_at DESC, article_hash, ord"""  # noqa: S608 - fixed clauses
