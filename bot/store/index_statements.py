"""Hold the SQL statements the index writes with: a stance, a chat's actor forms, a date."""

from __future__ import annotations

# The chat's earliest date for an article, among its sendings (a sending from before
# dates were kept is dated by its arrival).
_EARLIEST_DATE = """
    SELECT COALESCE(published_at, received_at) AS dated, published_from FROM chat_articles
    WHERE chat_id = ? AND article_hash = ? ORDER BY dated LIMIT 1"""
# Named columns: a database from before a column was added has it last (ALTER TABLE).
_INSERT_STANCE = """INSERT INTO stances (article_hash, ord, actor, kind, aliases, target,
    position, polarity, quote, verified, issue, provenance, speaker, via)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""
_ALL_FORMS = """SELECT DISTINCT ca.chat_id, s.actor, s.kind, s.aliases
    FROM chat_articles ca JOIN stances s ON s.article_hash = ca.article_hash"""
